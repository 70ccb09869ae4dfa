// The Content-Security-Policy of the dashboard's HTML pages. Scripts need a
// per-request nonce: the Worker makes one, hands it to React Router through
// cspNonceContext, and app/entry.server.tsx puts it on <ServerRouter nonce>
// (which gives it to <Scripts>, <ScrollRestoration>, <Links> and the streamed
// data) and on React's own streaming scripts.
import { createContext } from "react-router";
import { toBase64 } from "../crypto/hashing";

export const cspNonceContext = createContext<string>("");

export function newNonce(): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(16)));
}

export interface CspOptions {
  nonce: string;
  /** The page's own URL: websockets go back to the same host (the agent, and Vite's HMR in development). */
  url: URL;
  /** Where a form may post to besides this origin (the OIDC issuer, if sign-in redirects there after a POST). */
  formTargets?: string[];
}

export function contentSecurityPolicy({ nonce, url, formTargets = [] }: CspOptions): string {
  const wsOrigin = `${url.protocol === "https:" ? "wss:" : "ws:"}//${url.host}`;
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${nonce}'`],
    // Inline style attributes (charts) and the styles Vite injects in development.
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", "'self'", "data:"],
    ["font-src", "'self'"],
    ["connect-src", "'self'", wsOrigin],
    ["object-src", "'none'"],
    ["frame-ancestors", "'none'"],
    ["base-uri", "'none'"],
    ["form-action", "'self'", ...formTargets],
  ];
  return directives.map((d) => d.join(" ")).join("; ");
}

/** The origin of a configured URL (e.g. the OIDC issuer), or null when it is not a valid http(s) URL. */
export function originOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const u = new URL(value);
    return u.protocol === "https:" || u.protocol === "http:" ? u.origin : null;
  } catch {
    return null;
  }
}
