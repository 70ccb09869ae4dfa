// The Worker entry: webhooks, the REST API, the agents' WebSockets (after a
// session check) and, for everything else, the React Router dashboard. In
// front, the OAuth provider of the MCP server answers its own paths only:
// /mcp (with a bearer token it issued), /oauth/token, /oauth/register and the
// /.well-known/oauth-* documents (worker/mcp/oauth.ts).
import { routeAgentRequest } from "agents";
import { inArray } from "drizzle-orm";
import { createRequestHandler, RouterContextProvider } from "react-router";
import { IDENTITY_HEADER } from "./agent/account-agent";
import { getDb, schema } from "./db/client";
import { HttpError } from "./domain/errors";
import { cloudflareContext } from "./http/app-context";
import { contentSecurityPolicy, cspNonceContext, newNonce, originOf } from "./http/csp";
import { originRefusal } from "./http/origin";
import { errorResponse } from "./http/responses";
import { handleApi } from "./http/routes";
import { connectionIdentity } from "./identity/connection-identity";
import { loadSession } from "./identity/session";
import { handleWebhook } from "./intake/intake";
import { handleStripeEvent } from "./intake/stripe-events";
import { CONSENT_FORM_TARGET_HEADER } from "./mcp/consent";
import { AUTHORIZE_PATH, isOAuthProviderPath, oauthFront } from "./mcp/oauth";
import { mcpApiHandler } from "./mcp/server";
import { signalTriage } from "./triage/client";

export { AccountAgent } from "./agent/account-agent";
export { TicketDrafter } from "./agent/drafting/ticket-drafter";
export { TriageWorkflow } from "./triage/triage-workflow";

const requestHandler = createRequestHandler(() => import("virtual:react-router/server-build"), import.meta.env.MODE);

const WEBHOOK = new URLPattern({ pathname: "/webhooks/:account/:source" });
/** Stripe's events for entitlements: one segment deeper than a help desk's source, so the two never collide. */
const STRIPE_WEBHOOK = new URLPattern({ pathname: "/webhooks/:account/billing/stripe" });
/** The one agent route a browser may reach: the account agent's WebSocket. */
const AGENT_SOCKET = new URLPattern({ pathname: "/agents/account-agent/:account" });

/** Cookie-authenticated state changes must come from our own pages (or a configured origin). */
function checkSameOrigin(request: Request, env: Env) {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return;
  const refusal = originRefusal(request, env, false);
  if (refusal) throw new HttpError(403, refusal);
}

/**
 * Everything under /agents/ is refused except the account agent's WebSocket
 * upgrade at its own path, from the app's own pages: no other agent class, no
 * sub-agent paths or headers, no HTTP endpoints of the SDK (its chat history
 * among them), and no handshake from another origin (cross-site WebSocket hijacking).
 */
function agentSocketRequest(request: Request, env: Env): { request: Request; account: string } {
  const match = AGENT_SOCKET.exec(request.url);
  if (!match) throw new HttpError(404, "no such agent route");
  if ([...request.headers.keys()].some((h) => h.startsWith("x-cf-agents-"))) throw new HttpError(400, "agent routing headers are not accepted");
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") throw new HttpError(426, "the account agent is reached over a WebSocket only");
  const refusal = originRefusal(request, env, true);
  if (refusal) throw new HttpError(403, refusal);
  return { request, account: decodeURIComponent(match.pathname.groups.account!) };
}

/**
 * The agent's WebSocket and HTTP endpoints are only for signed-in members of
 * that account. The identity header is set here and nowhere else.
 */
async function authorizeAgentRequest(request: Request, env: Env, accountId: string): Promise<Request | Response> {
  // Sessions only: a personal API token (Authorization: Bearer st_pat_…) is not a sign-in here.
  const session = await loadSession(env, request);
  if (!session) return new Response("sign in first", { status: 401 });
  const membership = session.user.memberships.find((m) => m.accountId === accountId);
  if (!membership) return new Response("not a member of this account", { status: 403 });
  // A fresh header value replaces anything a client may have sent under this name.
  const forwarded = new Request(request);
  forwarded.headers.set(IDENTITY_HEADER, JSON.stringify(connectionIdentity(session, membership.role)));
  return forwarded;
}

/** Pages may be framed by nobody; API answers are data, never documents that run anything. */
const NON_HTML_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

function withSecurityHeaders(response: Response, csp: { nonce: string; url: URL; env: Env } | null = null): Response {
  if (response.status === 101 || response.webSocket) return response;
  const r = new Response(response.body, response);
  r.headers.set("x-content-type-options", "nosniff");
  r.headers.set("referrer-policy", "same-origin");
  r.headers.set("x-frame-options", "DENY");
  r.headers.set("cross-origin-opener-policy", "same-origin");
  r.headers.set("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
  const html = r.headers.get("content-type")?.toLowerCase().startsWith("text/html");
  // The MCP consent page's approval redirects to the client's registered redirect URI (worker/mcp/consent.ts).
  const consentTarget = csp?.url.pathname === AUTHORIZE_PATH ? originOf(r.headers.get(CONSENT_FORM_TARGET_HEADER) ?? undefined) : null;
  r.headers.delete(CONSENT_FORM_TARGET_HEADER);
  if (html && csp) {
    const issuer = originOf(csp.env.OIDC_ISSUER);
    const formTargets = [issuer, consentTarget].filter((t): t is string => !!t);
    r.headers.set("content-security-policy", contentSecurityPolicy({ nonce: csp.nonce, url: csp.url, formTargets }));
  } else if (!html) {
    r.headers.set("content-security-policy", NON_HTML_CSP);
  }
  return r;
}

/**
 * The local Workflows engine (vite dev / wrangler dev) does not wake an instance
 * that was sleeping or between step retries when the runtime stopped; any event
 * wakes it. So in development the first request after a (re)start nudges every
 * open task's Workflow with an event nothing waits for. Deployed Workflows
 * resume by themselves and skip this.
 */
let workflowsWoken = false;
async function wakeOpenWorkflows(env: Env) {
  const open = await getDb(env)
    .select({ id: schema.tasks.id })
    .from(schema.tasks)
    .where(inArray(schema.tasks.status, ["received", "drafting", "awaiting_review", "sending"]));
  for (const { id } of open) {
    try {
      await signalTriage(env, id, { type: "wake", payload: {} });
    } catch {
      // Not started yet, or already finished: nothing to wake.
    }
  }
}

const app = {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (import.meta.env.DEV && !workflowsWoken) {
      workflowsWoken = true;
      ctx.waitUntil(wakeOpenWorkflows(env).catch((err) => console.error("waking workflows failed", String(err))));
    }
    try {
      const stripeEvent = STRIPE_WEBHOOK.exec(url);
      if (stripeEvent) {
        if (request.method !== "POST") throw new HttpError(405, "webhooks are POST only");
        return withSecurityHeaders(await handleStripeEvent(request, env, decodeURIComponent(stripeEvent.pathname.groups.account!)));
      }
      const webhook = WEBHOOK.exec(url);
      if (webhook) {
        if (request.method !== "POST") throw new HttpError(405, "webhooks are POST only");
        const { account, source } = webhook.pathname.groups as { account: string; source: string };
        return withSecurityHeaders(await handleWebhook(request, env, ctx, account, source));
      }

      if (url.pathname.startsWith("/agents/")) {
        const socket = agentSocketRequest(request, env);
        const authorize = (req: Request, route: { name: string }) =>
          route.name === socket.account ? authorizeAgentRequest(req, env, route.name) : new Response("no such agent route", { status: 404 });
        const agentResponse = await routeAgentRequest(socket.request, env, {
          onBeforeConnect: authorize,
          onBeforeRequest: () => new Response("the account agent is reached over a WebSocket only", { status: 426 }),
        });
        if (agentResponse) return agentResponse;
        throw new HttpError(404, "no such agent route");
      }

      checkSameOrigin(request, env);
      if (url.pathname.startsWith("/api/")) return withSecurityHeaders(await handleApi(request, env));

      const context = new RouterContextProvider();
      context.set(cloudflareContext, { env, ctx });
      const nonce = newNonce();
      context.set(cspNonceContext, nonce);
      return withSecurityHeaders(await requestHandler(request, context), { nonce, url, env });
    } catch (err) {
      return withSecurityHeaders(errorResponse(err));
    }
  },
} satisfies ExportedHandler<Env>;

const oauth = oauthFront(mcpApiHandler, app);

export default {
  async fetch(request, env, ctx) {
    if (!isOAuthProviderPath(new URL(request.url).pathname)) return app.fetch(request, env, ctx);
    try {
      return withSecurityHeaders(await oauth.fetch(request, env, ctx));
    } catch (err) {
      return withSecurityHeaders(errorResponse(err));
    }
  },
} satisfies ExportedHandler<Env>;
