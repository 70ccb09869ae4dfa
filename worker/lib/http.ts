// Small HTTP helpers: one error type that carries a status, and JSON answers.

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

export function json(body: unknown, status = 200, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set("content-type", "application/json; charset=utf-8");
  h.set("cache-control", "no-store");
  return new Response(JSON.stringify(body), { status, headers: h });
}

/** The JSON answer for any error: `{ error, ...details }` with the right status. */
export function errorResponse(err: unknown): Response {
  if (err instanceof HttpError) return json({ error: err.message, ...err.details }, err.status, err.headers);
  console.error("unhandled error", err instanceof Error ? err.stack : String(err));
  return json({ error: "internal error" }, 500);
}
