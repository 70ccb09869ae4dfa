// The REST API: sign-in for scripts, tasks, decisions and figures.
// Documented in docs/api.md.
import { z } from "zod";
import { accountAgent } from "../agents/account-agent";
import { checkCredentials, createSession, destroySession, requireRole, requireUser } from "../auth/session";
import { dailyFiguresFor, recentTasks } from "../db/queries";
import { HttpError, json } from "../lib/http";
import { decideTask, parseDecision } from "../services/decisions";
import { timingSafeEqual } from "../lib/crypto";
import { exportAudit } from "../operations/audit-export";
import { operatingState, setGlobalKillSwitch, updateOperations } from "../operations/settings";
import { connectorOverview, enableConnector, rotateConnectorSecret, updateConnectorOutbound } from "../connectors/admin";

const MAX_API_BODY = 64 * 1024;

async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") throw new HttpError(415, "content-type must be application/json");
  const text = await request.text();
  if (text.length > MAX_API_BODY) throw new HttpError(413, `body too large: the limit is ${MAX_API_BODY / 1024} KiB`);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid JSON", { fields: [{ path: "(body)", message: "not JSON" }] });
  }
}

const loginSchema = z.object({ email: z.string().min(3).max(320), password: z.string().min(1).max(200) });

type Handler = (request: Request, env: Env, params: Record<string, string>) => Promise<Response>;

const routes: { method: string; pattern: URLPattern; handler: Handler }[] = [];
function route(method: string, pathname: string, handler: Handler) {
  routes.push({ method, pattern: new URLPattern({ pathname }), handler });
}

route("POST", "/api/session", async (request, env) => {
  const parsed = loginSchema.safeParse(await readJson(request));
  if (!parsed.success) throw new HttpError(400, "email and password are required", { fields: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
  const user = await checkCredentials(env, parsed.data.email, parsed.data.password);
  if (!user) throw new HttpError(401, "wrong email or password");
  const session = await createSession(env, request, user.id);
  return json({ token: session.token, expiresAt: session.expiresAt }, 201, { "set-cookie": session.cookie });
});

route("DELETE", "/api/session", async (request, env) => {
  const cookie = await destroySession(env, request);
  return new Response(null, { status: 204, headers: { "set-cookie": cookie } });
});

route("GET", "/api/me", async (request, env) => json(await requireUser(env, request)));

route("GET", "/api/accounts/:account/tasks", async (request, env, { account }) => {
  requireRole(await requireUser(env, request), account!, "agent");
  const limit = Math.min(Number(new URL(request.url).searchParams.get("limit") ?? 25) || 25, 200);
  return json({ tasks: await recentTasks(env, account!, limit) });
});

route("GET", "/api/accounts/:account/proposals", async (request, env, { account }) => {
  requireRole(await requireUser(env, request), account!, "agent");
  return json({ proposals: await (await accountAgent(env, account!)).getProposals() });
});

route("POST", "/api/accounts/:account/tasks/:task/decision", async (request, env, { account, task }) => {
  const user = await requireUser(env, request);
  requireRole(user, account!, "agent");
  const input = parseDecision(await readJson(request));
  return json(await decideTask(env, user, account!, task!, input));
});

route("GET", "/api/accounts/:account/figures", async (request, env, { account }) => {
  requireRole(await requireUser(env, request), account!, "lead");
  const days = Math.min(Math.max(Number(new URL(request.url).searchParams.get("days") ?? 14) || 14, 1), 90);
  return json({ figures: await dailyFiguresFor(env, account!, days) });
});

route("GET", "/api/accounts/:account/connectors", async (request, env, { account }) =>
  json({ connectors: await connectorOverview(env, await requireUser(env, request), account!) }),
);

route("POST", "/api/accounts/:account/connectors/:source/enabled", async (request, env, { account, source }) =>
  json(await enableConnector(env, await requireUser(env, request), account!, source!, await readJson(request))),
);

route("POST", "/api/accounts/:account/connectors/:source/secret", async (request, env, { account, source }) =>
  json(await rotateConnectorSecret(env, await requireUser(env, request), account!, source!, await readJson(request))),
);

route("PUT", "/api/accounts/:account/connectors/:source/outbound", async (request, env, { account, source }) =>
  json(await updateConnectorOutbound(env, await requireUser(env, request), account!, source!, await readJson(request))),
);

route("GET", "/api/accounts/:account/operations", async (request, env, { account }) => {
  requireRole(await requireUser(env, request), account!, "admin");
  return json(await operatingState(env, account!));
});

route("PATCH", "/api/accounts/:account/operations", async (request, env, { account }) =>
  json(await updateOperations(env, await requireUser(env, request), account!, await readJson(request))),
);

route("GET", "/api/accounts/:account/audit.:format", async (request, env, { account, format }) => {
  const user = await requireUser(env, request);
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

/** The platform's global kill switch: operators only, with the OPS_TOKEN Worker secret. */
route("PUT", "/api/ops/kill-switch", async (request, env) => {
  const auth = request.headers.get("authorization") ?? "";
  if (!env.OPS_TOKEN || !timingSafeEqual(auth, `Bearer ${env.OPS_TOKEN}`)) throw new HttpError(401, "operator token required");
  const parsed = z.object({ on: z.boolean(), reason: z.string().max(500).optional() }).strict().safeParse(await readJson(request));
  if (!parsed.success) throw new HttpError(400, "invalid request", { fields: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
  await setGlobalKillSwitch(env, parsed.data.on, `operator${parsed.data.reason ? `: ${parsed.data.reason}` : ""}`);
  return json({ on: parsed.data.on });
});

export async function handleApi(request: Request, env: Env): Promise<Response> {
  let pathMatched = false;
  for (const r of routes) {
    const m = r.pattern.exec(request.url);
    if (!m) continue;
    pathMatched = true;
    if (r.method === request.method) return r.handler(request, env, m.pathname.groups as Record<string, string>);
  }
  if (pathMatched) throw new HttpError(405, `method ${request.method} not allowed here`);
  throw new HttpError(404, "no such API route");
}
