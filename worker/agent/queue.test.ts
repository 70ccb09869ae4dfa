// The review queue at a team's volume, in workerd with the real agents,
// Workflow and D1: thousands of open proposals (seeded as rows, not drafted),
// pages and cursors, live events and catch-up after a reconnect, redrafts as
// retried Workflow steps, one decision gate for every channel, and intake
// that loses and doubles nothing when the Workflow start fails.
import { introspectWorkflowInstance, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { getAgentByName } from "agents";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { openAgentSocket } from "../../test/agent-socket";
import { ACCOUNT, api, eventually, postWebhook, signIn, ticket, USERS } from "../../test/fixtures";
import { getDb, schema } from "../db/client";
import { type ProposalPage, type ProposalSummary, proposalSortKey, type QueueChanges, type QueueEvent } from "../domain/types";
import { acceptTicket, taskIdFor } from "../intake/intake";
import { operatingState } from "../policy/operating-state";
import { openProposal } from "./proposals";
import { sqlOf } from "./sql";
import { ProposalIndex } from "./stores/proposal-index";
import { accountAgent } from "./stubs";

const db = getDb(env);
const SEEDED = 10_000;
const hex = (n: number) => n.toString(16).padStart(32, "0");

/** A queue row as the Workflow would open it, for seeding. */
function seededRow(i: number): Omit<ProposalSummary, "version" | "updatedAt"> {
  const received = new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString();
  return {
    taskId: `t_${hex(i + 1)}`,
    ticketId: `SEED-${i}`,
    subject: `Seeded ticket ${i}`,
    requester: { email: `customer${i % 300}@seed.test`, name: `Customer ${i % 300}` },
    receivedAt: received,
    status: i % 5 === 0 ? "drafting" : "awaiting_review",
    round: 1,
    priority: (["low", "normal", "high", "urgent"] as const)[i % 4],
    tier: (["free", "pro", "enterprise", "unknown"] as const)[i % 4],
    category: i % 3 === 0 ? "billing" : "bug",
    confidence: 0.8,
    // Every seventh row has no deadline (sorts last); the rest fall due over a week.
    dueAt: i % 7 === 0 ? null : new Date(Date.UTC(2026, 11, 1) + ((i * 7919) % 604_800) * 1000).toISOString(),
    risk: [],
    handoffQueue: null,
    origin: i % 10 === 0 ? "mcp" : "help_desk",
    proposedBy: i % 10 === 0 ? { client: "Seed client", by: "user:seed@acme.test" } : null,
  };
}

const agentStub = () => getAgentByName(env.AccountAgent, ACCOUNT);
const page = (token: string, query: string) => api(`/api/accounts/${ACCOUNT}/proposals?${query}`, { token });

async function proposalReady(taskId: string, round = 1) {
  return eventually(async () => {
    const p = await openProposal(env, ACCOUNT, taskId);
    return p && p.status === "awaiting_review" && p.round === round ? p : null;
  }, `proposal ${taskId} round ${round}`);
}

let agentToken = "";

beforeAll(async () => {
  agentToken = await signIn(USERS.agent.email);
  // Seeded straight into the account agent's index: the queue as 10,000 open proposals leave it.
  await runInDurableObject(await agentStub(), async (_agent, state) => {
    const index = new ProposalIndex(sqlOf(state.storage));
    for (let i = 0; i < SEEDED; i++) index.upsert(seededRow(i));
  });
});

describe("an account with 10,000 open proposals", () => {
  it("keeps every row small and the agent's synced state empty", async () => {
    await runInDurableObject(await agentStub(), async (_agent, state) => {
      const sql = sqlOf(state.storage);
      const [{ n, widest }] = sql<{ n: number; widest: number }>`select count(*) as n, max(length(summary)) as widest from proposals`;
      expect(n).toBeGreaterThanOrEqual(SEEDED);
      expect(widest).toBeLessThan(2_000);
      // Nothing that grows with the queue lives in the SDK's one-row state.
      const stateRow = sql<{ state: string }>`select state from cf_agents_state`;
      expect(stateRow.every((r) => r.state.length < 100)).toBe(true);
    });
  });

  it("accepts, drafts, lists and decides a new ticket as fast as ever", async () => {
    const t = ticket();
    const taskId = await taskIdFor(ACCOUNT, "generic", t.id);
    const instance = await introspectWorkflowInstance(env.TRIAGE_WORKFLOW, taskId);
    expect((await postWebhook(JSON.stringify({ ticket: t }))).status).toBe(202);
    await proposalReady(taskId);

    const first = (await (await page(agentToken, "limit=50")).json()) as ProposalPage;
    expect(first.proposals).toHaveLength(50);
    expect(first.counts.open).toBeGreaterThan(SEEDED);
    // Found by filtering on what it is, among ten thousand.
    const mine = (await (await page(agentToken, "limit=200&tier=pro&status=awaiting_review&priority=normal")).json()) as ProposalPage;
    expect(mine.proposals.every((p) => p.tier === "pro" && p.status === "awaiting_review" && p.priority === "normal")).toBe(true);

    const res = await api(`/api/accounts/${ACCOUNT}/tasks/${taskId}/decision`, {
      method: "POST",
      token: agentToken,
      body: JSON.stringify({ action: "approve" }),
    });
    expect(res.status).toBe(200);
    await instance.waitForStatus("complete");
    expect(await db.select().from(schema.outbox).where(eq(schema.outbox.taskId, taskId))).toHaveLength(1);
    expect(await openProposal(env, ACCOUNT, taskId)).toBeNull();
  });

  it("pages through the whole queue in order with cursors: nothing twice, nothing skipped", async () => {
    const seen: ProposalSummary[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await page(agentToken, `limit=200${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as ProposalPage;
      expect(body.proposals.length).toBeLessThanOrEqual(200);
      seen.push(...body.proposals);
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(new Set(seen.map((p) => p.taskId)).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(SEEDED);
    const keys = seen.map(proposalSortKey);
    expect([...keys].sort()).toEqual(keys);
    // Due first (soonest on top), no deadline last; within a deadline, awaiting review before drafting.
    expect(seen[0]!.dueAt).not.toBeNull();
    expect(seen.at(-1)!.dueAt).toBeNull();
  });

  it("filters by status, priority, tier, category and origin, each page in order", async () => {
    for (const query of [
      "status=drafting",
      "priority=urgent",
      "tier=enterprise",
      "category=billing",
      "origin=mcp",
      "status=awaiting_review&tier=free&origin=help_desk",
    ]) {
      const body = (await (await page(agentToken, `limit=100&${query}`)).json()) as ProposalPage;
      const want = Object.fromEntries(new URLSearchParams(query));
      expect(body.proposals.length, query).toBeGreaterThan(0);
      for (const p of body.proposals) for (const [k, v] of Object.entries(want)) expect((p as unknown as Record<string, unknown>)[k], query).toBe(v);
      const keys = body.proposals.map(proposalSortKey);
      expect([...keys].sort()).toEqual(keys);
    }
  });

  it("refuses bad limits, cursors and filters with the parameter named", async () => {
    for (const [query, path] of [
      ["limit=-1", "limit"],
      ["limit=0", "limit"],
      ["limit=201", "limit"],
      ["limit=abc", "limit"],
      ["limit=1e3", "limit"],
      ["cursor=not-a-cursor!", "cursor"],
      ["cursor=AAAA", "cursor"],
      ["status=closed", "status"],
      ["priority=critical", "priority"],
      ["limit=5&limit=6", "limit"],
      ["unknown=1", ""],
    ]) {
      const res = await page(agentToken, query);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: string; fields: { path: string }[] };
      if (path)
        expect(
          body.fields.map((f) => f.path),
          query,
        ).toContain(path);
    }
    // The task list pages the same way.
    expect((await api(`/api/accounts/${ACCOUNT}/tasks?limit=-1`, { token: agentToken })).status).toBe(400);
    expect((await api(`/api/accounts/${ACCOUNT}/tasks?cursor=zzz`, { token: agentToken })).status).toBe(400);
  });
});

describe("dashboards", () => {
  it("get one small event per change, and catch up from their last version after a reconnect", async () => {
    const socket = await openAgentSocket(ACCOUNT, agentToken);
    const hello = await socket.waitFor(() => socket.queueEvents().find((e) => e.type === "queue.hello"), "hello");
    const t = ticket();
    const taskId = await taskIdFor(ACCOUNT, "generic", t.id);
    await postWebhook(JSON.stringify({ ticket: t }));
    await proposalReady(taskId);
    const upserts = await socket.waitFor(() => {
      const mine = socket.queueEvents().filter((e) => e.type === "queue.upsert" && e.proposal.taskId === taskId) as Extract<
        QueueEvent,
        { type: "queue.upsert" }
      >[];
      return mine.some((e) => e.proposal.status === "awaiting_review") ? mine : undefined;
    }, "the proposal's upsert events");
    expect(upserts[0]!.proposal.status).toBe("drafting");
    expect(upserts.at(-1)!.version).toBeGreaterThan(hello.version);
    // Every message is a few hundred bytes, whatever the queue's size.
    expect(Math.max(...socket.raw.filter((r) => r.startsWith('{"type":"queue.')).map((r) => r.length))).toBeLessThan(10 * 1024);
    const lastSeen = Math.max(...socket.queueEvents().map((e) => e.version));
    socket.close();

    // While this dashboard is away, someone rejects the proposal.
    const lead = await signIn(USERS.lead.email);
    const rejected = await api(`/api/accounts/${ACCOUNT}/tasks/${taskId}/decision`, {
      method: "POST",
      token: lead,
      body: JSON.stringify({ action: "reject", note: "duplicate" }),
    });
    expect(rejected.status).toBe(200);

    const again = await openAgentSocket(ACCOUNT, agentToken);
    const reply = await again.rpc<QueueChanges>("queueChanges", [lastSeen]);
    expect(reply.success).toBe(true);
    expect(reply.result!.reset).toBe(false);
    expect(reply.result!.removes).toContainEqual({ taskId, outcome: "rejected" });
    expect(reply.result!.version).toBeGreaterThan(lastSeen);
    // A version from before the oldest kept change asks for a reload instead.
    await runInDurableObject(await agentStub(), async (_agent, state) => new ProposalIndex(sqlOf(state.storage)).pruneTombstones(Date.now() + 2 * 86_400_000));
    expect((await again.rpc<QueueChanges>("queueChanges", [lastSeen])).result!.reset).toBe(true);
    expect((await again.rpc<{ status: number }>("queueChanges", ["soon"])).result).toMatchObject({ status: 400 });
    again.close();
  });
});

describe("decisions", () => {
  it("redraft as their own retried Workflow step, with D1 right in round 2", async () => {
    const t = ticket();
    const taskId = await taskIdFor(ACCOUNT, "generic", t.id);
    const instance = await introspectWorkflowInstance(env.TRIAGE_WORKFLOW, taskId);
    await instance.modify(async (m) => {
      await m.disableRetryDelays();
      await m.mockStepError({ name: "draft round 2" }, new Error("model overloaded"), 1);
    });
    await postWebhook(JSON.stringify({ ticket: t }));
    await proposalReady(taskId);
    const res = await api(`/api/accounts/${ACCOUNT}/tasks/${taskId}/decision`, {
      method: "POST",
      token: agentToken,
      body: JSON.stringify({ action: "revise", note: 'Please add "The duplicate charge is refunded automatically."' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "drafting", round: 2 });
    const round2 = await proposalReady(taskId, 2);
    expect(round2.draft).toContain("refunded automatically");
    const row = await db.query.tasks.findFirst({ where: eq(schema.tasks.id, taskId) });
    expect(row).toMatchObject({ status: "awaiting_review", round: 2, corrected: true });
    // The reviewer's request only recorded the decision: the redraft ran in the Workflow.
    expect(await instance.waitForStepResult({ name: "draft round 2" })).toMatchObject({ paused: false, value: { round: 2, phase: "awaiting_review" } });
  });

  it("share one gate and one rate bucket per person across REST and the WebSocket", async () => {
    const t = ticket();
    const taskId = await taskIdFor(ACCOUNT, "generic", t.id);
    await postWebhook(JSON.stringify({ ticket: t }));
    await proposalReady(taskId);
    const socket = await openAgentSocket(ACCOUNT, agentToken);
    const [rest, ws] = await Promise.all([
      api(`/api/accounts/${ACCOUNT}/tasks/${taskId}/decision`, { method: "POST", token: agentToken, body: JSON.stringify({ action: "approve" }) }),
      socket.rpc<{ status?: number; error?: string }>("decideAsConnection", [taskId, { action: "reject", note: "no" }]),
    ]);
    const statuses = [rest.status, ws.result && "status" in ws.result && typeof ws.result.status === "number" ? ws.result.status : 200].sort();
    expect(statuses).toEqual([200, 409]);

    // One bucket per person: two decisions over REST use up a limit of 2, the WebSocket's third is refused.
    // (The admin has decided nothing yet in this minute.)
    const admin = await signIn(USERS.admin.email);
    await api(`/api/accounts/${ACCOUNT}/operations`, { method: "PATCH", token: admin, body: JSON.stringify({ decisionsPerMinute: 2 }) });
    try {
      const adminSocket = await openAgentSocket(ACCOUNT, admin);
      for (let i = 0; i < 2; i++) {
        const r = await api(`/api/accounts/${ACCOUNT}/tasks/t_${hex(999_000 + i)}/decision`, {
          method: "POST",
          token: admin,
          body: JSON.stringify({ action: "approve" }),
        });
        expect(r.status).toBe(404);
      }
      expect((await adminSocket.rpc("decideAsConnection", [`t_${hex(999_100)}`, { action: "approve" }])).result).toMatchObject({ status: 429 });
      adminSocket.close();
    } finally {
      await api(`/api/accounts/${ACCOUNT}/operations`, { method: "PATCH", token: admin, body: JSON.stringify({ decisionsPerMinute: 30 }) });
    }
    socket.close();
  });
});

describe("intake when the Workflow start fails", () => {
  /** The real bindings, except a Workflow binding whose `create` fails. */
  const failingStart = (): Env => ({
    ...env,
    TRIAGE_WORKFLOW: {
      create: async () => {
        throw new Error("workflows unavailable");
      },
      createBatch: async () => {
        throw new Error("workflows unavailable");
      },
      get: (id: string) => env.TRIAGE_WORKFLOW.get(id),
    } as unknown as Env["TRIAGE_WORKFLOW"],
  });

  const counts = async (taskId: string) => ({
    tickets: (await db.select().from(schema.tickets).where(eq(schema.tickets.id, taskId))).length,
    tasks: (await db.select().from(schema.tasks).where(eq(schema.tasks.id, taskId))).length,
    received: (
      await db
        .select()
        .from(schema.auditEvents)
        .where(and(eq(schema.auditEvents.taskId, taskId), eq(schema.auditEvents.action, "ticket.received")))
    ).length,
  });

  it("keeps the ticket, answers 503, and the help desk's retry starts it once", async () => {
    const t = ticket();
    const taskId = await taskIdFor(ACCOUNT, "generic", t.id);
    const ops = await operatingState(env, ACCOUNT);
    const inbound = { ticket: { ...t, priority: "normal" as const }, conversationId: t.id };
    await expect(acceptTicket(failingStart(), { accountId: ACCOUNT, source: "generic", deliveryId: null, inbound, ops })).rejects.toMatchObject({
      status: 503,
    });
    expect(await counts(taskId)).toEqual({ tickets: 1, tasks: 1, received: 1 });

    const retry = await postWebhook(JSON.stringify({ ticket: t }));
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ taskId, duplicate: true });
    await proposalReady(taskId);
    expect(await counts(taskId)).toEqual({ tickets: 1, tasks: 1, received: 1 });
  });

  it("answers 202 at once when the start comes after the answer, and the sweep starts what failed", async () => {
    const t = ticket();
    const taskId = await taskIdFor(ACCOUNT, "generic", t.id);
    const ops = await operatingState(env, ACCOUNT);
    const later: Promise<unknown>[] = [];
    const accepted = await acceptTicket(failingStart(), {
      accountId: ACCOUNT,
      source: "generic",
      deliveryId: "d-sweep",
      inbound: { ticket: { ...t, priority: "normal" as const }, conversationId: t.id },
      ops,
      defer: (p) => later.push(p),
    });
    expect(accepted).toEqual({ taskId, duplicate: false, status: "received" });
    await Promise.all(later);
    expect((await db.query.tasks.findFirst({ where: eq(schema.tasks.id, taskId) }))?.status).toBe("received");
    // The account agent's minute sweep (run now instead of waiting for its alarm).
    expect(await (await accountAgent(env, ACCOUNT)).startStalledTasks(0)).toBeGreaterThanOrEqual(1);
    await proposalReady(taskId);
    expect(await counts(taskId)).toEqual({ tickets: 1, tasks: 1, received: 1 });
  });
});
