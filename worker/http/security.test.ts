// Identity and access: every way in (REST routes, personal API tokens, the
// agent's WebSocket and its callable), refused across accounts and below the
// needed role; sessions that end; sign-in attempt limits; CSRF; no secrets out.
import { env, exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openAgentSocket } from "../../test/agent-socket";
import { ACCOUNT, api, OTHER_ACCOUNT, PASSWORD, signIn, USERS } from "../../test/fixtures";
import { sha256Hex } from "../crypto/hashing";
import { getDb, schema } from "../db/client";
import type { Role } from "../domain/types";
import { acceptInvitation, findInvitation } from "../identity/members";
import { hashPassword } from "../identity/password";
import { contentSecurityPolicy } from "./csp";

const db = () => getDb(env);
let passwordHash: Promise<string> | null = null;
let n = 0;

/** A fresh user with one membership, so tests that remove or demote people touch nobody else. */
async function makeUser(role: Role, accountId = ACCOUNT) {
  n += 1;
  const user = { id: `u_sec_${n}_${Date.now()}`, email: `sec${n}.${Date.now()}@acme.test`, name: `Sec ${n}` };
  passwordHash ??= hashPassword(PASSWORD);
  await db()
    .insert(schema.users)
    .values({ ...user, passwordHash: await passwordHash });
  await db().insert(schema.memberships).values({ userId: user.id, accountId, role });
  return { ...user, role, token: await signIn(user.email) };
}

async function createToken(sessionToken: string, body: Record<string, unknown>, account = ACCOUNT) {
  const res = await api(`/api/accounts/${account}/tokens`, { method: "POST", token: sessionToken, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { token: string; id: string; scopes: string[] };
}

const login = (email: string, password: string, ip: string) =>
  api("/api/session", { method: "POST", headers: { "cf-connecting-ip": ip }, body: JSON.stringify({ email, password }) });

// ── every REST route ────────────────────────────────────────────────────────

/** Every account-scoped route, with a harmless valid-looking body where one is needed. */
const ACCOUNT_ROUTES: { method: string; path: (a: string) => string; body?: unknown }[] = [
  { method: "GET", path: (a) => `/api/accounts/${a}/tasks` },
  { method: "GET", path: (a) => `/api/accounts/${a}/proposals` },
  { method: "POST", path: (a) => `/api/accounts/${a}/tasks/t_x/decision`, body: { action: "approve" } },
  { method: "GET", path: (a) => `/api/accounts/${a}/figures` },
  { method: "GET", path: (a) => `/api/accounts/${a}/connectors` },
  { method: "POST", path: (a) => `/api/accounts/${a}/connectors/generic/enabled`, body: { enabled: false } },
  { method: "POST", path: (a) => `/api/accounts/${a}/connectors/generic/secret`, body: { secret: "whsec_c3RvbGVuLXNlY3JldC1zdG9sZW4tc2VjcmV0" } },
  { method: "PUT", path: (a) => `/api/accounts/${a}/connectors/zendesk/outbound`, body: { apiBaseUrl: "https://evil.example", credentials: {} } },
  { method: "GET", path: (a) => `/api/accounts/${a}/operations` },
  { method: "PATCH", path: (a) => `/api/accounts/${a}/operations`, body: { killSwitch: true } },
  { method: "GET", path: (a) => `/api/accounts/${a}/audit.jsonl` },
  { method: "GET", path: (a) => `/api/accounts/${a}/audit.csv` },
  { method: "GET", path: (a) => `/api/accounts/${a}/tokens` },
  { method: "POST", path: (a) => `/api/accounts/${a}/tokens`, body: { name: "x", scopes: ["tasks:read"] } },
  { method: "DELETE", path: (a) => `/api/accounts/${a}/tokens/tok_x` },
  { method: "GET", path: (a) => `/api/accounts/${a}/members` },
  { method: "POST", path: (a) => `/api/accounts/${a}/members/invitations`, body: { email: "mole@globex.test", role: "admin" } },
  { method: "DELETE", path: (a) => `/api/accounts/${a}/members/invitations/inv_x` },
  { method: "PATCH", path: (a) => `/api/accounts/${a}/members/${USERS.agent.id}`, body: { role: "admin" } },
  { method: "DELETE", path: (a) => `/api/accounts/${a}/members/${USERS.agent.id}` },
  { method: "GET", path: (a) => `/api/accounts/${a}/connections` },
  { method: "DELETE", path: (a) => `/api/accounts/${a}/connections/zendesk` },
  { method: "GET", path: (a) => `/api/accounts/${a}/delegations` },
  { method: "POST", path: (a) => `/api/accounts/${a}/delegations/revoke`, body: {} },
  { method: "POST", path: (a) => `/api/accounts/${a}/delegations/rotate`, body: {} },
  { method: "GET", path: (a) => `/api/accounts/${a}/mcp-clients` },
  { method: "DELETE", path: (a) => `/api/accounts/${a}/mcp-clients/grant_x` },
  { method: "GET", path: (a) => `/api/accounts/${a}/knowledge/search?q=refund` },
  { method: "GET", path: (a) => `/api/accounts/${a}/knowledge/articles` },
  { method: "GET", path: (a) => `/api/accounts/${a}/knowledge/articles/kb_00000000000000000000` },
  { method: "POST", path: (a) => `/api/accounts/${a}/knowledge/articles`, body: { title: "Planted", body: "Planted by a stranger." } },
  { method: "DELETE", path: (a) => `/api/accounts/${a}/knowledge/articles/kb_00000000000000000000` },
  { method: "POST", path: (a) => `/api/accounts/${a}/knowledge/sync` },
  { method: "GET", path: (a) => `/api/accounts/${a}/knowledge/syncs` },
];

const call = (r: (typeof ACCOUNT_ROUTES)[number], account: string, token?: string, headers?: Record<string, string>) =>
  api(r.path(account), { method: r.method, token, headers, body: r.body === undefined ? undefined : JSON.stringify(r.body) });

describe("cross-account access through every REST route", () => {
  it("answers 404 to another account's admin on every route, gives nothing away and changes nothing", async () => {
    const outsider = await signIn(USERS.outsider.email);
    const auditBefore = await db().select().from(schema.auditEvents).where(eq(schema.auditEvents.accountId, ACCOUNT));
    for (const r of ACCOUNT_ROUTES) {
      const res = await call(r, ACCOUNT, outsider);
      const text = await res.text();
      expect(res.status, `${r.method} ${r.path(ACCOUNT)}: ${text}`).toBe(404);
      expect(text).not.toMatch(/"(tasks|proposals|figures|connectors|members|tokens|clients)":/);
      expect(text).not.toContain(USERS.agent.email);
    }
    // Nothing changed in acme: still a member, nothing audited, no kill switch, no invitation.
    const agent = await db()
      .select()
      .from(schema.memberships)
      .where(and(eq(schema.memberships.userId, USERS.agent.id), eq(schema.memberships.accountId, ACCOUNT)));
    expect(agent).toEqual([{ userId: USERS.agent.id, accountId: ACCOUNT, role: "agent" }]);
    expect(await db().select().from(schema.auditEvents).where(eq(schema.auditEvents.accountId, ACCOUNT))).toHaveLength(auditBefore.length);
    expect(await db().select().from(schema.invitations).where(eq(schema.invitations.accountId, ACCOUNT))).toHaveLength(0);
    // Their own account answers.
    expect((await api(`/api/accounts/${OTHER_ACCOUNT}/members`, { token: outsider })).status).toBe(200);
  });

  it("answers 401 on every route without a session", async () => {
    for (const r of ACCOUNT_ROUTES) expect((await call(r, ACCOUNT)).status, `${r.method} ${r.path(ACCOUNT)}`).toBe(401);
    expect((await api("/api/me")).status).toBe(401);
    expect((await api("/api/session/revoke-all", { method: "POST" })).status).toBe(401);
  });
});

describe("roles", () => {
  const ADMIN_ONLY = ACCOUNT_ROUTES.filter((r) => /connectors|operations|members|delegations/.test(r.path("a")));
  const LEAD_UP = ACCOUNT_ROUTES.filter((r) => /figures|audit/.test(r.path("a")));

  it("refuses agents everything for leads and admins with 403", async () => {
    const agent = await signIn(USERS.agent.email);
    for (const r of [...ADMIN_ONLY, ...LEAD_UP]) {
      const res = await call(r, ACCOUNT, agent);
      expect(res.status, `${r.method} ${r.path(ACCOUNT)}`).toBe(403);
      expect(((await res.json()) as { error: string }).error).toMatch(/needs the (lead|admin) role/);
    }
  });

  it("refuses leads the admin routes with 403, and lets them read figures and the audit trail", async () => {
    const lead = await signIn(USERS.lead.email);
    for (const r of ADMIN_ONLY) expect((await call(r, ACCOUNT, lead)).status, `${r.method} ${r.path(ACCOUNT)}`).toBe(403);
    for (const r of LEAD_UP) expect((await call(r, ACCOUNT, lead)).status, `${r.method} ${r.path(ACCOUNT)}`).toBe(200);
  });

  it("lets every member manage their own tokens, and only admins manage members", async () => {
    const agent = await signIn(USERS.agent.email);
    expect((await api(`/api/accounts/${ACCOUNT}/tokens`, { token: agent })).status).toBe(200);
    expect((await api(`/api/accounts/${ACCOUNT}/members`, { token: agent })).status).toBe(403);
    expect((await api(`/api/accounts/${ACCOUNT}/members`, { token: await signIn(USERS.admin.email) })).status).toBe(200);
  });
});

// ── personal API tokens ─────────────────────────────────────────────────────

describe("personal API tokens", () => {
  it("are shown once, stored as SHA-256 only, and listed without token or hash", async () => {
    const agent = await makeUser("agent");
    const created = await createToken(agent.token, { name: "report script", scopes: ["tasks:read"], expiresInDays: 7 });
    expect(created.token).toMatch(/^st_pat_[A-Za-z0-9_-]{43}$/);
    const row = await db().select().from(schema.apiTokens).where(eq(schema.apiTokens.id, created.id)).get();
    expect(row!.tokenHash).toBe(await sha256Hex(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(Date.parse(row!.expiresAt) - Date.parse(row!.createdAt)).toBe(7 * 86_400_000);

    const list = await api(`/api/accounts/${ACCOUNT}/tokens`, { token: agent.token });
    const text = await list.text();
    expect(text).toContain("report script");
    expect(text).not.toContain(created.token);
    expect(text).not.toContain(row!.tokenHash);
    expect(text).not.toMatch(/hash/i);
    // The audit trail records the token, never its value or hash.
    const audit = await (await api(`/api/accounts/${ACCOUNT}/audit.jsonl`, { token: await signIn(USERS.lead.email) })).text();
    expect(audit).toContain("token.created");
    expect(audit).not.toContain(created.token);
    expect(audit).not.toContain(row!.tokenHash);
  });

  it("validate what they are made of", async () => {
    const agent = await makeUser("agent");
    const bad: [Record<string, unknown>, string, number][] = [
      [{ name: "", scopes: ["tasks:read"] }, "name", 400],
      [{ name: "x", scopes: [] }, "scopes", 400],
      [{ name: "x", scopes: ["tasks:write"] }, "scopes.0", 400],
      [{ name: "x", scopes: ["tasks:read"], expiresInDays: 0 }, "expiresInDays", 400],
      [{ name: "x", scopes: ["tasks:read"], expiresInDays: 366 }, "expiresInDays", 400],
      [{ name: "x", scopes: ["tasks:read"], userId: USERS.admin.id }, "", 400],
      // An agent cannot put a lead's scope on a token.
      [{ name: "x", scopes: ["figures:read"] }, "scopes", 403],
    ];
    for (const [body, field, status] of bad) {
      const res = await api(`/api/accounts/${ACCOUNT}/tokens`, { method: "POST", token: agent.token, body: JSON.stringify(body) });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(((await res.json()) as { fields: { path: string }[] }).fields.map((f) => f.path)).toContain(field);
    }
    // The default lifetime is 30 days.
    const created = await createToken(agent.token, { name: "default", scopes: ["tasks:read"] });
    const row = await db().select().from(schema.apiTokens).where(eq(schema.apiTokens.id, created.id)).get();
    expect(Date.parse(row!.expiresAt) - Date.parse(row!.createdAt)).toBe(30 * 86_400_000);
  });

  it("authenticate as their user within their scopes, and record when they were last used", async () => {
    const lead = await makeUser("lead");
    const { token, id } = await createToken(lead.token, { name: "read", scopes: ["tasks:read", "figures:read"] });
    expect((await api(`/api/accounts/${ACCOUNT}/tasks`, { token })).status).toBe(200);
    expect((await api(`/api/accounts/${ACCOUNT}/proposals`, { token })).status).toBe(200);
    expect((await api(`/api/accounts/${ACCOUNT}/figures`, { token })).status).toBe(200);
    const row = await db().select().from(schema.apiTokens).where(eq(schema.apiTokens.id, id)).get();
    expect(row!.lastUsedAt).not.toBeNull();

    // Missing scopes: 403 naming the scope.
    const decision = await api(`/api/accounts/${ACCOUNT}/tasks/t_x/decision`, { method: "POST", token, body: JSON.stringify({ action: "approve" }) });
    expect(decision.status).toBe(403);
    expect(await decision.json()).toEqual({ error: 'this token lacks the "tasks:decide" scope' });
    expect((await api(`/api/accounts/${ACCOUNT}/audit.csv`, { token })).status).toBe(403);

    // With tasks:decide the decision goes through to the task check.
    const decide = await createToken(lead.token, { name: "decide", scopes: ["tasks:decide"] });
    const res = await api(`/api/accounts/${ACCOUNT}/tasks/t_x/decision`, { method: "POST", token: decide.token, body: JSON.stringify({ action: "approve" }) });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: "no task t_x in this account" });
    expect((await api(`/api/accounts/${ACCOUNT}/tasks`, { token: decide.token })).status).toBe(403);
  });

  it("stay in their account: every other account answers 404, even one their user belongs to", async () => {
    const both = await makeUser("admin");
    await db().insert(schema.memberships).values({ userId: both.id, accountId: OTHER_ACCOUNT, role: "admin" });
    const { token } = await createToken(both.token, { name: "acme only", scopes: ["tasks:read", "tasks:decide", "figures:read", "audit:export"] });
    for (const r of ACCOUNT_ROUTES) {
      const res = await call(r, OTHER_ACCOUNT, token);
      expect([403, 404], `${r.method} ${r.path(OTHER_ACCOUNT)}`).toContain(res.status);
      if (!/connectors|operations|tokens|members|connections|delegations|mcp-clients/.test(r.path("a"))) expect(res.status).toBe(404);
    }
    expect((await api(`/api/accounts/${OTHER_ACCOUNT}/tasks`, { token })).status).toBe(404);
    expect((await api(`/api/accounts/${ACCOUNT}/tasks`, { token })).status).toBe(200);
  });

  it("cannot reach connectors, operations, tokens, members, me or sign-out-everywhere: those need a session", async () => {
    const admin = await makeUser("admin");
    const { token } = await createToken(admin.token, { name: "all", scopes: ["tasks:read", "tasks:decide", "figures:read", "audit:export"] });
    const sessionOnly = ACCOUNT_ROUTES.filter((r) => /connectors|operations|tokens|members|connections|delegations|mcp-clients/.test(r.path("a")));
    for (const r of sessionOnly) {
      const res = await call(r, ACCOUNT, token);
      expect(res.status, `${r.method} ${r.path(ACCOUNT)}`).toBe(403);
      expect(((await res.json()) as { error: string }).error).toMatch(/this needs a session/);
    }
    expect((await api("/api/me", { token })).status).toBe(403);
    expect((await api("/api/session/revoke-all", { method: "POST", token })).status).toBe(403);
    // A token cannot mint a token.
    expect(await db().select().from(schema.apiTokens).where(eq(schema.apiTokens.userId, admin.id))).toHaveLength(1);
    // Nor open the agent's WebSocket.
    const ws = await exports.default.fetch(`https://triage.test/agents/account-agent/${ACCOUNT}`, {
      headers: { upgrade: "websocket", origin: "https://triage.test", authorization: `Bearer ${token}` },
    });
    expect(ws.status).toBe(401);
  });

  it("are refused with 401 when forged, malformed, expired or revoked, and when their user left the account", async () => {
    const agent = await makeUser("agent");
    const path = `/api/accounts/${ACCOUNT}/tasks`;
    for (const forged of [`st_pat_${"A".repeat(43)}`, "st_pat_", "st_pat_short", `st_pat_${"x".repeat(500)}`]) {
      const res = await api(path, { token: forged });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: "invalid API token: unknown, expired or revoked" });
    }

    const expired = await createToken(agent.token, { name: "expired", scopes: ["tasks:read"] });
    await db()
      .update(schema.apiTokens)
      .set({ expiresAt: new Date(Date.now() - 1000).toISOString() })
      .where(eq(schema.apiTokens.id, expired.id));
    expect((await api(path, { token: expired.token })).status).toBe(401);

    const revoked = await createToken(agent.token, { name: "revoked", scopes: ["tasks:read"] });
    expect((await api(path, { token: revoked.token })).status).toBe(200);
    const del = await api(`/api/accounts/${ACCOUNT}/tokens/${revoked.id}`, { method: "DELETE", token: agent.token });
    expect(del.status).toBe(200);
    expect(await del.json()).toMatchObject({ id: revoked.id, status: "revoked" });
    expect((await api(path, { token: revoked.token })).status).toBe(401);

    // Someone else's token cannot be revoked by id.
    const other = await makeUser("agent");
    const theirs = await createToken(other.token, { name: "theirs", scopes: ["tasks:read"] });
    expect((await api(`/api/accounts/${ACCOUNT}/tokens/${theirs.id}`, { method: "DELETE", token: agent.token })).status).toBe(404);
    expect((await api(path, { token: theirs.token })).status).toBe(200);

    // The membership ends: so does the token (and the removal revokes it too).
    const leaving = await createToken(agent.token, { name: "leaving", scopes: ["tasks:read"] });
    await db()
      .delete(schema.memberships)
      .where(and(eq(schema.memberships.userId, agent.id), eq(schema.memberships.accountId, ACCOUNT)));
    expect((await api(path, { token: leaving.token })).status).toBe(401);
  });

  it("never exceed their user's current role", async () => {
    const lead = await makeUser("lead");
    const { token } = await createToken(lead.token, { name: "figures", scopes: ["figures:read", "audit:export"] });
    expect((await api(`/api/accounts/${ACCOUNT}/figures`, { token })).status).toBe(200);
    const admin = await signIn(USERS.admin.email);
    expect((await api(`/api/accounts/${ACCOUNT}/members/${lead.id}`, { method: "PATCH", token: admin, body: JSON.stringify({ role: "agent" }) })).status).toBe(
      200,
    );
    expect((await api(`/api/accounts/${ACCOUNT}/figures`, { token })).status).toBe(403);
    expect((await api(`/api/accounts/${ACCOUNT}/audit.jsonl`, { token })).status).toBe(403);
  });

  it("survive sign-out everywhere (they are revoked one by one)", async () => {
    const agent = await makeUser("agent");
    const { token } = await createToken(agent.token, { name: "cron", scopes: ["tasks:read"] });
    expect((await api("/api/session/revoke-all", { method: "POST", token: agent.token })).status).toBe(200);
    expect((await api(`/api/accounts/${ACCOUNT}/tasks`, { token })).status).toBe(200);
  });
});

// ── sessions ────────────────────────────────────────────────────────────────

describe("sessions", () => {
  it("get a new id at every sign-in; the session the browser carried is deleted", async () => {
    const user = await makeUser("agent");
    const old = user.token;
    const res = await api("/api/session", {
      method: "POST",
      headers: { cookie: `st_session=${old}` },
      body: JSON.stringify({ email: user.email, password: PASSWORD }),
    });
    expect(res.status).toBe(201);
    const fresh = ((await res.json()) as { token: string }).token;
    expect(fresh).not.toBe(old);
    expect((await api("/api/me", { token: old })).status).toBe(401);
    expect((await api("/api/me", { token: fresh })).status).toBe(200);
  });

  it("end everywhere with POST /api/session/revoke-all; other users' sessions stay", async () => {
    const user = await makeUser("agent");
    const second = await signIn(user.email);
    const bystander = await makeUser("agent");
    const res = await api("/api/session/revoke-all", { method: "POST", headers: { cookie: `st_session=${user.token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: 2 });
    expect(res.headers.get("set-cookie")).toMatch(/^st_session=; .*Max-Age=0/);
    for (const token of [user.token, second]) {
      expect((await api("/api/me", { token })).status).toBe(401);
      expect((await api(`/api/accounts/${ACCOUNT}/tasks`, { headers: { cookie: `st_session=${token}` } })).status).toBe(401);
    }
    expect((await api("/api/me", { token: bystander.token })).status).toBe(200);
  });

  it("refuse cross-origin sign-out-everywhere (CSRF)", async () => {
    const user = await makeUser("agent");
    const res = await api("/api/session/revoke-all", { method: "POST", headers: { cookie: `st_session=${user.token}`, origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    expect((await api("/api/me", { token: user.token })).status).toBe(200);
  });

  it("expire 12 hours after sign-in, whatever the activity", async () => {
    const user = await makeUser("agent");
    await db()
      .update(schema.sessions)
      .set({ expiresAt: new Date(Date.now() - 1000).toISOString() })
      .where(eq(schema.sessions.id, await sha256Hex(user.token)));
    expect((await api("/api/me", { token: user.token })).status).toBe(401);
    expect(
      await db()
        .select()
        .from(schema.sessions)
        .where(eq(schema.sessions.id, await sha256Hex(user.token))),
    ).toHaveLength(0);
  });

  it("expire after 2 hours without a request, and stay alive while used", async () => {
    const idle = await makeUser("agent");
    const id = await sha256Hex(idle.token);
    await db()
      .update(schema.sessions)
      .set({ lastSeenAt: new Date(Date.now() - 2 * 3600_000 - 1000).toISOString() })
      .where(eq(schema.sessions.id, id));
    expect((await api("/api/me", { token: idle.token })).status).toBe(401);

    const active = await makeUser("agent");
    const activeId = await sha256Hex(active.token);
    const lastSeen = new Date(Date.now() - 2 * 3600_000 + 60_000).toISOString();
    await db().update(schema.sessions).set({ lastSeenAt: lastSeen }).where(eq(schema.sessions.id, activeId));
    expect((await api("/api/me", { token: active.token })).status).toBe(200);
    const row = await db().select().from(schema.sessions).where(eq(schema.sessions.id, activeId)).get();
    expect(Date.parse(row!.lastSeenAt!)).toBeGreaterThan(Date.now() - 10_000);
  });

  it("set an HttpOnly, SameSite=Lax cookie that is Secure everywhere but plain http on localhost", async () => {
    const cookieFor = async (origin: string) => {
      const res = await exports.default.fetch(`${origin}/api/session`, {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": "198.51.100.1" },
        body: JSON.stringify({ email: USERS.lead.email, password: PASSWORD }),
      });
      expect(res.status).toBe(201);
      return res.headers.get("set-cookie")!;
    };
    expect(await cookieFor("https://triage.test")).toMatch(/; HttpOnly; SameSite=Lax; Max-Age=43200; Secure$/);
    expect(await cookieFor("http://triage.example")).toMatch(/; Secure$/);
    expect(await cookieFor("http://localhost:5173")).toMatch(/; HttpOnly; SameSite=Lax; Max-Age=43200$/);
    expect(await cookieFor("http://127.0.0.1:5173")).not.toContain("Secure");
  });
});

// ── sign-in attempt limits ──────────────────────────────────────────────────

describe("sign-in attempt limits", () => {
  it("allow 5 attempts per address in 15 minutes, then 429 with Retry-After, even with the right password and from another IP", async () => {
    const user = await makeUser("agent");
    for (let i = 0; i < 5; i++) expect((await login(user.email, "wrong", `192.0.2.${i + 1}`)).status).toBe(401);
    const limited = await login(user.email, PASSWORD, "192.0.2.99");
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(await limited.json()).toMatchObject({
      error: expect.stringMatching(/^too many sign-in attempts for this email address: try again in \d+ minutes?$/),
      retryAfter,
    });
    // Other addresses from the same IPs are unaffected.
    expect((await login(USERS.lead.email, PASSWORD, "192.0.2.1")).status).toBe(201);
  });

  it("clear the address's counter on a successful sign-in", async () => {
    const user = await makeUser("agent");
    for (let i = 0; i < 4; i++) expect((await login(user.email, "wrong", "192.0.2.50")).status).toBe(401);
    expect((await login(user.email, PASSWORD, "192.0.2.50")).status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await login(user.email, "wrong", "192.0.2.50")).status).toBe(401);
    expect((await login(user.email, "wrong", "192.0.2.50")).status).toBe(429);
  });

  it("allow 20 failed attempts per IP in 15 minutes, then 429 for any address from it", async () => {
    const ip = "203.0.113.77";
    // Successes do not use up the IP's allowance.
    for (let i = 0; i < 3; i++) expect((await login(USERS.agent.email, PASSWORD, ip)).status).toBe(201);
    for (let i = 0; i < 20; i++) expect((await login(`nobody${i}@spray.test`, "guess", ip)).status).toBe(401);
    const limited = await login(USERS.admin.email, PASSWORD, ip);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await limited.json()) as { error: string }).error).toMatch(/^too many sign-in attempts from your network/);
    // Another IP still signs in.
    expect((await login(USERS.admin.email, PASSWORD, "203.0.113.78")).status).toBe(201);
  });
});

// ── members and invitations ─────────────────────────────────────────────────

describe("members", () => {
  const invite = (adminToken: string, body: unknown) =>
    api(`/api/accounts/${ACCOUNT}/members/invitations`, { method: "POST", token: adminToken, body: JSON.stringify(body) });

  it("lists members with roles and never a password hash", async () => {
    const res = await api(`/api/accounts/${ACCOUNT}/members`, { token: await signIn(USERS.admin.email) });
    const text = await res.text();
    const body = JSON.parse(text) as { members: { email: string; role: string }[] };
    expect(body.members).toEqual(expect.arrayContaining([expect.objectContaining({ email: USERS.agent.email, role: "agent" })]));
    expect(body.members.every((m) => m.email.endsWith("acme.test"))).toBe(true);
    expect(text).not.toMatch(/pbkdf2|password/i);
  });

  it("invites with a one-time link that is stored as a hash; a new user joins only the inviting account", async () => {
    const admin = await signIn(USERS.admin.email);
    const email = `new.${Date.now()}@acme.test`;
    const res = await invite(admin, { email, role: "lead" });
    expect(res.status).toBe(201);
    const { link, invitation } = (await res.json()) as { link: string; invitation: Record<string, unknown> };
    expect(link).toMatch(/^https:\/\/triage\.test\/invite\/st_inv_[0-9a-f]{64}$/);
    expect(Object.keys(invitation)).not.toContain("tokenHash");
    const token = link.split("/invite/")[1]!;
    const row = await db().select().from(schema.invitations).where(eq(schema.invitations.email, email)).get();
    expect(row!.tokenHash).toBe(await sha256Hex(token));

    // A weak password or a forged link gets nowhere.
    await expect(acceptInvitation(env, token, { newUser: { name: "New", password: "short" } })).rejects.toMatchObject({ status: 400 });
    await expect(acceptInvitation(env, `st_inv_${"0".repeat(64)}`, { newUser: { name: "New", password: "long enough password" } })).rejects.toMatchObject({
      status: 410,
    });

    const joined = await acceptInvitation(env, token, { newUser: { name: "New Person", password: "a long new password" } });
    expect(joined).toMatchObject({ accountId: ACCOUNT, role: "lead" });
    const session = await signIn(email, "a long new password");
    const me = (await (await api("/api/me", { token: session })).json()) as { memberships: { accountId: string; role: string }[] };
    expect(me.memberships).toEqual([expect.objectContaining({ accountId: ACCOUNT, role: "lead" })]);
    expect((await api(`/api/accounts/${OTHER_ACCOUNT}/tasks`, { token: session })).status).toBe(404);

    // Used once: a second use is refused.
    expect(await findInvitation(env, token)).toMatchObject({ ok: false });
    await expect(acceptInvitation(env, token, { newUser: { name: "Again", password: "another long password" } })).rejects.toMatchObject({ status: 410 });
  });

  it("never sets a password for an address that already has a sign-in, and binds the link to the invited address", async () => {
    const admin = await signIn(USERS.outsider.email);
    // Globex invites acme's agent: a stranger with the link cannot take over that sign-in.
    const res = await api(`/api/accounts/${OTHER_ACCOUNT}/members/invitations`, {
      method: "POST",
      token: admin,
      body: JSON.stringify({ email: USERS.agent.email, role: "agent" }),
    });
    const token = ((await res.json()) as { link: string }).link.split("/invite/")[1]!;
    await expect(acceptInvitation(env, token, { newUser: { name: "Mallory", password: "mallory's long password" } })).rejects.toMatchObject({ status: 409 });
    expect((await login(USERS.agent.email, PASSWORD, "198.51.100.20")).status).toBe(201);
    // Someone else signed in cannot use it either.
    const lead = { id: USERS.lead.id, email: USERS.lead.email, name: USERS.lead.name, memberships: [] };
    await expect(acceptInvitation(env, token, { user: lead })).rejects.toMatchObject({ status: 403 });
    // The invited user can.
    const agent = { id: USERS.agent.id, email: USERS.agent.email, name: USERS.agent.name, memberships: [] };
    expect(await acceptInvitation(env, token, { user: agent })).toMatchObject({ accountId: OTHER_ACCOUNT });
    await db()
      .delete(schema.memberships)
      .where(and(eq(schema.memberships.userId, USERS.agent.id), eq(schema.memberships.accountId, OTHER_ACCOUNT)));
  });

  it("refuses expired invitations", async () => {
    const admin = await signIn(USERS.admin.email);
    const email = `late.${Date.now()}@acme.test`;
    const token = ((await (await invite(admin, { email, role: "agent" })).json()) as { link: string }).link.split("/invite/")[1]!;
    await db()
      .update(schema.invitations)
      .set({ expiresAt: new Date(Date.now() - 1000).toISOString() })
      .where(eq(schema.invitations.email, email));
    await expect(acceptInvitation(env, token, { newUser: { name: "Late", password: "a long new password" } })).rejects.toMatchObject({ status: 410 });
  });

  it("validates invitations and refuses inviting a member twice", async () => {
    const admin = await signIn(USERS.admin.email);
    expect((await invite(admin, { email: "not-an-email", role: "agent" })).status).toBe(400);
    expect((await invite(admin, { email: "x@acme.test", role: "owner" })).status).toBe(400);
    expect((await invite(admin, { email: USERS.lead.email.toUpperCase(), role: "agent" })).status).toBe(409);
  });

  it("changes roles and removes members, audited; removal ends their access at once", async () => {
    const admin = await signIn(USERS.admin.email);
    const member = await makeUser("agent");
    const patch = await api(`/api/accounts/${ACCOUNT}/members/${member.id}`, { method: "PATCH", token: admin, body: JSON.stringify({ role: "lead" }) });
    expect(patch.status).toBe(200);
    expect((await api(`/api/accounts/${ACCOUNT}/figures`, { token: member.token })).status).toBe(200);
    expect((await api(`/api/accounts/${ACCOUNT}/members/${member.id}`, { method: "DELETE", token: admin })).status).toBe(204);
    expect((await api(`/api/accounts/${ACCOUNT}/tasks`, { token: member.token })).status).toBe(404);
    expect((await api(`/api/accounts/${ACCOUNT}/members/${member.id}`, { method: "DELETE", token: admin })).status).toBe(404);

    const audit = await db().select().from(schema.auditEvents).where(eq(schema.auditEvents.accountId, ACCOUNT));
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["member.invited", "member.joined", "member.role_changed", "member.removed"]));
    const changed = audit.find((a) => a.action === "member.role_changed" && JSON.stringify(a.after).includes(member.email));
    expect(changed).toMatchObject({
      actor: `user:${USERS.admin.email}`,
      before: { email: member.email, role: "agent" },
      after: { email: member.email, role: "lead" },
    });
  });

  it("never leaves an account without an admin", async () => {
    // An account of its own with exactly one admin (other tests add admins to acme).
    const accountId = `solo${Date.now()}`;
    await db().insert(schema.accounts).values({ id: accountId, name: "Solo" });
    const admin = await makeUser("admin", accountId);
    const self = `/api/accounts/${accountId}/members/${admin.id}`;
    const demote = await api(self, { method: "PATCH", token: admin.token, body: JSON.stringify({ role: "lead" }) });
    expect(demote.status).toBe(409);
    expect(await demote.json()).toMatchObject({ error: expect.stringMatching(/at least one admin/) });
    expect((await api(self, { method: "DELETE", token: admin.token })).status).toBe(409);
    // With a second admin, the first may step down.
    const second = await makeUser("admin", accountId);
    expect((await api(self, { method: "PATCH", token: admin.token, body: JSON.stringify({ role: "lead" }) })).status).toBe(200);
    // Now the second is the last one.
    const last = `/api/accounts/${accountId}/members/${second.id}`;
    expect((await api(last, { method: "DELETE", token: second.token })).status).toBe(409);
    expect((await api(last, { method: "PATCH", token: second.token, body: JSON.stringify({ role: "agent" }) })).status).toBe(409);
  });
});

// ── the agent's WebSocket and its callable ──────────────────────────────────

describe("the agent's WebSocket and decideAsConnection", () => {
  it("refuses a member of another account before the upgrade, and after sign-out everywhere", async () => {
    const outsider = await signIn(USERS.outsider.email);
    const refused = await exports.default.fetch(`https://triage.test/agents/account-agent/${ACCOUNT}`, {
      headers: { upgrade: "websocket", origin: "https://triage.test", cookie: `st_session=${outsider}` },
    });
    expect(refused.status).toBe(403);
    expect(refused.webSocket).toBeNull();

    const user = await makeUser("agent");
    await api("/api/session/revoke-all", { method: "POST", token: user.token });
    const after = await exports.default.fetch(`https://triage.test/agents/account-agent/${ACCOUNT}`, {
      headers: { upgrade: "websocket", origin: "https://triage.test", cookie: `st_session=${user.token}` },
    });
    expect(after.status).toBe(401);
  });

  it("decides as the connected member, and stops when the session or the membership ends", async () => {
    const user = await makeUser("agent");
    const socket = await openAgentSocket(ACCOUNT, user.token);
    // A live connection reaches the decision (no such task here).
    expect((await socket.rpc("decideAsConnection", ["t_missing", { action: "approve" }])).result).toMatchObject({ status: 404 });

    await db()
      .delete(schema.memberships)
      .where(and(eq(schema.memberships.userId, user.id), eq(schema.memberships.accountId, ACCOUNT)));
    expect((await socket.rpc("decideAsConnection", ["t_missing", { action: "approve" }])).result).toMatchObject({ status: 401 });
    await db().insert(schema.memberships).values({ userId: user.id, accountId: ACCOUNT, role: "agent" });
    expect((await socket.rpc("decideAsConnection", ["t_missing", { action: "approve" }])).result).toMatchObject({ status: 404 });

    await api("/api/session/revoke-all", { method: "POST", token: user.token });
    expect((await socket.rpc("decideAsConnection", ["t_missing", { action: "approve" }])).result).toMatchObject({ status: 401 });
    socket.ws.close();
  });

  it("exposes no other method: the agent's internals cannot be called with a forged actor", async () => {
    const user = await makeUser("agent");
    const socket = await openAgentSocket(ACCOUNT, user.token);
    for (const [method, args] of [
      ["decide", ["t_x", { action: "approve" }, `user:${USERS.admin.email}`]],
      ["closeProposal", ["t_x", "sent"]],
      ["consumeRate", ["decisions:x", 1000]],
      ["openProposal", [{}]],
      ["updateProposal", ["t_x", { priority: "urgent" }]],
      ["setProposalStatus", ["t_x", "sending", 1]],
      ["admitTicket", ["t_x", 1000, 1000]],
      ["queuePage", [{}, 10, null]],
      // Delegated tokens: never over the WebSocket (a dashboard must not read or change anyone's tokens).
      ["delegatedAccessToken", [USERS.admin.id, "zendesk", []]],
      ["listDelegatedConnections", ["*"]],
      ["revokeDelegated", ["*", "*", `user:${USERS.admin.email}`]],
      ["rotateDelegated", ["*", "*", `user:${USERS.admin.email}`]],
      ["storeDelegatedToken", [USERS.agent.id, "zendesk", {}]],
    ] as [string, unknown[]][]) {
      const reply = await socket.rpc(method, args);
      expect(reply.success, method).toBe(false);
      expect(reply.error).toMatch(/not callable|does not exist/);
    }
    socket.ws.close();
  });
});

// ── what leaves the Worker ──────────────────────────────────────────────────

describe("responses", () => {
  it("/api/me carries the user and memberships, never a password hash or session id", async () => {
    const token = await signIn(USERS.admin.email);
    const me = (await (await api("/api/me", { token })).json()) as Record<string, unknown>;
    expect(Object.keys(me).sort()).toEqual(["email", "id", "memberships", "name"]);
    expect(JSON.stringify(me)).not.toMatch(/pbkdf2|password|sessionId/i);
    expect(JSON.stringify(me)).not.toContain(await sha256Hex(token));
  });

  it("API answers carry a locked-down CSP and the other security headers", async () => {
    const res = await api("/api/me", { token: await signIn(USERS.agent.email) });
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("the pages' CSP allows scripts only from this origin with the request's nonce", () => {
    const csp = contentSecurityPolicy({ nonce: "abc123", url: new URL("https://triage.test/login"), formTargets: ["https://idp.example"] });
    const directives = Object.fromEntries(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));
    expect(directives["script-src"]).toEqual(["'self'", "'nonce-abc123'"]);
    expect(directives["default-src"]).toEqual(["'self'"]);
    expect(directives["connect-src"]).toEqual(["'self'", "wss://triage.test"]);
    expect(directives["frame-ancestors"]).toEqual(["'none'"]);
    expect(directives["base-uri"]).toEqual(["'none'"]);
    expect(directives["object-src"]).toEqual(["'none'"]);
    expect(directives["form-action"]).toEqual(["'self'", "https://idp.example"]);
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
  });
});
