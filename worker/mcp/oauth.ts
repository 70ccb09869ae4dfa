// OAuth 2.1 for MCP clients (@cloudflare/workers-oauth-provider): dynamic client
// registration, PKCE, tokens and revocation are the provider's; sign-in and
// consent are ours (the dashboard page app/routes/oauth.authorize.tsx, logic in
// worker/mcp/consent.ts). Clients, grants and tokens live in the OAUTH_KV
// namespace, tokens and codes only as hashes, props encrypted.
//
// The provider sits in front of the whole Worker but owns only its own paths:
// /mcp (bearer token required), /oauth/token, /oauth/register and the two
// /.well-known documents. Everything else, /api/* with its own session and
// personal tokens included, goes to the app handler untouched.
//
// The protected resource is `<origin>/mcp`, the origin of the request: a token
// is valid only on the origin that issued it. One provider per origin, cached.
import { getOAuthApi, type OAuthHelpers, OAuthProvider, type OAuthProviderOptions } from "@cloudflare/workers-oauth-provider";
import { auditIdentity } from "../audit/audit-trail";
import { sha256Hex } from "../crypto/hashing";
import { HttpError } from "../domain/errors";
import { isMcpScope, MCP_SCOPES, type McpScope } from "../domain/mcp-scopes";
import { AUTHORIZE_PATH, MCP_PATH, REGISTER_PATH, TOKEN_PATH } from "../domain/paths";
import type { Role, SessionUser } from "../domain/types";
import { actorOf, requireRole } from "../identity/session";

export { AUTHORIZE_PATH, MCP_PATH };

/** Access tokens live an hour; a grant (its refresh token) 30 days from consent. */
const ACCESS_TOKEN_TTL = 60 * 60;
const GRANT_TTL = 30 * 24 * 60 * 60;

/** What consent stores with a grant; every MCP request gets it back as ctx.props. */
export interface McpProps {
  userId: string;
  email: string;
  accountId: string;
  /** The person's role when they consented (checked again on every request). */
  role: Role;
  scopes: McpScope[];
  clientName: string;
  clientId: string;
}

/** Stored unencrypted with the grant so the dashboard can list and revoke it. */
export interface McpGrantMetadata {
  accountId: string;
  clientName: string;
  email: string;
}

type Handler = ExportedHandler<Env> & { fetch: NonNullable<ExportedHandler<Env>["fetch"]> };

const notUsed: Handler = { fetch: () => new Response(null, { status: 404 }) };

function optionsFor(origin: string, apiHandler: Handler, defaultHandler: Handler): OAuthProviderOptions<Env> {
  return {
    apiRoute: MCP_PATH,
    apiHandler,
    defaultHandler,
    authorizeEndpoint: AUTHORIZE_PATH,
    tokenEndpoint: TOKEN_PATH,
    clientRegistrationEndpoint: REGISTER_PATH,
    // Everything a person may grant; the consent page picks within their role.
    scopesSupported: [...MCP_SCOPES],
    accessTokenTTL: ACCESS_TOKEN_TTL,
    refreshTokenTTL: GRANT_TTL,
    resourceMetadata: { resource: `${origin}${MCP_PATH}`, resource_name: "Support Triage" },
  };
}

/** The request's origin as the provider wants it: lowercase scheme and host, no default port. */
export function originOfRequest(request: Request | URL | string): string {
  return new URL(typeof request === "string" || request instanceof URL ? request : request.url).origin;
}

/** True for the paths the OAuth provider itself answers (the app never sees them). */
export function isOAuthProviderPath(pathname: string): boolean {
  return (
    pathname === MCP_PATH ||
    pathname.startsWith(`${MCP_PATH}/`) ||
    pathname === TOKEN_PATH ||
    pathname === REGISTER_PATH ||
    pathname.startsWith("/.well-known/oauth-")
  );
}

/**
 * The Worker's front: one OAuthProvider per origin, each handing `apiHandler`
 * the MCP requests with a valid token and `appHandler` everything else.
 */
export function oauthFront(apiHandler: Handler, appHandler: Handler) {
  const providers = new Map<string, OAuthProvider<Env>>();
  return {
    async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
      const origin = originOfRequest(request);
      let provider = providers.get(origin);
      if (!provider) {
        if (providers.size >= 16) providers.clear();
        provider = new OAuthProvider<Env>(optionsFor(origin, apiHandler, appHandler));
        providers.set(origin, provider);
      }
      const refresh = request.method === "POST" && new URL(request.url).pathname === TOKEN_PATH ? await refreshTokenOf(request) : null;
      if (!refresh) return provider.fetch(request, env, ctx);
      return refreshOnce(env, origin, refresh, () => provider.fetch(request, env, ctx));
    },
  };
}

/** How long a used refresh token is remembered: as long as any grant's refresh token can live. */
const USED_REFRESH_TTL = GRANT_TTL;

/** The refresh token of a `grant_type=refresh_token` token request (form-encoded, as OAuth requires), else null. */
async function refreshTokenOf(request: Request): Promise<{ token: string; userId: string; grantId: string } | null> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return null;
  const form = new URLSearchParams(await request.clone().text());
  const token = form.get("refresh_token");
  if (form.get("grant_type") !== "refresh_token" || !token) return null;
  const [userId, grantId, secret] = token.split(":");
  return userId && grantId && secret ? { token, userId, grantId } : null;
}

/**
 * Refresh tokens are single use (OAuth 2.1 for public clients). The provider
 * library accepts the one before the current one again, to forgive a lost
 * answer; we remember every refresh token that was exchanged, and one
 * presented a second time means two parties hold it: the grant is revoked, so
 * neither the thief nor the client can go on, and the person connects again.
 * (KV is eventually consistent: two uses within moments of each other may both pass.)
 */
async function refreshOnce(
  env: Env,
  origin: string,
  refresh: { token: string; userId: string; grantId: string },
  exchange: () => Promise<Response>,
): Promise<Response> {
  const used = `refresh-used:${await sha256Hex(refresh.token)}`;
  if (await env.OAUTH_KV.get(used)) {
    await oauthHelpers(env, origin)
      .revokeGrant(refresh.grantId, refresh.userId)
      .catch(() => undefined);
    console.warn("refresh token reused: grant revoked", refresh.grantId);
    return new Response(
      JSON.stringify({ error: "invalid_grant", error_description: "this refresh token was already used: the grant is revoked, connect the client again" }),
      {
        status: 400,
        headers: { "content-type": "application/json", "cache-control": "no-store" },
      },
    );
  }
  const res = await exchange();
  if (res.ok) await env.OAUTH_KV.put(used, refresh.grantId, { expirationTtl: USED_REFRESH_TTL });
  return res;
}

/** The provider's helpers (parse and complete authorization, list and revoke grants) for an origin. */
export function oauthHelpers(env: Env, origin: string): OAuthHelpers {
  return getOAuthApi<Env>(optionsFor(origin, notUsed, notUsed), env);
}

/**
 * The provider's user id for a person. Its tokens are `<user>:<grant>:<secret>`,
 * so a user id may not contain ":"; ours never do, and encoding keeps it so.
 */
export function grantUserId(userId: string): string {
  return encodeURIComponent(userId);
}

// ── the dashboard's list of connected clients ────────────────────────────────

export interface McpConnectionView {
  grantId: string;
  clientId: string;
  clientName: string;
  scopes: McpScope[];
  createdAt: string;
  expiresAt: string | null;
}

/** The person's own MCP grants in one account, newest first. */
export async function listMcpConnections(env: Env, origin: string, user: SessionUser, accountId: string): Promise<McpConnectionView[]> {
  requireRole(user, accountId, "agent");
  const oauth = oauthHelpers(env, origin);
  const views: McpConnectionView[] = [];
  let cursor: string | undefined;
  do {
    const page = await oauth.listUserGrants(grantUserId(user.id), { limit: 100, cursor });
    for (const g of page.items) {
      const meta = (g.metadata ?? {}) as Partial<McpGrantMetadata>;
      if (meta.accountId !== accountId) continue;
      views.push({
        grantId: g.id,
        clientId: g.clientId,
        clientName: meta.clientName ?? g.clientId,
        scopes: g.scope.filter(isMcpScope),
        createdAt: new Date(g.createdAt * 1000).toISOString(),
        expiresAt: g.expiresAt ? new Date(g.expiresAt * 1000).toISOString() : null,
      });
    }
    cursor = page.cursor;
  } while (cursor && views.length < 500);
  return views.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Revokes one of the person's grants in the account: its access and refresh tokens stop working at once. */
export async function revokeMcpConnection(env: Env, origin: string, user: SessionUser, accountId: string, grantId: string): Promise<McpConnectionView> {
  const mine = (await listMcpConnections(env, origin, user, accountId)).find((c) => c.grantId === grantId);
  if (!mine) throw new HttpError(404, `no MCP client connection "${grantId}" of yours in "${accountId}"`);
  await oauthHelpers(env, origin).revokeGrant(grantId, grantUserId(user.id));
  await auditIdentity(env, accountId, actorOf(user), "mcp.client_revoked", {
    before: { grantId, clientId: mine.clientId, client: mine.clientName, scopes: mine.scopes },
    artifact: `mcp-grants/${grantId}`,
  });
  return mine;
}
