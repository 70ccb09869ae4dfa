// Which origins may act with a person's cookies: the app's own (the origin the
// request was made to) and any listed in ALLOWED_ORIGINS (comma-separated, for
// a dashboard served from another host). Browsers send Origin on every
// WebSocket handshake and every request that changes something, so a page of
// another site, another port or a sibling subdomain is told apart here.

function allowedOrigins(request: Request, env: { ALLOWED_ORIGINS?: string }): Set<string> {
  const own = new URL(request.url).origin;
  const listed = (env.ALLOWED_ORIGINS ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => {
      try {
        return new URL(o).origin;
      } catch {
        return null;
      }
    })
    .filter((o): o is string => !!o);
  return new Set([own, ...listed]);
}

/** Null when the request's Origin may act; otherwise why not. `required`: a missing Origin is refused too. */
export function originRefusal(request: Request, env: { ALLOWED_ORIGINS?: string }, required: boolean): string | null {
  const origin = request.headers.get("origin");
  if (!origin) return required ? "an Origin header is required" : null;
  return allowedOrigins(request, env).has(origin) ? null : `cross-origin request refused (origin ${origin})`;
}
