// The HTTP side of "Connect your Zendesk", used by the React Router resource
// routes app/routes/connections.start.ts and connections.callback.ts:
//
//   GET /accounts/:account/connections/:provider/start     (signed-in member)
//     → PKCE verifier + state in a sealed, 10-minute HttpOnly cookie
//     → 302 to the provider's authorization page with the scopes we ask for
//   GET /accounts/:account/connections/:provider/callback
//     → cookie, state, account, person and redirect URI must match
//     → code exchanged once (PKCE verifier + client secret)
//     → the account agent seals and stores the tokens under this person
//     → 303 back to /accounts/:account/connections
//
// The Worker keeps no state between the two; tokens go from the provider to
// the agent's storage and are never sent to the browser.
import * as oauth from "oauth4webapi";
import { accountAgent } from "../agent/stubs";
import { auditIdentity } from "../audit/audit-trail";
import { openSecret, sealSecret } from "../crypto/secret-box";
import { HttpError } from "../domain/errors";
import { actorOf, getSessionUser, isLocalDevelopment, readCookie, requireRole } from "../identity/session";
import { authorizationUrl, DelegationRefused, exchangeCode, oauthClientSettings } from "../integrations/common/oauth-client";
import { DELEGATION_PROVIDERS, type DelegationProviderId, isDelegationProvider } from "../integrations/registry";

export const CONNECT_COOKIE = "st_delegate";
const CONNECT_TTL_SECONDS = 10 * 60;
const CONNECT_PURPOSE = "delegation-transaction";

interface ConnectTransaction {
  v: 1;
  state: string;
  codeVerifier: string;
  accountId: string;
  provider: DelegationProviderId;
  /** The user id that started it: only they can finish it. */
  person: string;
  redirectUri: string;
  scopes: string[];
  /** Unix seconds. */
  createdAt: number;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const basePath = (accountId: string, provider: string) => `/accounts/${encodeURIComponent(accountId)}/connections/${encodeURIComponent(provider)}`;
const pagePath = (accountId: string) => `/accounts/${encodeURIComponent(accountId)}/connections`;

function connectRedirectUri(request: Request, accountId: string, provider: string): string {
  return `${new URL(request.url).origin}${basePath(accountId, provider)}/callback`;
}

function cookieAttributes(request: Request, accountId: string, provider: string, maxAge: number): string {
  const secure = isLocalDevelopment(new URL(request.url)) ? "" : "; Secure";
  return `Path=${basePath(accountId, provider)}; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
}

function clearCookie(request: Request, accountId: string, provider: string): string {
  return `${CONNECT_COOKIE}=; ${cookieAttributes(request, accountId, provider, 0)}`;
}

function secretsKey(env: Env): string {
  if (!env.CONNECTOR_SECRETS_KEY) throw new HttpError(500, "CONNECTOR_SECRETS_KEY is not set: connections cannot be made");
  return env.CONNECTOR_SECRETS_KEY;
}

/** A small self-contained page: the connection was not made, why, and the way back. */
function connectErrorPage(status: number, message: string, accountId: string, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set("content-type", "text/html; charset=utf-8");
  h.set("cache-control", "no-store");
  const back = escapeHtml(pagePath(accountId));
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Connection failed · Support Triage</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
body{font:14px/1.5 system-ui,sans-serif;background:#f5f5f5;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center;padding:24px;box-sizing:border-box}
main{background:#fff;border:1px solid #e5e5e5;border-radius:8px;padding:24px;max-width:460px;width:100%}
h1{font-size:16px;margin:0 0 8px}p{margin:0 0 16px;color:#404040}
a{display:inline-block;border:1px solid #d4d4d4;border-radius:6px;padding:6px 12px;color:#171717;text-decoration:none;font-size:13px}
</style></head><body><main>
<h1>Connection failed</h1>
<p data-testid="connect-error">${escapeHtml(message)}</p>
<a href="${back}">Back to your connections</a>
</main></body></html>`;
  return new Response(body, { status, headers: h });
}

/** Signed in, a member of the account (any role), and a provider we know. */
async function who(env: Env, request: Request, accountId: string, providerParam: string) {
  const user = await getSessionUser(env, request);
  if (!user) return { error: new Response(null, { status: 302, headers: { location: "/login", "cache-control": "no-store" } }) };
  try {
    requireRole(user, accountId, "agent");
  } catch (err) {
    const e = err as HttpError;
    return { error: connectErrorPage(e.status, e.message, accountId) };
  }
  if (!isDelegationProvider(providerParam)) return { error: connectErrorPage(404, `There is no "${providerParam}" to connect.`, accountId) };
  return { user, provider: providerParam };
}

/** GET /accounts/:account/connections/:provider/start */
export async function handleConnectStart(env: Env, request: Request, accountId: string, providerParam: string): Promise<Response> {
  const w = await who(env, request, accountId, providerParam);
  if ("error" in w) return w.error!;
  const { user, provider } = w;
  const spec = DELEGATION_PROVIDERS[provider];
  const client = await oauthClientSettings(env, accountId, provider);
  if (!client) {
    return connectErrorPage(
      409,
      `${spec.name} is not set up for personal connections in this account: an admin must switch the ${spec.name} connector on and enter its OAuth client id and secret (Connectors page).`,
      accountId,
    );
  }
  const tx: ConnectTransaction = {
    v: 1,
    state: oauth.generateRandomState(),
    codeVerifier: oauth.generateRandomCodeVerifier(),
    accountId,
    provider,
    person: user.id,
    redirectUri: connectRedirectUri(request, accountId, provider),
    scopes: [...spec.scopes],
    createdAt: Math.floor(Date.now() / 1000),
  };
  const location = await authorizationUrl(client, { redirectUri: tx.redirectUri, state: tx.state, codeVerifier: tx.codeVerifier, scopes: tx.scopes });
  const sealed = await sealSecret(secretsKey(env), JSON.stringify(tx), CONNECT_PURPOSE);
  return new Response(null, {
    status: 302,
    headers: {
      location,
      "set-cookie": `${CONNECT_COOKIE}=${sealed}; ${cookieAttributes(request, accountId, provider, CONNECT_TTL_SECONDS)}`,
      "cache-control": "no-store",
    },
  });
}

/** GET /accounts/:account/connections/:provider/callback */
export async function handleConnectCallback(env: Env, request: Request, accountId: string, providerParam: string): Promise<Response> {
  const w = await who(env, request, accountId, providerParam);
  if ("error" in w) return w.error!;
  const { user, provider } = w;
  const spec = DELEGATION_PROVIDERS[provider];
  const clear = { "set-cookie": clearCookie(request, accountId, provider) };
  const fail = (status: number, message: string) => {
    console.warn(`delegation callback refused (${accountId}, ${provider}, ${user.id}): ${message}`);
    return connectErrorPage(status, message, accountId, clear);
  };

  const sealed = readCookie(request, CONNECT_COOKIE);
  if (!sealed)
    return fail(
      400,
      `This ${spec.name} connection has no matching start in this browser (it expired, cookies are blocked, or the link was opened elsewhere). Start again.`,
    );
  let tx: ConnectTransaction;
  try {
    tx = JSON.parse(await openSecret(secretsKey(env), sealed, CONNECT_PURPOSE)) as ConnectTransaction;
    if (tx.v !== 1) throw new Error("unknown version");
  } catch {
    return fail(400, "The connection cookie could not be verified. Start again.");
  }
  if (Math.floor(Date.now() / 1000) - tx.createdAt > CONNECT_TTL_SECONDS) return fail(400, "This connection took longer than 10 minutes. Start again.");
  if (tx.accountId !== accountId || tx.provider !== provider || tx.redirectUri !== connectRedirectUri(request, accountId, provider)) {
    return fail(400, "This connection was started for another account or system. Start again.");
  }
  if (tx.person !== user.id) return fail(403, "This connection was started by someone else in this browser. Start again while signed in as yourself.");

  const client = await oauthClientSettings(env, accountId, provider);
  if (!client) return fail(409, `${spec.name}'s OAuth client is no longer configured in this account.`);

  let tokens: Awaited<ReturnType<typeof exchangeCode>>;
  try {
    tokens = await exchangeCode(client, new URL(request.url), {
      state: tx.state,
      codeVerifier: tx.codeVerifier,
      redirectUri: tx.redirectUri,
      scopes: tx.scopes,
    });
  } catch (err) {
    if (err instanceof DelegationRefused) return fail(400, err.message);
    return fail(502, err instanceof Error ? err.message : String(err));
  }

  const connection = await (await accountAgent(env, accountId)).storeDelegatedToken(user.id, provider, { ...tokens, scopesAsked: tx.scopes });
  await auditIdentity(env, accountId, actorOf(user), "delegation.connected", {
    after: { person: user.email, provider, scopesAsked: connection.scopesAsked, scopesGranted: connection.scopesGranted, expiresAt: connection.expiresAt },
    artifact: `delegations/${user.email}`,
  });
  const headers = new Headers({ location: `${pagePath(accountId)}?connected=${provider}`, "cache-control": "no-store" });
  headers.append("set-cookie", clear["set-cookie"]);
  return new Response(null, { status: 303, headers });
}
