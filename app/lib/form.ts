/** Reads a FormData field as a string ("" when missing or a file): the actions' one way to read forms. */
export function formText(form: FormData) {
  return (name: string): string => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
}
