/** Reads a FormData field as a string ("" when missing or a file): the actions' one way to read forms. */
export function formText(form: FormData) {
  return (name: string): string => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
}

/** The form's `intent` when it is one of `intents`, else null (with the raw value for the error message). */
export function pickIntent<T extends string>(text: (name: string) => string, intents: readonly T[]): { intent: T | null; raw: string } {
  const raw = text("intent");
  return { intent: (intents as readonly string[]).includes(raw) ? (raw as T) : null, raw };
}
