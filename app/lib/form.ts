import { data } from "react-router";

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

/** Forms are small: a body larger than this is refused before it is parsed. */
const MAX_FORM_BYTES = 256 * 1024;

/**
 * The request's form, or a route error saying what is wrong: 415 for a body
 * that is not a form (JSON, plain text), 413 for one too large, 400 for one
 * that cannot be parsed (a broken multipart body). Never a 500.
 */
export async function readFormData(request: Request): Promise<FormData> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (type !== "application/x-www-form-urlencoded" && type !== "multipart/form-data") {
    throw data(`expected a form (application/x-www-form-urlencoded or multipart/form-data), not ${type || "a body without a content-type"}`, {
      status: 415,
    });
  }
  if (Number(request.headers.get("content-length") ?? 0) > MAX_FORM_BYTES)
    throw data(`the form is too large: the limit is ${MAX_FORM_BYTES / 1024} KiB`, { status: 413 });
  try {
    return await request.formData();
  } catch {
    throw data("the form could not be read: its body is not a valid form", { status: 400 });
  }
}
