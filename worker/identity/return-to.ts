// Where to go after signing in, when a page sent the person to sign in first.
// Only the MCP consent page does (worker/mcp/consent.ts): it remembers itself,
// query string included, in a short-lived HttpOnly cookie, and every way of
// signing in (password, OpenID Connect, Cloudflare Access) goes back there.
// Only our own consent path is accepted, so the cookie can never be an open redirect.
import { AUTHORIZE_PATH } from "../domain/paths";
import { isLocalDevelopment, readCookie } from "./session";

const RETURN_TO_COOKIE = "st_return_to";
const MAX_AGE_SECONDS = 10 * 60;
const MAX_LENGTH = 4096;

function attributes(request: Request, maxAge: number): string {
  const secure = isLocalDevelopment(new URL(request.url)) ? "" : "; Secure";
  return `Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
}

/** A path we are willing to send a person back to after sign-in, or null. */
function allowed(path: string | null): string | null {
  if (!path || path.length > MAX_LENGTH) return null;
  try {
    const url = new URL(path, "https://x.invalid");
    if (url.origin !== "https://x.invalid" || url.pathname !== AUTHORIZE_PATH) return null;
    return `${url.pathname}${url.search}`;
  } catch {
    return null;
  }
}

/** The Set-Cookie value that remembers `path` (this origin's consent page) for ten minutes. */
export function returnToCookie(request: Request, path: string): string {
  const value = allowed(path);
  if (!value) throw new Error(`not a return path: ${path}`);
  return `${RETURN_TO_COOKIE}=${encodeURIComponent(value)}; ${attributes(request, MAX_AGE_SECONDS)}`;
}

/** Where this sign-in should land, if a page asked to come back. */
export function returnToOf(request: Request): string | null {
  return allowed(readCookie(request, RETURN_TO_COOKIE));
}

export function clearReturnToCookie(request: Request): string {
  return `${RETURN_TO_COOKIE}=; ${attributes(request, 0)}`;
}
