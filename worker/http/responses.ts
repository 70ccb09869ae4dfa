// JSON answers for the Worker's own routes: one shape for success and for
// every error (`{ error, ...details }` with the right status).
import { HttpError } from "../domain/errors";

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
