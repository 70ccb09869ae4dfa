// The MCP server as an outside agent meets it, driven by the official MCP
// TypeScript SDK client (@modelcontextprotocol/sdk) against the real Worker:
// discovery, dynamic client registration, the authorization code flow with
// PKCE through our consent page (signed in as the person), scope-filtered
// tools, every tool on a ticket from the signed webhook, a proposed reply that
// waits in the review queue until a person approves it, refusals outside the
// scopes and outside the account, the logs, and revocation.

import { env, exports } from "cloudflare:workers";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ACCOUNT, api, eventually, OTHER_ACCOUNT, OTHER_SECRET, PASSWORD, postWebhook, signIn, ticket, USERS } from "../../test/fixtures";
import { MemoryOAuthClient } from "../../test/mcp-oauth-client";
import { openProposal } from "../agent/proposals";
import { accountAgent } from "../agent/stubs";
import { getDb, schema } from "../db/client";
import { MCP_TOOLS } from "../domain/mcp-scopes";
import { returnToOf } from "../identity/return-to";
import { MATCH_THRESHOLD } from "../knowledge/search";
import { addArticle } from "../knowledge/store";
import { DEFAULT_POLICY } from "../policy/account-policy";

const BASE = "https://triage.test";
const MCP_URL = new URL("/mcp", BASE);
const CALLBACK = "http://127.0.0.1:33418/callback";
const db = getDb(env);

/** The MCP client's HTTP, routed into the Worker under test. */
const workerFetch = (url: string | URL, init?: RequestInit) => exports.default.fetch(new Request(url, init));

/** A signed-in browser: the session cookie of POST /api/session. */
async function browserSession(email: string): Promise<string> {
  const res = await api("/api/session", { method: "POST", body: JSON.stringify({ email, password: PASSWORD }) });
  expect(res.status).toBe(201);
  return res.headers.get("set-cookie")!.split(";")[0]!;
}

/** `name=value` pairs of a response's Set-Cookie headers (cookies being cleared are left out). */
function cookiesOf(res: Response): string[] {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .filter((c) => !c.endsWith("="));
}

interface ConsentView {
  handle: string;
  clientName: string;
  redirectHost: string;
  redirectIsLoopback: boolean;
  requested: string[];
  accounts: { accountId: string; role: string; allowed: string[] }[];
}

/** The person's browser on the consent page: GET shows it, POST decides. Returns the redirect back to the client. */
async function consent(authorizationUrl: URL, email: string, decide: { scopes?: string[]; account?: string; decision?: "approve" | "deny" } = {}) {
  const session = await browserSession(email);
  const page = await workerFetch(authorizationUrl, { headers: { cookie: session } });
  expect(page.status).toBe(200);
  const view = (await page.json()) as ConsentView;
  const form = new URLSearchParams({ handle: view.handle, decision: decide.decision ?? "approve", account: decide.account ?? ACCOUNT });
  for (const s of decide.scopes ?? view.requested) form.append("scope", s);
  const answer = await workerFetch(authorizationUrl, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: [session, ...cookiesOf(page)].join("; "), "content-type": "application/x-www-form-urlencoded", origin: BASE },
    body: form,
  });
  return { view, answer };
}

const ALL_SCOPES = "tasks:read tickets:read drafts:write replies:propose knowledge:read";

/**
 * What a person does to connect an MCP client: the SDK discovers the server's
 * authorization server, registers, and sends the browser to the consent page;
 * the person approves; the SDK exchanges the code (with the PKCE verifier).
 */
async function connect(opts: { name?: string; scope?: string; grant?: string[]; email?: string } = {}) {
  const oauth = new MemoryOAuthClient(opts.name ?? "Test Agent", CALLBACK, opts.scope ?? ALL_SCOPES);
  const first = new StreamableHTTPClientTransport(MCP_URL, { authProvider: oauth, fetch: workerFetch });
  await expect(new Client({ name: "test", version: "1.0.0" }).connect(first)).rejects.toThrow(UnauthorizedError);
  expect(oauth.clientId).toBeTruthy();
  const authUrl = oauth.authorizationUrl!;
  expect(authUrl.pathname).toBe("/oauth/authorize");
  expect(authUrl.searchParams.get("code_challenge_method")).toBe("S256");

  const { answer } = await consent(authUrl, opts.email ?? USERS.agent.email, { scopes: opts.grant });
  expect(answer.status).toBe(302);
  const back = new URL(answer.headers.get("location")!);
  expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
  await first.finishAuth(back.searchParams.get("code")!);

  const transport = new StreamableHTTPClientTransport(MCP_URL, { authProvider: oauth, fetch: workerFetch });
  const client = new Client({ name: opts.name ?? "Test Agent", version: "1.0.0" }, { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() });
  await client.connect(transport);
  return { client, oauth };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read tool outputs of every shape
type ToolResult = CallToolResult & { structuredContent?: Record<string, any> };

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read tool outputs of every shape
async function ok(client: Client, name: string, args: Record<string, unknown>): Promise<Record<string, any>> {
  const result = await call(client, name, args);
  expect(result.isError, `${name}: ${JSON.stringify(result.content)}`).toBeFalsy();
  return result.structuredContent!;
}

const textOf = (r: ToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

/** A ticket from the help desk's signed webhook; returns its task id once its own triage waits for review. */
async function ticketFromWebhook(overrides: Record<string, unknown> = {}, account = ACCOUNT) {
  const t = ticket(overrides);
  const res = await postWebhook(JSON.stringify({ ticket: t }), account === ACCOUNT ? {} : { account, secret: OTHER_SECRET });
  expect(res.status).toBe(202);
  const { taskId } = (await res.json()) as { taskId: string };
  await eventually(async () => (await openProposal(env, account, taskId))?.status === "awaiting_review", `triage of ${taskId}`);
  return { t, taskId };
}

const invocations = (where: { client?: string; tool?: string }) =>
  db
    .select()
    .from(schema.toolInvocations)
    .where(and(eq(schema.toolInvocations.client, where.client ?? "Test Agent"), ...(where.tool ? [eq(schema.toolInvocations.tool, where.tool)] : [])));

describe("MCP server: OAuth", () => {
  it("answers 401 with the discovery documents an MCP client follows", async () => {
    const res = await workerFetch(MCP_URL, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain(`resource_metadata="${BASE}/.well-known/oauth-protected-resource/mcp"`);
    const resource = (await (await workerFetch(`${BASE}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<string, unknown>;
    expect(resource).toMatchObject({ resource: `${BASE}/mcp`, authorization_servers: [BASE] });
    const server = (await (await workerFetch(`${BASE}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(server).toMatchObject({
      issuer: BASE,
      authorization_endpoint: `${BASE}/oauth/authorize`,
      token_endpoint: `${BASE}/oauth/token`,
      registration_endpoint: `${BASE}/oauth/register`,
      code_challenge_methods_supported: ["S256"],
      scopes_supported: ["tasks:read", "tickets:read", "drafts:write", "replies:propose", "knowledge:read"],
    });
  });

  it("registers dynamically, runs the code flow with PKCE through the consent page, and lists the tools of the granted scopes", async () => {
    const { client, oauth } = await connect();
    const tools = (await client.listTools()).tools;
    expect(tools.map((t) => t.name).sort()).toEqual([...MCP_TOOLS].sort());
    for (const t of tools) {
      expect(t.description!.length).toBeGreaterThan(60);
      expect(t.outputSchema).toMatchObject({ type: "object" });
    }
    expect(oauth.tokens()).toMatchObject({ token_type: expect.stringMatching(/bearer/i), scope: ALL_SCOPES });
    // The grant is listed for the person, in the account they chose.
    const listed = await api(`/api/accounts/${ACCOUNT}/mcp-clients`, { token: await signIn(USERS.agent.email) });
    expect(((await listed.json()) as { clients: { clientName: string; scopes: string[] }[] }).clients).toContainEqual(
      expect.objectContaining({ clientName: "Test Agent", scopes: ALL_SCOPES.split(" ") }),
    );
    const audit = await db.query.auditEvents.findFirst({ where: eq(schema.auditEvents.action, "mcp.client_authorized") });
    expect(audit).toMatchObject({ accountId: ACCOUNT, actor: `user:${USERS.agent.email}`, after: { client: "Test Agent", scopes: ALL_SCOPES.split(" ") } });
    await client.close();
  });

  it("shows the consent page only to a signed-in person, and a denial goes back to the client as access_denied", async () => {
    const oauth = new MemoryOAuthClient("Denied Agent", CALLBACK, "tasks:read");
    await expect(
      new Client({ name: "t", version: "1" }).connect(new StreamableHTTPClientTransport(MCP_URL, { authProvider: oauth, fetch: workerFetch })),
    ).rejects.toThrow(UnauthorizedError);
    const url = oauth.authorizationUrl!;
    // Not signed in: to the sign-in page, which brings the person back here.
    const anonymous = await workerFetch(url, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/login");
    expect(anonymous.headers.getSetCookie().join()).toContain(`st_return_to=${encodeURIComponent(`${url.pathname}${url.search}`)}`);

    const { view, answer } = await consent(url, USERS.agent.email, { decision: "deny" });
    expect(view).toMatchObject({ clientName: "Denied Agent", redirectHost: "127.0.0.1", redirectIsLoopback: true, requested: ["tasks:read"] });
    expect(view.accounts).toEqual([{ accountId: ACCOUNT, accountName: "Acme Support", role: "agent", allowed: ALL_SCOPES.split(" ") }]);
    expect(answer.status).toBe(302);
    const back = new URL(answer.headers.get("location")!);
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("code")).toBeNull();
  });

  it("comes back after sign-in only to the consent page of this origin", () => {
    const back = (value: string) => returnToOf(new Request(`${BASE}/login`, { headers: { cookie: `st_return_to=${encodeURIComponent(value)}` } }));
    expect(back("/oauth/authorize?client_id=x&state=y")).toBe("/oauth/authorize?client_id=x&state=y");
    for (const evil of [
      "https://evil.example/oauth/authorize",
      "//evil.example/oauth/authorize",
      "/\\evil.example/oauth/authorize",
      "/accounts/acme/queue",
      "/oauth/authorize/../../x",
    ]) {
      expect(back(evil), evil).toBeNull();
    }
  });

  it("grants nothing outside the person's accounts, and nothing without a scope", async () => {
    const oauth = new MemoryOAuthClient("Greedy Agent", CALLBACK, ALL_SCOPES);
    await expect(
      new Client({ name: "t", version: "1" }).connect(new StreamableHTTPClientTransport(MCP_URL, { authProvider: oauth, fetch: workerFetch })),
    ).rejects.toThrow(UnauthorizedError);
    const otherAccount = await consent(oauth.authorizationUrl!, USERS.agent.email, { account: OTHER_ACCOUNT });
    expect(otherAccount.answer.status).toBe(400);
    const unknownScope = await consent(oauth.authorizationUrl!, USERS.agent.email, { scopes: ["tasks:decide"] });
    expect(unknownScope.answer.status).toBe(403);
    const none = await consent(oauth.authorizationUrl!, USERS.agent.email, { scopes: [] });
    expect(none.answer.status).toBe(400);
  });
});

describe("MCP server: tools", () => {
  it("calls every tool on a ticket from the signed webhook, and logs each call with the client's name", async () => {
    const { client } = await connect();
    const { t, taskId } = await ticketFromWebhook();

    const queue = await ok(client, "list_awaiting_review", {});
    expect(queue.account).toBe(ACCOUNT);
    expect(queue.tasks).toContainEqual(expect.objectContaining({ task_id: taskId, ticket_id: t.id, subject: t.subject, requester_email: "pat@customer.test" }));

    const status = await ok(client, "get_task_status", { task_id: taskId });
    expect(status).toMatchObject({ task_id: taskId, status: "awaiting_review", pending: true, proposed_by: null });

    const read = await ok(client, "read_ticket", { ticket_id: t.id });
    expect(read).toMatchObject({
      task_id: taskId,
      ticket_id: t.id,
      subject: t.subject,
      body: t.body,
      requester: { email: "pat@customer.test" },
      source: "generic",
    });
    // The task id works as well as the help desk's ticket id.
    expect((await ok(client, "read_ticket", { ticket_id: taskId })).ticket_id).toBe(t.id);

    expect(await ok(client, "lookup_entitlement", { email: "pat@customer.test" })).toMatchObject({ tier: "pro", plan: "Pro", slaHours: 8 });
    const stranger = await call(client, "lookup_entitlement", { email: "cto@bigco.test" });
    expect(stranger.isError).toBe(true);
    expect(textOf(stranger)).toContain("no ticket from cto@bigco.test");

    const context = await ok(client, "summarize_context", { ticket_id: t.id });
    expect(context).toMatchObject({ category: "billing", handoffQueue: "billing", risky: false });
    expect(context.summary).toContain(t.subject);

    const draft = await ok(client, "draft_reply", { ticket_id: t.id });
    expect(draft).toMatchObject({ task_id: taskId, saved: false, category: "billing" });
    expect(draft.body).toContain("Hi Pat,");
    expect(draft.body).toContain("8 hours");

    const handoff = await ok(client, "file_handoff", { ticket_id: t.id, queue: "billing", note: "Customer reports a double charge in November." });
    expect(handoff).toMatchObject({ queue: "billing", status: "filed", task_id: taskId });
    // Same path as the agent's own tool: once per ticket and queue.
    expect((await ok(client, "file_handoff", { ticket_id: t.id, queue: "billing", note: "again" })).handoff_id).toBe(handoff.handoff_id);
    expect(await db.select().from(schema.handoffs).where(eq(schema.handoffs.taskId, taskId))).toHaveLength(1);
    await eventually(async () => (await openProposal(env, ACCOUNT, taskId))?.handoff?.queue === "billing", "handoff on the open proposal");

    // Nothing was proposed or sent by any of this.
    expect(await db.select().from(schema.outbox).where(eq(schema.outbox.taskId, taskId))).toHaveLength(0);

    const logged = await invocations({});
    expect(logged.map((r) => r.tool)).toEqual(
      expect.arrayContaining([
        "list_awaiting_review",
        "get_task_status",
        "read_ticket",
        "lookup_entitlement",
        "summarize_context",
        "draft_reply",
        "file_handoff",
      ]),
    );
    for (const row of logged) expect(row).toMatchObject({ accountId: ACCOUNT, actor: `user:${USERS.agent.email}`, client: "Test Agent" });
    expect(logged.find((r) => r.tool === "lookup_entitlement" && r.outcome === "denied")).toBeTruthy();
    const audit = await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.taskId, taskId));
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["mcp.read_ticket", "mcp.summarize_context", "mcp.draft_reply", "mcp.file_handoff", "handoff.filed"]),
    );
    for (const a of audit.filter((a) => a.action.startsWith("mcp.") || a.action === "handoff.filed")) {
      expect(a.actor).toBe(`user:${USERS.agent.email} via mcp:Test Agent`);
    }
    await client.close();
  });

  it("proposes a reply that waits in the review queue, is sent only after a person approves it, and reports its status", async () => {
    const { client } = await connect({ name: "Reply Bot" });
    const { t, taskId: original } = await ticketFromWebhook();
    const body = `Hi Pat,\n\nThanks for flagging the duplicate charge. Our billing team is checking it now and will confirm what happened.\n\nAcme Support (${t.id})`;

    const proposed = await ok(client, "propose_reply", { ticket_id: t.id, body, confidence: 0.8 });
    expect(proposed).toMatchObject({
      status: "pending",
      in_reply_to: { task_id: original, ticket_id: t.id },
      duplicate: false,
      check: { tool: "get_task_status" },
    });
    const taskId = proposed.task_id as string;
    expect(taskId).not.toBe(original);
    expect(proposed.check.arguments).toEqual({ task_id: taskId });
    // Proposing the same text again is the same task.
    expect(await ok(client, "propose_reply", { ticket_id: t.id, body, confidence: 0.8 })).toMatchObject({ task_id: taskId, duplicate: true });

    // It appears in the agent's queue exactly like a Workflow's proposal: the agent drafted exactly this text and waits for a person.
    const agent = await accountAgent(env, ACCOUNT);
    const proposal = await eventually(async () => {
      const p = await openProposal(env, ACCOUNT, taskId);
      return p?.status === "awaiting_review" ? p : null;
    }, "the MCP proposal awaiting review");
    expect(proposal).toMatchObject({
      draft: body,
      confidence: 0.8,
      subject: t.subject,
      origin: { kind: "mcp", client: "Reply Bot", by: `user:${USERS.agent.email}`, inReplyTo: original },
    });
    expect(proposal.toolCalls.map((c) => c.tool)).toEqual(["read_ticket", "lookup_entitlement", "summarize_context", "draft_reply", "send_reply"]);
    expect(proposal.toolCalls.at(-1)!.status).toBe("awaiting_approval");
    expect((await agent.queuePage({}, 200, null)).proposals.map((p) => p.taskId)).toContain(taskId);
    expect((await ok(client, "list_awaiting_review", {})).tasks).toContainEqual(
      expect.objectContaining({ task_id: taskId, proposed_by: `Reply Bot (user:${USERS.agent.email})` }),
    );
    expect(await ok(client, "get_task_status", { task_id: taskId })).toMatchObject({
      status: "awaiting_review",
      pending: true,
      proposed_by: `Reply Bot (user:${USERS.agent.email})`,
    });
    // Waiting: nothing sent, however long the client waits.
    expect(await db.select().from(schema.outbox).where(eq(schema.outbox.taskId, taskId))).toHaveLength(0);

    // A person approves it through the REST decision endpoint (the dashboard does the same over its WebSocket).
    const decided = await api(`/api/accounts/${ACCOUNT}/tasks/${taskId}/decision`, {
      method: "POST",
      token: await signIn(USERS.lead.email),
      body: JSON.stringify({ action: "approve" }),
    });
    expect(decided.status).toBe(200);
    const sent = await eventually(async () => (await db.select().from(schema.outbox).where(eq(schema.outbox.taskId, taskId)))[0], "the reply in the outbox");
    expect(sent).toMatchObject({ body, toEmail: "pat@customer.test", approvedBy: `user:${USERS.lead.email}` });
    const final = await eventually(async () => {
      const s = await ok(client, "get_task_status", { task_id: taskId });
      return s.status === "sent" ? s : null;
    }, "get_task_status says sent");
    expect(final).toMatchObject({ pending: false, outcome: "sent", decided_by: `user:${USERS.lead.email}` });
    // The original ticket's own proposal is untouched.
    expect((await openProposal(env, ACCOUNT, original))?.status).toBe("awaiting_review");

    const audit = (await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.taskId, taskId))).map((a) => `${a.action} ${a.actor}`);
    expect(audit).toEqual(
      expect.arrayContaining([
        `ticket.received user:${USERS.agent.email} via mcp:Reply Bot`,
        `mcp.propose_reply user:${USERS.agent.email} via mcp:Reply Bot`,
        `proposal.created agent:${ACCOUNT}`,
        `decision.approve user:${USERS.lead.email}`,
        "reply.sent workflow",
      ]),
    );
    expect(await invocations({ client: "Reply Bot", tool: "propose_reply" })).toHaveLength(2);
    await client.close();
  });

  it("never sends a proposed reply by itself, even with auto-send on; sent back, the account's agent redrafts it", async () => {
    const { client } = await connect({ name: "Eager Bot" });
    const { t } = await ticketFromWebhook({ subject: "Invoice copy", body: "Could you send me last month's invoice again?" });
    const admin = await signIn(USERS.admin.email);
    const patch = (policy: unknown) => api(`/api/accounts/${ACCOUNT}/operations`, { method: "PATCH", token: admin, body: JSON.stringify({ policy }) });
    expect((await patch({ ...DEFAULT_POLICY, autoSend: { enabled: true, minConfidence: 0.5 } })).status).toBe(200);
    try {
      const body = "Hi Pat,\n\nI have attached last month's invoice. Let me know if you need anything else.\n\nAcme Support";
      const { task_id: taskId } = await ok(client, "propose_reply", { ticket_id: t.id, body, confidence: 0.99 });
      await accountAgent(env, ACCOUNT);
      const first = await eventually(async () => {
        const p = await openProposal(env, ACCOUNT, taskId);
        return p?.status === "awaiting_review" ? p : null;
      }, "the proposal waiting for a person");
      expect(first).toMatchObject({ draft: body, risk: [] });
      expect(await db.select().from(schema.outbox).where(eq(schema.outbox.taskId, taskId))).toHaveLength(0);

      const decide = (decision: object) =>
        api(`/api/accounts/${ACCOUNT}/tasks/${taskId}/decision`, { method: "POST", token: admin, body: JSON.stringify(decision) });
      expect((await decide({ action: "revise", note: "Do not say it is attached: we email invoices separately." })).status).toBe(200);
      const second = await eventually(async () => {
        const p = await openProposal(env, ACCOUNT, taskId);
        return p?.status === "awaiting_review" && p.round === 2 ? p : null;
      }, "the agent's redraft");
      expect(second.draft).not.toBe(body);
      expect(second.draft).toContain("Hello Pat,");
      expect((await decide({ action: "reject", note: "Handled by phone." })).status).toBe(200);
      await eventually(async () => (await ok(client, "get_task_status", { task_id: taskId })).status === "rejected", "get_task_status says rejected");
      expect(await db.select().from(schema.outbox).where(eq(schema.outbox.taskId, taskId))).toHaveLength(0);
    } finally {
      await db.delete(schema.accountSettings);
    }
    await client.close();
  });

  it("neither lists nor runs tools outside the granted scopes", async () => {
    const { client } = await connect({ name: "Reader", grant: ["tasks:read"] });
    const { t, taskId } = await ticketFromWebhook();
    expect((await client.listTools()).tools.map((x) => x.name).sort()).toEqual(["get_task_status", "list_awaiting_review"]);
    expect((await ok(client, "get_task_status", { task_id: taskId })).status).toBe("awaiting_review");

    await expect(call(client, "read_ticket", { ticket_id: t.id })).rejects.toThrow(/read_ticket needs the "tickets:read" scope/);
    await expect(call(client, "propose_reply", { ticket_id: t.id, body: "Hello" })).rejects.toThrow(/propose_reply needs the "replies:propose" scope/);
    await expect(call(client, "search_knowledge", { query: "refund" })).rejects.toThrow(/search_knowledge needs the "knowledge:read" scope/);
    expect(await db.select().from(schema.proposedReplies).where(eq(schema.proposedReplies.inReplyTo, taskId))).toHaveLength(0);
    const denied = await invocations({ client: "Reader" });
    expect(
      denied
        .filter((r) => r.outcome === "denied")
        .map((r) => r.tool)
        .sort(),
    ).toEqual(["propose_reply", "read_ticket", "search_knowledge"]);
    await client.close();
  });

  it("searches the knowledge base under knowledge:read, only ever in the grant's account, and logs each search", async () => {
    const mine = await addArticle(
      env,
      ACCOUNT,
      {
        title: "Refund a double charge",
        body: "If your card was charged twice for one invoice, open Billing and request a refund of the duplicate.",
        url: "https://help.acme.test/refund",
      },
      "user:admin@acme.test",
    );
    const theirs = await addArticle(
      env,
      OTHER_ACCOUNT,
      { title: "Refund a double charge (Globex secret policy)", body: "Globex refunds a card charged twice for one invoice within a day." },
      "user:someone@globex.test",
    );
    const { client } = await connect({ name: "Knowledge Agent", grant: ["knowledge:read"] });
    expect((await client.listTools()).tools.map((x) => x.name)).toEqual(["search_knowledge"]);

    const found = await ok(client, "search_knowledge", { query: "My card was charged twice for the invoice, can I get a refund?", language: "en" });
    expect(found).toMatchObject({ account: ACCOUNT, count: 1 });
    expect(found.hits).toEqual([
      {
        article_id: mine.id,
        title: "Refund a double charge",
        url: "https://help.acme.test/refund",
        snippet: expect.stringContaining("charged twice"),
        score: expect.any(Number),
        language: "en",
        kind: "article",
      },
    ]);
    expect(found.hits[0].score).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
    expect(JSON.stringify(found)).not.toContain(theirs.id);
    expect(JSON.stringify(found)).not.toContain("Globex");
    expect(await ok(client, "search_knowledge", { query: "the weather in Lisbon" })).toEqual({ account: ACCOUNT, count: 0, hits: [] });

    // Input is checked: an empty question or an unknown language is an error, not a search.
    for (const args of [{ query: "   " }, { query: "refund", language: "tlh" }, {}]) {
      const bad = await call(client, "search_knowledge", args).catch(
        (err: Error) => ({ isError: true, content: [{ type: "text", text: err.message }] }) as ToolResult,
      );
      expect(bad.isError, JSON.stringify(args)).toBe(true);
    }
    const logged = await invocations({ client: "Knowledge Agent", tool: "search_knowledge" });
    expect(logged.filter((r) => r.outcome === "ok")).toHaveLength(2);
    for (const row of logged) expect(row).toMatchObject({ accountId: ACCOUNT, actor: `user:${USERS.agent.email}` });
    const audit = await db
      .select()
      .from(schema.auditEvents)
      .where(
        and(
          eq(schema.auditEvents.action, "mcp.search_knowledge"),
          eq(schema.auditEvents.accountId, ACCOUNT),
          eq(schema.auditEvents.actor, `user:${USERS.agent.email} via mcp:Knowledge Agent`),
        ),
      );
    expect(audit.length).toBeGreaterThanOrEqual(2);
    await client.close();
  });

  it("refuses another account's tickets and tasks without giving anything away", async () => {
    const { client } = await connect({ name: "Nosy Agent" });
    const { t, taskId } = await ticketFromWebhook({ subject: "Globex secret roadmap question" }, OTHER_ACCOUNT);
    for (const [tool, args] of [
      ["read_ticket", { ticket_id: t.id }],
      ["read_ticket", { ticket_id: taskId }],
      ["summarize_context", { ticket_id: t.id }],
      ["draft_reply", { ticket_id: taskId }],
      ["file_handoff", { ticket_id: t.id, queue: "tier-2", note: "x" }],
      ["propose_reply", { ticket_id: t.id, body: "Hello" }],
      ["get_task_status", { task_id: taskId }],
    ] as const) {
      const result = await call(client, tool, args);
      expect(result.isError, tool).toBe(true);
      expect(textOf(result)).toMatch(/^no (ticket|task) "/);
      expect(JSON.stringify(result)).not.toContain("Globex secret");
    }
    expect((await ok(client, "list_awaiting_review", { limit: 50 })).tasks.map((x: { task_id: string }) => x.task_id)).not.toContain(taskId);
    expect(await db.select().from(schema.proposedReplies).where(eq(schema.proposedReplies.inReplyTo, taskId))).toHaveLength(0);
    await client.close();
  });
});

describe("MCP server: revocation", () => {
  it("stops a client at once when the person revokes it in the dashboard", async () => {
    const { client, oauth } = await connect({ name: "Revoked Agent" });
    expect((await ok(client, "list_awaiting_review", {})).account).toBe(ACCOUNT);
    const token = await signIn(USERS.agent.email);
    const { clients } = (await (await api(`/api/accounts/${ACCOUNT}/mcp-clients`, { token })).json()) as { clients: { grantId: string; clientName: string }[] };
    const grant = clients.find((c) => c.clientName === "Revoked Agent")!;
    // Nobody else can revoke it.
    expect((await api(`/api/accounts/${ACCOUNT}/mcp-clients/${grant.grantId}`, { method: "DELETE", token: await signIn(USERS.lead.email) })).status).toBe(404);
    expect((await api(`/api/accounts/${ACCOUNT}/mcp-clients/${grant.grantId}`, { method: "DELETE", token })).status).toBe(200);

    const raw = await workerFetch(MCP_URL, {
      method: "POST",
      headers: { authorization: `Bearer ${oauth.tokens()!.access_token}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
    });
    expect(raw.status).toBe(401);
    // The refresh token is gone too: the SDK falls back to asking the person again.
    await expect(call(client, "list_awaiting_review", {})).rejects.toThrow();
    const audit = await db.query.auditEvents.findFirst({ where: eq(schema.auditEvents.action, "mcp.client_revoked") });
    expect(audit).toMatchObject({ actor: `user:${USERS.agent.email}`, before: { client: "Revoked Agent" } });
    await client.close();
  });

  it("revokes the grant when a refresh token that was already exchanged comes back", async () => {
    const { client, oauth } = await connect({ name: "Refreshing Agent" });
    const refresh = (token: string) =>
      workerFetch(new URL("/oauth/token", BASE), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: token, client_id: oauth.clientId! }),
      });
    const first = oauth.tokens()!.refresh_token!;
    const rotated = await refresh(first);
    expect(rotated.status).toBe(200);
    const next = (await rotated.json()) as { access_token: string; refresh_token: string };
    expect(next.refresh_token).not.toBe(first);

    // The old one again: someone else holds it. The whole grant goes.
    const reused = await refresh(first);
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: "invalid_grant", error_description: expect.stringMatching(/already used/) });
    expect((await refresh(next.refresh_token)).status).toBe(400);
    const raw = await workerFetch(MCP_URL, {
      method: "POST",
      headers: { authorization: `Bearer ${next.access_token}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
    });
    expect(raw.status).toBe(401);
    await client.close();
  });

  it("stops working when the person leaves the account", async () => {
    const { client } = await connect({ name: "Leaver Agent", email: USERS.lead.email });
    expect((await ok(client, "list_awaiting_review", {})).account).toBe(ACCOUNT);
    await db.delete(schema.memberships).where(and(eq(schema.memberships.userId, USERS.lead.id), eq(schema.memberships.accountId, ACCOUNT)));
    await expect(call(client, "list_awaiting_review", {})).rejects.toThrow(/no longer a member/);
    await db.insert(schema.memberships).values({ userId: USERS.lead.id, accountId: ACCOUNT, role: "lead" });
    await client.close();
  });
});
