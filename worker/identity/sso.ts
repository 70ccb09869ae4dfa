// The HTTP side of single sign-on, used by the React Router resource routes
// app/routes/auth.oidc.start.ts, auth.oidc.callback.ts and auth.access.ts:
// redirects, sessions, cookies, and a plain page for every refusal (no
// session is ever created on a failure).
import { signInWithAccess } from "./access";
import { matchIdentity } from "./identities";
import { beginSignIn, clearTransactionCookie, completeSignIn, oidcConfig, SignInError } from "./oidc";
import { clearReturnToCookie, returnToOf } from "./return-to";
import { createSession } from "./session";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A small self-contained page: the sign-in did not happen, why, and the way back. */
function signInErrorPage(status: number, message: string, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set("content-type", "text/html; charset=utf-8");
  h.set("cache-control", "no-store");
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign-in failed · Support Triage</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
body{font:14px/1.5 system-ui,sans-serif;background:#f5f5f5;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center;padding:24px;box-sizing:border-box}
main{background:#fff;border:1px solid #e5e5e5;border-radius:8px;padding:24px;max-width:420px;width:100%}
h1{font-size:16px;margin:0 0 8px}p{margin:0 0 16px;color:#404040}
a{display:inline-block;border:1px solid #d4d4d4;border-radius:6px;padding:6px 12px;color:#171717;text-decoration:none;font-size:13px}
</style></head><body><main>
<h1>Sign-in failed</h1>
<p data-testid="sign-in-error">${escapeHtml(message)}</p>
<a href="/login">Back to sign in</a>
</main></body></html>`;
  return new Response(body, { status, headers: h });
}

function noAccountMessage(email: string): string {
  return `No account for ${email}: ask an admin to invite you.`;
}

/** Into the dashboard, or back to the page that sent the person to sign in (the MCP consent page). */
function signedIn(request: Request, cookies: string[]): Response {
  const returnTo = returnToOf(request);
  const headers = new Headers({ location: returnTo ?? "/", "cache-control": "no-store" });
  for (const c of cookies) headers.append("set-cookie", c);
  if (returnTo) headers.append("set-cookie", clearReturnToCookie(request));
  return new Response(null, { status: 302, headers });
}

/** GET /auth/oidc/start */
export async function handleOidcStart(env: Env, request: Request): Promise<Response> {
  const config = oidcConfig(env);
  if (!config) return signInErrorPage(404, "Single sign-on is not configured for this app. Sign in with your password.");
  try {
    const { location, cookie } = await beginSignIn(env, config, request);
    return new Response(null, { status: 302, headers: { location, "set-cookie": cookie, "cache-control": "no-store" } });
  } catch (err) {
    return refusal(err, request, "start");
  }
}

/** GET /auth/oidc/callback */
export async function handleOidcCallback(env: Env, request: Request): Promise<Response> {
  const config = oidcConfig(env);
  if (!config) return signInErrorPage(404, "Single sign-on is not configured for this app. Sign in with your password.");
  const clear = clearTransactionCookie(request);
  try {
    const identity = await completeSignIn(env, config, request);
    const match = await matchIdentity(env, identity, { recordLogin: true });
    if (!match.ok) {
      console.warn(`oidc sign-in refused: no user for ${match.email} (${identity.issuer})`);
      return signInErrorPage(403, noAccountMessage(match.email), { "set-cookie": clear });
    }
    const { cookie } = await createSession(env, request, match.userId);
    return signedIn(request, [clear, cookie]);
  } catch (err) {
    return refusal(err, request, "callback");
  }
}

/** GET /auth/access: a session for the person Cloudflare Access vouches for. */
export async function handleAccessSignIn(env: Env, request: Request): Promise<Response> {
  const { verified, match } = await signInWithAccess(env, request);
  if (!verified.ok) {
    const status = verified.reason === "not-configured" ? 404 : 401;
    if (verified.reason === "invalid") console.warn(`access sign-in refused: ${verified.message}`);
    return signInErrorPage(status, verified.message);
  }
  if (!match?.ok) return signInErrorPage(403, noAccountMessage(verified.email));
  const { cookie } = await createSession(env, request, match.userId);
  return signedIn(request, [cookie]);
}

function refusal(err: unknown, request: Request, step: string): Response {
  const clear = { "set-cookie": clearTransactionCookie(request) };
  if (err instanceof SignInError) {
    console.warn(`oidc ${step} refused (${err.status}): ${err.message}`);
    return signInErrorPage(err.status, err.message, clear);
  }
  console.error(`oidc ${step} failed`, err instanceof Error ? err.stack : String(err));
  return signInErrorPage(500, "Sign-in failed because of an error on our side. Try again, or sign in with your password.", clear);
}
