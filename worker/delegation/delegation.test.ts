// Delegated per-person tokens end to end: a person connects their own Zendesk
// through the Worker's routes (start → the fake Zendesk's authorization page →
// callback, PKCE checked by the fake), the tokens are sealed in the account
// agent's SQLite and never answered; an approved reply goes out with the
// approver's token (the fake records who posted); no connection → the shared
// credentials; a narrower grant stops the send with a clear note; an expiring
// token is refreshed and its refresh token rotates; admins revoke and rotate,
// audited; nobody else can.
import { introspectWorkflowInstance, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { getAgentByName } from "agents";
import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  FAKE_HELPDESK_CREDENTIALS,
  FAKE_ZENDESK_DEFAULT_LOGIN,
  FAKE_ZENDESK_OAUTH_CLIENT,
  type FakeIssuedToken,
  type FakeState,
} from "../../test/fakes/help-desk-fixtures";
import { ACCOUNT, api, enableSource, eventually, OTHER_ACCOUNT, signIn, USERS } from "../../test/fixtures";
import zendeskTicket from "../../test/fixtures/webhooks/zendesk-ticket-created.json";
import { signFor } from "../../test/sign-webhook";
import { openProposal } from "../agent/proposals";
import { accountAgent } from "../agent/stubs";
import { getDb, schema } from "../db/client";
import { setOutbound } from "../integrations/connector-settings";
import { OUTBOUND } from "../integrations/registry";
import { CONNECT_COOKIE } from "./connect";

const ORIGIN = "https://triage.test";
const FAKE = env.FAKE_HELPDESK_DELEGATION_URL!;
const SIGNING_SECRET = "zendesk-signing-secret-for-delegation-tests";
const db = getDb(env);

interface Row {
  person: string;
  provider: string;
  access_sealed: string;
  refresh_sealed: string | null;
  expires_at: string | null;
  scopes_asked: string;
  scopes_granted: string;
  refreshed_at: string | null;
}

async function fake(): Promise<FakeState> {
  return (await (await fetch(`${FAKE}/_fake/requests?vendor=zendesk`)).json()) as FakeState;
}

async function lastIssued(): Promise<FakeIssuedToken> {
  return (await fake()).issued.at(-1)!;
}

async function lastIssuedTo(login: string): Promise<FakeIssuedToken> {
  return (await fake()).issued.filter((i) => i.user === login).at(-1)!;
}

async function setFakeLifetimes(accessTtl: number) {
  const res = await fetch(`${FAKE}/_fake/zendesk-oauth`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ accessTtl }),
  });
  expect(res.status).toBe(200);
}

async function agentRows(): Promise<Row[]> {
  const stub = await getAgentByName(env.AccountAgent, ACCOUNT);
  return runInDurableObject(
    stub,
    async (_instance, state) => state.storage.sql.exec("select * from delegated_tokens order by person").toArray() as unknown as Row[],
  );
}

/** Name → value of the cookies a response sets. */
function setCookies(res: Response): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(";")[0]!;
    const i = pair.indexOf("=");
    out.set(pair.slice(0, i).trim(), pair.slice(i + 1));
  }
  return out;
}

const sessionCookie = (token: string) => `st_session=${token}`;

/** GET …/start as the person; returns the authorization URL and the transaction cookie. */
async function start(session: string, account = ACCOUNT) {
  const res = await exports.default.fetch(`${ORIGIN}/accounts/${account}/connections/zendesk/start`, {
    headers: { cookie: sessionCookie(session) },
    redirect: "manual",
  });
  return res;
}

/** The person's browser at the fake Zendesk: signs in as `loginAs`, maybe unticks scopes; returns the callback URL. */
async function authorizeAtZendesk(authorizeUrl: string, opts: { loginAs?: string; denyScopes?: string[] } = {}): Promise<string> {
  const url = new URL(authorizeUrl);
  if (opts.loginAs) url.searchParams.set("login_as", opts.loginAs);
  if (opts.denyScopes) url.searchParams.set("deny_scopes", opts.denyScopes.join(","));
  const res = await fetch(url, { redirect: "manual" });
  expect(res.status).toBe(302);
  return res.headers.get("location")!;
}

async function callback(callbackUrl: string, session: string, txCookie: string | undefined) {
  const cookie = [sessionCookie(session), txCookie ? `${CONNECT_COOKIE}=${txCookie}` : null].filter(Boolean).join("; ");
  return exports.default.fetch(callbackUrl, { headers: { cookie }, redirect: "manual" });
}

/** The whole connect flow for one person; returns the tokens the fake issued. */
async function connect(email: string, opts: { loginAs?: string; denyScopes?: string[] } = {}): Promise<FakeIssuedToken> {
  const session = await signIn(email);
  const started = await start(session);
  expect(started.status).toBe(302);
  const tx = setCookies(started).get(CONNECT_COOKIE);
  const back = await authorizeAtZendesk(started.headers.get("location")!, opts);
  const done = await callback(back, session, tx);
  expect(done.status, await done.clone().text()).toBe(303);
  expect(done.headers.get("location")).toBe(`/accounts/${ACCOUNT}/connections?connected=zendesk`);
  return lastIssued();
}

let ticketSeq = 7100;

/** A new Zendesk ticket through the signed webhook, drafted, approved by `approver`, and run to the end. */
async function approveZendeskTicket(approver: string) {
  const ticketId = String(++ticketSeq);
  const payload = structuredClone(zendeskTicket) as typeof zendeskTicket;
  payload.detail.id = ticketId;
  payload.subject = `zen:ticket:${ticketId}`;
  payload.id = crypto.randomUUID();
  const body = JSON.stringify(payload);
  const res = await exports.default.fetch(`${ORIGIN}/webhooks/${ACCOUNT}/zendesk`, {
    method: "POST",
    headers: await signFor("zendesk", SIGNING_SECRET, body),
    body,
  });
  expect(res.status).toBe(202);
  const { taskId } = (await res.json()) as { taskId: string };
  const instance = await introspectWorkflowInstance(env.TRIAGE_WORKFLOW, taskId);
  await accountAgent(env, ACCOUNT);
  await eventually(async () => (await openProposal(env, ACCOUNT, taskId))?.status === "awaiting_review", "zendesk proposal");
  const decided = await api(`/api/accounts/${ACCOUNT}/tasks/${taskId}/decision`, {
    method: "POST",
    token: await signIn(approver),
    body: JSON.stringify({ action: "approve" }),
  });
  expect(decided.status).toBe(200);
  await instance.waitForStatus("complete");
  const output = (await instance.getOutput()) as { outcome: string; note?: string };
  const task = (await db.query.tasks.findFirst({ where: eq(schema.tasks.id, taskId) }))!;
  const replies = (await fake()).created.filter((c) => c.kind === "reply" && c.conversationId === ticketId);
  const sent = await db.query.auditEvents.findFirst({ where: and(eq(schema.auditEvents.taskId, taskId), eq(schema.auditEvents.action, "reply.sent")) });
  // Public comments only (a handoff would be an internal note on the same ticket).
  const put = (await fake()).requests.filter(
    (r) =>
      r.method === "PUT" &&
      r.path === `/api/v2/tickets/${ticketId}` &&
      (r.body as { ticket?: { comment?: { public?: boolean } } })?.ticket?.comment?.public === true,
  );
  return { taskId, ticketId, output, task, replies, sent, put };
}

async function latestAudit(action: string) {
  return db.query.auditEvents.findFirst({
    where: and(eq(schema.auditEvents.accountId, ACCOUNT), eq(schema.auditEvents.action, action)),
    orderBy: desc(schema.auditEvents.id),
  });
}

describe("delegated tokens", () => {
  beforeAll(async () => {
    await enableSource(env, ACCOUNT, "zendesk", SIGNING_SECRET);
    await setOutbound(
      env,
      ACCOUNT,
      "zendesk",
      { apiBaseUrl: `${FAKE}/zendesk`, credentials: { ...FAKE_HELPDESK_CREDENTIALS.zendesk, ...FAKE_ZENDESK_OAUTH_CLIENT } },
      OUTBOUND.zendesk!.credentialFields,
      "test",
    );
  });

  it("connects through start → Zendesk's authorization page → callback, and stores the tokens sealed, keyed by person", async () => {
    const session = await signIn(USERS.agent.email);
    const started = await start(session);
    expect(started.status).toBe(302);
    const txLine = started.headers.getSetCookie().find((c) => c.startsWith(`${CONNECT_COOKIE}=`))!;
    expect(txLine).toMatch(/HttpOnly/);
    expect(txLine).toMatch(/SameSite=Lax/);
    expect(txLine).toMatch(/Secure/);
    expect(txLine).toMatch(new RegExp(`Path=/accounts/${ACCOUNT}/connections/zendesk`));
    const authorize = new URL(started.headers.get("location")!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${FAKE}/zendesk/oauth/authorizations/new`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: "code",
      client_id: FAKE_ZENDESK_OAUTH_CLIENT.oauth_client_id,
      redirect_uri: `${ORIGIN}/accounts/${ACCOUNT}/connections/zendesk/callback`,
      scope: "tickets:read tickets:write",
      code_challenge_method: "S256",
    });
    expect(authorize.searchParams.get("state")).toBeTruthy();
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The browser never sees the verifier: the cookie is sealed.
    expect(txLine).not.toContain(authorize.searchParams.get("state")!);

    const back = await authorizeAtZendesk(authorize.href, { loginAs: "alex@zd.example" });
    const done = await callback(back, session, setCookies(started).get(CONNECT_COOKIE));
    expect(done.status).toBe(303);
    const doneText = await done.text();
    const issued = await lastIssued();
    expect(issued).toMatchObject({ user: "alex@zd.example", grantType: "authorization_code", scope: "tickets:read tickets:write" });
    // The fake checked the client secret and the PKCE verifier before issuing.
    const tokenRequest = (await fake()).requests.filter((r) => r.path === "/oauth/tokens").at(-1)!;
    expect(tokenRequest.body).toMatchObject({
      grant_type: "authorization_code",
      client_id: FAKE_ZENDESK_OAUTH_CLIENT.oauth_client_id,
      code_verifier: expect.any(String),
    });
    expect(setCookies(done).get(CONNECT_COOKIE)).toBe("");

    // In the agent's SQLite: one row for this person, sealed; no token in clear anywhere.
    const rows = await agentRows();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ person: USERS.agent.id, provider: "zendesk" });
    expect(row.access_sealed).toMatch(/^v1\./);
    expect(row.refresh_sealed).toMatch(/^v1\./);
    expect(JSON.parse(row.scopes_asked)).toEqual(["tickets:read", "tickets:write"]);
    expect(JSON.parse(row.scopes_granted)).toEqual(["tickets:read", "tickets:write"]);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(issued.accessToken);
    expect(dump).not.toContain(issued.refreshToken);

    // Never in an answer: the callback, the person's list, the admins' list, the audit.
    const mine = await api(`/api/accounts/${ACCOUNT}/connections`, { token: session });
    expect(mine.status).toBe(200);
    const mineText = await mine.text();
    expect(JSON.parse(mineText)).toMatchObject({
      connections: [
        { provider: "zendesk", available: true, connection: { email: USERS.agent.email, scopesGranted: ["tickets:read", "tickets:write"], scopesMissing: [] } },
      ],
    });
    const all = await api(`/api/accounts/${ACCOUNT}/delegations`, { token: await signIn(USERS.admin.email) });
    const allText = await all.text();
    const connectedAudit = await latestAudit("delegation.connected");
    expect(connectedAudit).toMatchObject({
      actor: `user:${USERS.agent.email}`,
      after: { person: USERS.agent.email, provider: "zendesk", scopesGranted: ["tickets:read", "tickets:write"] },
    });
    for (const text of [doneText, mineText, allText, JSON.stringify(connectedAudit), JSON.stringify(await agentActions())]) {
      expect(text).not.toContain(issued.accessToken);
      expect(text).not.toContain(issued.refreshToken);
    }
  });

  it("refuses a callback without its start cookie, with a forged state, finished by someone else, or replayed", async () => {
    const session = await signIn(USERS.lead.email);
    const started = await start(session);
    const tx = setCookies(started).get(CONNECT_COOKIE)!;
    const back = await authorizeAtZendesk(started.headers.get("location")!);

    const noCookie = await callback(back, session, undefined);
    expect(noCookie.status).toBe(400);
    expect(await noCookie.text()).toContain("no matching start");

    const forged = new URL(back);
    forged.searchParams.set("state", "forged-state");
    expect((await callback(forged.href, session, tx)).status).toBe(400);

    // The admin's session with the lead's cookie: the transaction belongs to the lead.
    const someoneElse = await callback(back, await signIn(USERS.admin.email), tx);
    expect(someoneElse.status).toBe(403);
    expect(await someoneElse.text()).toContain("started by someone else");

    // The fake's code works once: the forged-state attempt never reached it, so this one does…
    expect((await callback(back, session, tx)).status).toBe(303);
    // …and a replay is refused by Zendesk.
    const replay = await callback(back, session, tx);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain("invalid_grant");

    // The lead disconnects again (their own connection, audited as by themselves).
    const off = await api(`/api/accounts/${ACCOUNT}/connections/zendesk`, { method: "DELETE", token: session });
    expect(await off.json()).toEqual({ revoked: 1 });
    expect(await latestAudit("delegation.revoked")).toMatchObject({ actor: `user:${USERS.lead.email}`, after: { person: USERS.lead.email, by: "self" } });
    expect((await agentRows()).map((r) => r.person)).toEqual([USERS.agent.id]);
  });

  it("posts an approved Zendesk reply with the approver's delegated token, so it appears under their name", async () => {
    const { accessToken } = (await fake()).issued.find((i) => i.user === "alex@zd.example")!;
    const result = await approveZendeskTicket(USERS.agent.email);
    expect(result.output).toMatchObject({ outcome: "sent" });
    expect(result.replies).toHaveLength(1);
    expect(result.replies[0]!.author).toBe("oauth:alex@zd.example");
    expect(result.put.at(-1)!.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(result.sent!.after).toMatchObject({ approvedBy: `user:${USERS.agent.email}`, channel: "zendesk", sentAs: `delegated:${USERS.agent.email}` });
  });

  it("falls back to the shared connector credentials for an approver who has not connected", async () => {
    const result = await approveZendeskTicket(USERS.admin.email);
    expect(result.output).toMatchObject({ outcome: "sent" });
    expect(result.replies[0]!.author).toBe(`api:${FAKE_HELPDESK_CREDENTIALS.zendesk.email}`);
    expect(result.put.at(-1)!.headers.authorization).toMatch(/^Basic /);
    expect(result.sent!.after).toMatchObject({ approvedBy: `user:${USERS.admin.email}`, sentAs: "shared" });
  });

  it("stops the send with a clear note when the approver's grant lacks tickets:write", async () => {
    await connect(USERS.lead.email, { loginAs: "lee@zd.example", denyScopes: ["tickets:write"] });
    const mine = (await (await api(`/api/accounts/${ACCOUNT}/connections`, { token: await signIn(USERS.lead.email) })).json()) as {
      connections: { connection: { scopesGranted: string[]; scopesMissing: string[] } }[];
    };
    expect(mine.connections[0]!.connection).toMatchObject({ scopesGranted: ["tickets:read"], scopesMissing: ["tickets:write"] });

    const result = await approveZendeskTicket(USERS.lead.email);
    expect(result.output).toMatchObject({ outcome: "failed" });
    expect(result.task.status).toBe("failed");
    expect(result.task.note).toBe(
      `Delivery failed: ${USERS.lead.email}'s Zendesk connection lacks the tickets:write scope (granted: tickets:read); reconnect Zendesk on the Connections page`,
    );
    // Nothing was posted, neither as the lead nor as the integration.
    expect(result.put).toHaveLength(0);
    expect(result.replies).toHaveLength(0);
  });

  it("refreshes an access token that expires within 5 minutes before using it, and the refresh token rotates", async () => {
    await setFakeLifetimes(60);
    const first = await connect(USERS.agent.email, { loginAs: "alex@zd.example" });
    await setFakeLifetimes(7200);
    const before = (await agentRows()).find((r) => r.person === USERS.agent.id)!;
    expect(Date.parse(before.expires_at!) - Date.now()).toBeLessThan(5 * 60_000);

    const result = await approveZendeskTicket(USERS.agent.email);
    expect(result.output).toMatchObject({ outcome: "sent" });
    const refreshed = await lastIssued();
    expect(refreshed).toMatchObject({ grantType: "refresh_token", user: "alex@zd.example", grant: first.grant });
    expect(refreshed.refreshToken).not.toBe(first.refreshToken);
    // The reply went out with the new access token…
    expect(result.put.at(-1)!.headers.authorization).toBe(`Bearer ${refreshed.accessToken}`);
    expect(result.replies[0]!.author).toBe("oauth:alex@zd.example");
    // …the new pair is stored (sealed), and Zendesk no longer takes the old refresh token.
    const after = (await agentRows()).find((r) => r.person === USERS.agent.id)!;
    expect(after.refreshed_at).not.toBeNull();
    expect(after.refresh_sealed).not.toBe(before.refresh_sealed);
    expect(Date.parse(after.expires_at!) - Date.now()).toBeGreaterThan(60 * 60_000);
    expect(JSON.stringify(after)).not.toContain(refreshed.refreshToken);
    const reuse = await fetch(`${FAKE}/zendesk/oauth/tokens`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: first.refreshToken, ...clientParams() }),
    });
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refreshes once for concurrent sends, and says 'reconnect' when Zendesk refuses the refresh token", async () => {
    const agent = await accountAgent(env, ACCOUNT);
    // The admin connects with a token about to expire; two sends need it at once.
    await setFakeLifetimes(60);
    const first = await connect(USERS.admin.email, { loginAs: "ada@zd.example" });
    await setFakeLifetimes(7200);
    const refreshesBefore = (await fake()).issued.filter((i) => i.grant === first.grant && i.grantType === "refresh_token").length;
    const [a, b] = await Promise.all([
      agent.delegatedAccessToken(USERS.admin.id, "zendesk", ["tickets:write"]),
      agent.delegatedAccessToken(USERS.admin.id, "zendesk", ["tickets:write"]),
    ]);
    const refreshes = (await fake()).issued.filter((i) => i.grant === first.grant && i.grantType === "refresh_token");
    expect(refreshes.length - refreshesBefore).toBe(1);
    expect(a).toEqual({ status: "ok", accessToken: refreshes.at(-1)!.accessToken, scopesGranted: ["tickets:read", "tickets:write"] });
    expect(b).toEqual(a);
    // A scope the grant does not cover is refused before any refresh.
    expect(await agent.delegatedAccessToken(USERS.admin.id, "zendesk", ["tickets:delete"])).toMatchObject({
      status: "insufficient_scope",
      missing: ["tickets:delete"],
    });

    // Zendesk revokes the token behind our back (the person removed the app there): the next refresh is refused.
    await setFakeLifetimes(60);
    await connect(USERS.admin.email, { loginAs: "ada@zd.example" });
    await setFakeLifetimes(7200);
    const current = await lastIssued();
    expect(
      (await fetch(`${FAKE}/zendesk/api/v2/oauth/tokens/current.json`, { method: "DELETE", headers: { authorization: `Bearer ${current.accessToken}` } }))
        .status,
    ).toBe(204);
    const refused = await agent.delegatedAccessToken(USERS.admin.id, "zendesk", ["tickets:write"]);
    expect(refused).toMatchObject({ status: "reconnect", reason: expect.stringContaining("invalid_grant") });
    const listed = (await (await api(`/api/accounts/${ACCOUNT}/connections`, { token: await signIn(USERS.admin.email) })).json()) as {
      connections: { connection: { lastError: string | null } | null }[];
    };
    expect(listed.connections[0]!.connection!.lastError).toContain("refused the refresh token");
    // An approval by the admin now stops with a note, rather than posting as someone else.
    const result = await approveZendeskTicket(USERS.admin.email);
    expect(result.output).toMatchObject({ outcome: "failed" });
    expect(result.task.note).toMatch(
      /^Delivery failed: admin@acme\.test's Zendesk connection can no longer be used \(Zendesk refused the refresh token \(invalid_grant/,
    );
    expect(result.put).toHaveLength(0);
    await api(`/api/accounts/${ACCOUNT}/connections/zendesk`, { method: "DELETE", token: await signIn(USERS.admin.email) });
  });

  it("lets an admin rotate one person's tokens now: a new pair, the old access token revoked at Zendesk, audited", async () => {
    const old = await lastIssuedTo("alex@zd.example");
    const res = await api(`/api/accounts/${ACCOUNT}/delegations/rotate`, {
      method: "POST",
      token: await signIn(USERS.admin.email),
      body: JSON.stringify({ person: USERS.agent.email, provider: "zendesk" }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ rotated: [{ email: USERS.agent.email, provider: "zendesk" }], failed: [] });
    const next = await lastIssued();
    expect(next).toMatchObject({ grantType: "refresh_token", grant: old.grant });
    expect(text).not.toContain(next.accessToken);
    expect(await zendeskAccepts(old.accessToken)).toBe(false);
    expect(await zendeskAccepts(next.accessToken)).toBe(true);
    expect(await latestAudit("delegation.rotated")).toMatchObject({
      actor: `user:${USERS.admin.email}`,
      after: { person: USERS.agent.email, provider: "zendesk", rotated: [{ person: USERS.agent.email, provider: "zendesk" }], failed: [] },
    });
  });

  it("refuses revoke and rotate to non-admins (403), to other accounts' members (404) and to API tokens", async () => {
    for (const email of [USERS.agent.email, USERS.lead.email]) {
      const token = await signIn(email);
      for (const path of ["revoke", "rotate"]) {
        const res = await api(`/api/accounts/${ACCOUNT}/delegations/${path}`, { method: "POST", token, body: JSON.stringify({ person: USERS.agent.email }) });
        expect(res.status).toBe(403);
      }
      expect((await api(`/api/accounts/${ACCOUNT}/delegations`, { token })).status).toBe(403);
    }
    const outsider = await signIn(USERS.outsider.email);
    for (const path of ["revoke", "rotate"]) {
      const res = await api(`/api/accounts/${ACCOUNT}/delegations/${path}`, { method: "POST", token: outsider, body: JSON.stringify({}) });
      expect(res.status).toBe(404);
    }
    expect((await api(`/api/accounts/${ACCOUNT}/delegations`, { token: outsider })).status).toBe(404);
    expect((await api(`/api/accounts/${ACCOUNT}/connections`, { token: outsider })).status).toBe(404);
    expect((await api(`/api/accounts/${ACCOUNT}/connections/zendesk`, { method: "DELETE", token: outsider })).status).toBe(404);
    // The outsider cannot start a connection into this account either.
    const started = await start(outsider);
    expect(started.status).toBe(404);
    expect(started.headers.getSetCookie()).toEqual([]);
    // Their own account has no Zendesk OAuth client: a clear page, no redirect.
    const own = await start(outsider, OTHER_ACCOUNT);
    expect(own.status).toBe(409);
    expect(await own.text()).toContain("OAuth client");
    // An admin here cannot name someone who is not in this account.
    const stranger = await api(`/api/accounts/${ACCOUNT}/delegations/revoke`, {
      method: "POST",
      token: await signIn(USERS.admin.email),
      body: JSON.stringify({ person: USERS.outsider.email }),
    });
    expect(stranger.status).toBe(404);
    // Personal API tokens are not sessions: refused on every delegation route.
    const created = await api(`/api/accounts/${ACCOUNT}/tokens`, {
      method: "POST",
      token: await signIn(USERS.admin.email),
      body: JSON.stringify({ name: "script", scopes: ["tasks:read"], expiresInDays: 1 }),
    });
    const { token: pat } = (await created.json()) as { token: string };
    expect((await api(`/api/accounts/${ACCOUNT}/delegations/revoke`, { method: "POST", token: pat, body: "{}" })).status).toBe(403);
    expect((await api(`/api/accounts/${ACCOUNT}/connections`, { token: pat })).status).toBe(403);
    expect(await agentRows()).toHaveLength(2);
  });

  it("lets an admin revoke one person's connections, then everyone's: gone, revoked at Zendesk, audited with the admin", async () => {
    const admin = await signIn(USERS.admin.email);
    const agentToken = (await lastIssuedTo("alex@zd.example")).accessToken;
    const one = await api(`/api/accounts/${ACCOUNT}/delegations/revoke`, { method: "POST", token: admin, body: JSON.stringify({ person: USERS.agent.email }) });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ revoked: [{ email: USERS.agent.email, provider: "zendesk" }] });
    expect((await agentRows()).map((r) => r.person)).toEqual([USERS.lead.id]);
    expect(await zendeskAccepts(agentToken)).toBe(false);
    expect(await latestAudit("delegation.revoked")).toMatchObject({
      actor: `user:${USERS.admin.email}`,
      before: { connections: [{ person: USERS.agent.email, provider: "zendesk" }] },
      after: { person: USERS.agent.email, provider: "*", count: 1 },
    });
    // The agent's next approval goes out with the shared credentials again.
    const result = await approveZendeskTicket(USERS.agent.email);
    expect(result.sent!.after).toMatchObject({ sentAs: "shared" });

    const all = await api(`/api/accounts/${ACCOUNT}/delegations/revoke`, { method: "POST", token: admin, body: JSON.stringify({}) });
    expect(await all.json()).toMatchObject({ revoked: [{ email: USERS.lead.email }] });
    expect(await agentRows()).toEqual([]);
    expect(await latestAudit("delegation.revoked")).toMatchObject({ actor: `user:${USERS.admin.email}`, after: { person: "*", provider: "*", count: 1 } });
    expect(await (await api(`/api/accounts/${ACCOUNT}/delegations`, { token: admin })).json()).toEqual({ connections: [] });
  });

  it("revokes a removed member's connections with the membership", async () => {
    await connect(USERS.lead.email);
    expect((await lastIssued()).user).toBe(FAKE_ZENDESK_DEFAULT_LOGIN);
    const res = await api(`/api/accounts/${ACCOUNT}/members/${USERS.lead.id}`, { method: "DELETE", token: await signIn(USERS.admin.email) });
    expect(res.status).toBe(204);
    expect(await agentRows()).toEqual([]);
    expect(await latestAudit("delegation.revoked")).toMatchObject({
      actor: `user:${USERS.admin.email}`,
      after: { person: USERS.lead.email, reason: "member removed" },
    });
  });
});

function clientParams() {
  return { client_id: FAKE_ZENDESK_OAUTH_CLIENT.oauth_client_id, client_secret: FAKE_ZENDESK_OAUTH_CLIENT.oauth_client_secret };
}

/** Whether the fake Zendesk takes this bearer token (a comment on a ticket nobody reads). */
async function zendeskAccepts(accessToken: string): Promise<boolean> {
  const res = await fetch(`${FAKE}/zendesk/api/v2/tickets/9999999.json`, {
    method: "PUT",
    headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
    body: JSON.stringify({ ticket: { comment: { body: "probe", public: false } } }),
  });
  return res.status === 200;
}

async function agentActions() {
  return (await accountAgent(env, ACCOUNT)).recentActions();
}
