// The REST API: sign-in for scripts, tasks, decisions and figures, and the
// admin routes. Documented in docs/api.md.
//
// Every route says who may call it: "public", "session" (a signed-in user:
// session cookie or the bearer token of POST /api/session), or a scope, which
// a session or a personal API token with that scope may use. Roles are checked
// on top, inside each route, against the user's current memberships.
import { z } from "zod";
import { decideTask } from "../agent/decide";
import { glossProposal } from "../agent/gloss";
import { openProposal, queuePage } from "../agent/proposals";
import { decodeCursor } from "../agent/stores/proposal-index";
import { accountAgent } from "../agent/stubs";
import { exportSamples, sampleById, samplePage } from "../audit/samples";
import { toolLatencyReport } from "../audit/tool-latency";
import { timingSafeEqual } from "../crypto/hashing";
import { adminRevoke, adminRotate, allConnections, disconnectMine, myConnections, removeMemberWithConnections } from "../delegation/admin";
import type { ApiScope } from "../domain/api-scopes";
import { parseDecision } from "../domain/decisions";
import { fieldErrors, HttpError } from "../domain/errors";
import type { SessionUser } from "../domain/types";
import { TASK_STATUSES } from "../domain/types";
import { authenticateApiToken, createApiToken, isPersonalToken, listApiTokens, revokeApiToken } from "../identity/api-tokens";
import { checkLoginAllowed, loginLimitError, recordLoginAttempt } from "../identity/login-limits";
import { changeMemberRole, inviteMember, listMembers, revokeInvitation } from "../identity/members";
import {
  bearerToken,
  checkCredentials,
  clearSessionCookie,
  createSession,
  destroySession,
  requireRole,
  requireUser,
  revokeAllSessions,
} from "../identity/session";
import {
  addKnowledgeArticle,
  articlePageQuery,
  deleteKnowledgeArticle,
  knowledgeArticle,
  knowledgePage,
  knowledgeSourceViews,
  searchKnowledgeAs,
  searchQuery,
  syncKnowledgeNow,
} from "../knowledge/requests";
import { listMcpConnections, originOfRequest, revokeMcpConnection } from "../mcp/oauth";
import { exportAudit } from "../operations/audit-export";
import { billingOverview, enableBillingSource, updateGenericBilling, updateStripeBilling } from "../operations/billing";
import { connectorOverview, enableConnector, rotateConnectorSecret, updateConnectorOutbound, updateConnectorWriteBack } from "../operations/connectors";
import { setGlobalKillSwitch, updateOperations } from "../operations/settings";
import { operatingState } from "../policy/operating-state";
import { dailyFiguresFor, taskById, tasksPage, triageInsights } from "../tasks/queries";
import { latencyQuery, triageInsightsQuery } from "./insights-params";
import { daysParam, pageParams, parseQuery, queueFilterParams } from "./list-params";
import { json } from "./responses";

const MAX_API_BODY = 64 * 1024;

/** An article's body may be up to KNOWLEDGE_LIMITS.bodyChars (200,000 characters): its JSON, escaped, fits in this. */
const MAX_ARTICLE_BODY = 1024 * 1024;

async function readJson(request: Request, max = MAX_API_BODY): Promise<unknown> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") throw new HttpError(415, "content-type must be application/json");
  if (Number(request.headers.get("content-length") ?? 0) > max) throw new HttpError(413, `body too large: the limit is ${max / 1024} KiB`);
  const text = await request.text();
  if (text.length > max) throw new HttpError(413, `body too large: the limit is ${max / 1024} KiB`);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid JSON", { fields: [{ path: "(body)", message: "not JSON" }] });
  }
}

const loginSchema = z.object({ email: z.string().min(3).max(320), password: z.string().min(1).max(200) });

type Access = "public" | "session" | ApiScope;
type Params = Record<string, string>;
type Handler = (request: Request, env: Env, params: Params, user: SessionUser) => Promise<Response>;
type PublicHandler = (request: Request, env: Env, params: Params) => Promise<Response>;

const routes: { method: string; pattern: URLPattern; access: Access; handler: Handler }[] = [];
function route(method: string, pathname: string, access: "public", handler: PublicHandler): void;
function route(method: string, pathname: string, access: Exclude<Access, "public">, handler: Handler): void;
function route(method: string, pathname: string, access: Access, handler: Handler | PublicHandler) {
  routes.push({ method, pattern: new URLPattern({ pathname }), access, handler: handler as Handler });
}

/**
 * Who is calling, for a route that needs someone. A personal API token is
 * refused with 401 when it is not valid; with 403 on a route that needs a
 * session; with 404 outside its own account (as for strangers); with 403 without
 * the route's scope. Everything else is a session (or 401).
 */
async function callerFor(request: Request, env: Env, access: Exclude<Access, "public">, params: Params): Promise<SessionUser> {
  const bearer = bearerToken(request);
  if (!isPersonalToken(bearer)) return requireUser(env, request);
  const principal = await authenticateApiToken(env, bearer);
  if (access === "session") {
    throw new HttpError(403, "this needs a session: personal API tokens cannot be used here (sign in with POST /api/session)");
  }
  if (params.account !== undefined && params.account !== principal.token.accountId) {
    throw new HttpError(404, `no account "${params.account}" for this token`);
  }
  if (!principal.token.scopes.includes(access)) throw new HttpError(403, `this token lacks the "${access}" scope`);
  return principal.user;
}

/** Liveness: answers without touching storage (also the benchmark's bare-route baseline). */
route("GET", "/api/health", "public", async () => json({ ok: true }));

route("POST", "/api/session", "public", async (request, env) => {
  const parsed = loginSchema.safeParse(await readJson(request));
  if (!parsed.success) throw new HttpError(400, "email and password are required", { fields: fieldErrors(parsed.error) });
  const allowed = await checkLoginAllowed(env, request, parsed.data.email);
  if (!allowed.ok) throw loginLimitError(allowed);
  const user = await checkCredentials(env, parsed.data.email, parsed.data.password);
  await recordLoginAttempt(env, request, parsed.data.email, !!user);
  if (!user) throw new HttpError(401, "wrong email or password");
  const session = await createSession(env, request, user.id);
  return json({ token: session.token, expiresAt: session.expiresAt }, 201, { "set-cookie": session.cookie });
});

route("DELETE", "/api/session", "public", async (request, env) => {
  const cookie = await destroySession(env, request);
  return new Response(null, { status: 204, headers: { "set-cookie": cookie } });
});

/** Sign out everywhere: every session of the user ends, this one included. API tokens stay. */
route("POST", "/api/session/revoke-all", "session", async (request, env, _params, user) => {
  const revoked = await revokeAllSessions(env, user.id);
  return json({ revoked }, 200, { "set-cookie": clearSessionCookie(request) });
});

route("GET", "/api/me", "session", async (_request, _env, _params, user) => json(user));

route("GET", "/api/accounts/:account/tasks", "tasks:read", async (request, env, { account }, user) => {
  requireRole(user, account!, "agent");
  const q = parseQuery(new URL(request.url), { ...pageParams(25), status: z.enum(TASK_STATUSES).optional() });
  return json(await tasksPage(env, account!, q));
});

route("GET", "/api/accounts/:account/tasks/:task", "tasks:read", async (_request, env, { account, task }, user) => {
  requireRole(user, account!, "agent");
  const found = await taskById(env, account!, task!);
  if (!found) throw new HttpError(404, `no task ${task} in account "${account}"`);
  return json(found);
});

/** The review queue, a page at a time, most urgent first (`{ proposals, nextCursor, counts, version }`). */
route("GET", "/api/accounts/:account/proposals", "tasks:read", async (request, env, { account }, user) => {
  requireRole(user, account!, "agent");
  const { limit, cursor, ...filter } = parseQuery(new URL(request.url), { ...pageParams(50), ...queueFilterParams });
  const after = cursor ? decodeCursor(cursor) : null;
  if (cursor && !after)
    throw new HttpError(400, "invalid query", { fields: [{ path: "cursor", message: "cursor must be the nextCursor of a previous page" }] });
  return json(await queuePage(env, account!, filter, limit, after));
});

/** One open proposal with everything a reviewer sees (ticket, tool calls, draft). */
route("GET", "/api/accounts/:account/proposals/:task", "tasks:read", async (_request, env, { account, task }, user) => {
  requireRole(user, account!, "agent");
  const proposal = await openProposal(env, account!, task!);
  if (proposal) return json(proposal);
  const outcome = /^t_[0-9a-f]{32}$/.test(task!) ? await (await accountAgent(env, account!)).closedOutcome(task!) : null;
  throw new HttpError(404, outcome ? `task ${task} is closed (${outcome})` : `no open proposal ${task} in account "${account}"`);
});

/** An English gloss of the proposal's ticket and draft by the hosted model (409 without one). */
route("POST", "/api/accounts/:account/proposals/:task/gloss", "tasks:read", async (_request, env, { account, task }, user) => {
  requireRole(user, account!, "agent");
  return json(await glossProposal(env, account!, task!));
});

route("POST", "/api/accounts/:account/tasks/:task/decision", "tasks:decide", async (request, env, { account, task }, user) => {
  requireRole(user, account!, "agent");
  const input = parseDecision(await readJson(request));
  return json(await decideTask(env, user, account!, task!, input));
});

route("GET", "/api/accounts/:account/figures", "figures:read", async (request, env, { account }, user) => {
  requireRole(user, account!, "lead");
  const { days } = parseQuery(new URL(request.url), { days: daysParam(14, 90) });
  return json({ figures: await dailyFiguresFor(env, account!, days) });
});

/** Is triage helping? Per category and language: decisions, edit size, first response and SLA (`?days=&category=&language=`). */
route("GET", "/api/accounts/:account/insights/triage", "figures:read", async (request, env, { account }, user) => {
  requireRole(user, account!, "lead");
  return json(await triageInsights(env, account!, parseQuery(new URL(request.url), triageInsightsQuery)));
});

/** Tail latency: p50/p95/p99, error rate and calls per tool and for the whole draft, against the budgets, and the slowest calls (`?window=24h|7d`). */
route("GET", "/api/accounts/:account/insights/latency", "figures:read", async (request, env, { account }, user) => {
  requireRole(user, account!, "lead");
  const { window } = parseQuery(new URL(request.url), latencyQuery);
  return json(await toolLatencyReport(env, account!, window));
});

route("GET", "/api/accounts/:account/connectors", "session", async (_request, env, { account }, user) =>
  json({ connectors: await connectorOverview(env, user, account!) }),
);

route("POST", "/api/accounts/:account/connectors/:source/enabled", "session", async (request, env, { account, source }, user) => {
  requireRole(user, account!, "admin");
  return json(await enableConnector(env, user, account!, source!, await readJson(request)));
});

route("POST", "/api/accounts/:account/connectors/:source/secret", "session", async (request, env, { account, source }, user) => {
  requireRole(user, account!, "admin");
  return json(await rotateConnectorSecret(env, user, account!, source!, await readJson(request)));
});

route("PUT", "/api/accounts/:account/connectors/:source/outbound", "session", async (request, env, { account, source }, user) => {
  requireRole(user, account!, "admin");
  return json(await updateConnectorOutbound(env, user, account!, source!, await readJson(request)));
});

route("PUT", "/api/accounts/:account/connectors/:source/write-back", "session", async (request, env, { account, source }, user) => {
  requireRole(user, account!, "admin");
  return json(await updateConnectorWriteBack(env, user, account!, source!, await readJson(request)));
});

// ── billing sources for entitlements (docs/connectors.md "Entitlements from your billing system"): admins only, fingerprints only ──

route("GET", "/api/accounts/:account/billing", "session", async (_request, env, { account }, user) => json(await billingOverview(env, user, account!)));

route("PUT", "/api/accounts/:account/billing/stripe", "session", async (request, env, { account }, user) =>
  json(await updateStripeBilling(env, user, account!, await readJson(request))),
);

route("PUT", "/api/accounts/:account/billing/generic", "session", async (request, env, { account }, user) =>
  json(await updateGenericBilling(env, user, account!, await readJson(request))),
);

route("POST", "/api/accounts/:account/billing/:kind/enabled", "session", async (request, env, { account, kind }, user) => {
  requireRole(user, account!, "admin");
  const body = await readJson(request);
  const enabled = (body as { enabled?: unknown } | null)?.enabled;
  if (typeof enabled !== "boolean") throw new HttpError(400, 'expected {"enabled": true|false}', { fields: [{ path: "enabled", message: "true or false" }] });
  return json(await enableBillingSource(env, user, account!, kind!, enabled));
});

route("GET", "/api/accounts/:account/operations", "session", async (_request, env, { account }, user) => {
  requireRole(user, account!, "admin");
  return json(await operatingState(env, account!));
});

route("PATCH", "/api/accounts/:account/operations", "session", async (request, env, { account }, user) => {
  requireRole(user, account!, "admin");
  return json(await updateOperations(env, user, account!, await readJson(request)));
});

route("GET", "/api/accounts/:account/audit.:format", "audit:export", async (_request, env, { account, format }, user) => {
  requireRole(user, account!, "lead");
  if (format !== "jsonl" && format !== "csv") throw new HttpError(404, "audit exports are .jsonl or .csv");
  const day = new Date().toISOString().slice(0, 10);
  return new Response(exportAudit(env, account!, format), {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="audit-${account}-${day}.${format}"`,
      "cache-control": "no-store",
    },
  });
});

// ── samples of drafting runs for quality review (docs/samples.md) ───────────

/** The account's samples, newest first (`{ samples, nextCursor, prevCursor }`; `?limit=&cursor=`). */
route("GET", "/api/accounts/:account/samples", "samples:read", async (request, env, { account }, user) => {
  requireRole(user, account!, "lead");
  return json(await samplePage(env, account!, parseQuery(new URL(request.url), pageParams(25, 100))));
});

/** Every sample as an evaluation case, one JSON object per line, oldest first. */
route("GET", "/api/accounts/:account/samples/export", "samples:read", async (_request, env, { account }, user) => {
  requireRole(user, account!, "lead");
  const day = new Date().toISOString().slice(0, 10);
  return new Response(exportSamples(env, account!), {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="samples-${account}-${day}.jsonl"`,
      "cache-control": "no-store",
    },
  });
});

/** One sample with its redacted input and output and the reviewer's decision. */
route("GET", "/api/accounts/:account/samples/:sample", "samples:read", async (_request, env, { account, sample }, user) => {
  requireRole(user, account!, "lead");
  const found = await sampleById(env, account!, sample!);
  if (!found) throw new HttpError(404, `no sample ${sample} in account "${account}" (it may have expired)`);
  return json(found);
});

// ── knowledge: articles, search and syncs (docs/knowledge.md) ───────────────

route("POST", "/api/accounts/:account/knowledge/articles", "knowledge:write", async (request, env, { account }, user) => {
  requireRole(user, account!, "admin");
  return json(await addKnowledgeArticle(env, user, account!, await readJson(request, MAX_ARTICLE_BODY)), 201);
});

/** A page of articles (`{ articles, next, total }`, at most 50), newest change first; `?cursor=` is the previous page's `next`. */
route("GET", "/api/accounts/:account/knowledge/articles", "knowledge:read", async (request, env, { account }, user) => {
  requireRole(user, account!, "agent");
  return json(await knowledgePage(env, user, account!, parseQuery(new URL(request.url), articlePageQuery)));
});

route("GET", "/api/accounts/:account/knowledge/articles/:id", "knowledge:read", async (_request, env, { account, id }, user) => {
  requireRole(user, account!, "agent");
  return json(await knowledgeArticle(env, user, account!, id!));
});

route("DELETE", "/api/accounts/:account/knowledge/articles/:id", "knowledge:write", async (_request, env, { account, id }, user) => {
  requireRole(user, account!, "admin");
  await deleteKnowledgeArticle(env, user, account!, id!);
  return new Response(null, { status: 204 });
});

/** Ranked hits `{ hits: [{ id, title, url, snippet, score, language, kind }] }`; `score` is explained in docs/knowledge.md. */
route("GET", "/api/accounts/:account/knowledge/search", "knowledge:read", async (request, env, { account }, user) => {
  requireRole(user, account!, "agent");
  const hits = await searchKnowledgeAs(env, user, account!, parseQuery(new URL(request.url), searchQuery));
  return json({ hits: hits.map(({ id, title, url, snippet, score, language, kind }) => ({ id, title, url, snippet, score, language, kind })) });
});

/** Syncs every source connected with outbound credentials now; answers each source's result. */
route("POST", "/api/accounts/:account/knowledge/sync", "knowledge:write", async (_request, env, { account }, user) => {
  requireRole(user, account!, "admin");
  return json({ results: await syncKnowledgeNow(env, user, account!) });
});

/** The sources knowledge can be imported from: connected or not, and each one's last sync. */
route("GET", "/api/accounts/:account/knowledge/syncs", "knowledge:read", async (_request, env, { account }, user) => {
  requireRole(user, account!, "agent");
  return json({ sources: await knowledgeSourceViews(env, user, account!) });
});

// ── personal API tokens (session only: a token cannot mint tokens) ──────────

route("GET", "/api/accounts/:account/tokens", "session", async (_request, env, { account }, user) =>
  json({ tokens: await listApiTokens(env, user, account!) }),
);

route("POST", "/api/accounts/:account/tokens", "session", async (request, env, { account }, user) => {
  requireRole(user, account!, "agent");
  const { token, apiToken } = await createApiToken(env, user, account!, await readJson(request));
  return json({ token, ...apiToken }, 201);
});

route("DELETE", "/api/accounts/:account/tokens/:id", "session", async (_request, env, { account, id }, user) =>
  json(await revokeApiToken(env, user, account!, id!)),
);

// ── MCP clients the caller connected (session only: OAuth grants, worker/mcp) ──

route("GET", "/api/accounts/:account/mcp-clients", "session", async (request, env, { account }, user) =>
  json({ clients: await listMcpConnections(env, originOfRequest(request), user, account!) }),
);

/** Revokes the grant: the client's access and refresh tokens stop working at once. */
route("DELETE", "/api/accounts/:account/mcp-clients/:grant", "session", async (request, env, { account, grant }, user) =>
  json({ revoked: await revokeMcpConnection(env, originOfRequest(request), user, account!, grant!) }),
);

// ── delegated connections (session only; never a token in an answer) ───────

/** The caller's own connections (any member). */
route("GET", "/api/accounts/:account/connections", "session", async (_request, env, { account }, user) =>
  json({ connections: await myConnections(env, user, account!) }),
);

/** The caller disconnects their own connection to a provider. */
route("DELETE", "/api/accounts/:account/connections/:provider", "session", async (_request, env, { account, provider }, user) =>
  json(await disconnectMine(env, user, account!, provider!)),
);

/** Everyone's connections in the account (admins). */
route("GET", "/api/accounts/:account/delegations", "session", async (_request, env, { account }, user) =>
  json({ connections: await allConnections(env, user, account!) }),
);

/** Admins: revoke one person's ({person: email}) or everyone's connections, optionally one provider. */
route("POST", "/api/accounts/:account/delegations/revoke", "session", async (request, env, { account }, user) => {
  requireRole(user, account!, "admin");
  return json(await adminRevoke(env, user, account!, await readJson(request)));
});

/** Admins: refresh now (new access and refresh tokens) for one person or everyone. */
route("POST", "/api/accounts/:account/delegations/rotate", "session", async (request, env, { account }, user) => {
  requireRole(user, account!, "admin");
  return json(await adminRotate(env, user, account!, await readJson(request)));
});

// ── members and invitations (admins) ────────────────────────────────────────

route("GET", "/api/accounts/:account/members", "session", async (_request, env, { account }, user) => json(await listMembers(env, user, account!)));

route("POST", "/api/accounts/:account/members/invitations", "session", async (request, env, { account }, user) => {
  requireRole(user, account!, "admin");
  const { invitation, path } = await inviteMember(env, user, account!, await readJson(request));
  return json({ invitation, link: new URL(path, request.url).toString() }, 201);
});

route("DELETE", "/api/accounts/:account/members/invitations/:id", "session", async (_request, env, { account, id }, user) => {
  await revokeInvitation(env, user, account!, id!);
  return new Response(null, { status: 204 });
});

route("PATCH", "/api/accounts/:account/members/:user", "session", async (request, env, params, user) => {
  requireRole(user, params.account!, "admin");
  return json(await changeMemberRole(env, user, params.account!, params.user!, await readJson(request)));
});

route("DELETE", "/api/accounts/:account/members/:user", "session", async (_request, env, params, user) => {
  await removeMemberWithConnections(env, user, params.account!, params.user!);
  return new Response(null, { status: 204 });
});

/** The platform's global kill switch: operators only, with the OPS_TOKEN Worker secret. */
route("PUT", "/api/ops/kill-switch", "public", async (request, env) => {
  const auth = request.headers.get("authorization") ?? "";
  if (!env.OPS_TOKEN || !timingSafeEqual(auth, `Bearer ${env.OPS_TOKEN}`)) throw new HttpError(401, "operator token required");
  const parsed = z
    .object({ on: z.boolean(), reason: z.string().max(500).optional() })
    .strict()
    .safeParse(await readJson(request));
  if (!parsed.success) throw new HttpError(400, "invalid request", { fields: fieldErrors(parsed.error) });
  await setGlobalKillSwitch(env, parsed.data.on, `operator${parsed.data.reason ? `: ${parsed.data.reason}` : ""}`);
  return json({ on: parsed.data.on });
});

export async function handleApi(request: Request, env: Env): Promise<Response> {
  let pathMatched = false;
  for (const r of routes) {
    const m = r.pattern.exec(request.url);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== request.method) continue;
    const params = m.pathname.groups as Params;
    if (r.access === "public") return (r.handler as PublicHandler)(request, env, params);
    return r.handler(request, env, params, await callerFor(request, env, r.access, params));
  }
  if (pathMatched) throw new HttpError(405, `method ${request.method} not allowed here`);
  throw new HttpError(404, "no such API route");
}
