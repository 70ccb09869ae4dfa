// The one error type every layer throws for a refused request: a status, a
// message that says what is wrong, and the failing fields of a 400.

/** A field that failed validation, as every 400 lists them. */
export interface FieldError {
  path: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra fields for the JSON body, e.g. the failing fields of a 400. */
    readonly details?: Record<string, unknown>,
    readonly headers?: HeadersInit,
  ) {
    super(message);
  }

  /** The failing fields a 400 carries (empty for other errors). */
  get fields(): FieldError[] {
    const fields = this.details?.fields;
    return Array.isArray(fields) ? (fields as FieldError[]) : [];
  }
}

/** Zod's issues as the `fields` every 400 lists: the one conversion, used everywhere. */
export function fieldErrors(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, root = ""): FieldError[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join(".") || root, message: i.message }));
}
