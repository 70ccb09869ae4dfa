// Every help desk end to end: its real payload, signed its way, becomes a
// triaged ticket; unsigned, mis-signed, stale and repeated deliveries are
// refused or deduplicated; the approved reply goes back through that help
// desk's API (a local fake speaking its wire format) exactly once.
import { introspectWorkflowInstance } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { FAKE_HELPDESK_CREDENTIALS, type FakeState, type FakeVendor } from "../../test/fakes/help-desk-fixtures";
import { ACCOUNT, api, connectToFake, eventually, signIn, USERS } from "../../test/fixtures";
import chatwoot from "../../test/fixtures/webhooks/chatwoot-conversation-created.json";
import chatwootMessage from "../../test/fixtures/webhooks/chatwoot-message-created.json";
import freshdesk from "../../test/fixtures/webhooks/freshdesk-ticket-created.json";
import front from "../../test/fixtures/webhooks/front-inbound.json";
import helpscout from "../../test/fixtures/webhooks/helpscout-convo-created.json";
import intercom from "../../test/fixtures/webhooks/intercom-conversation-user-created.json";
import zammad from "../../test/fixtures/webhooks/zammad-ticket-created.json";
import zendesk from "../../test/fixtures/webhooks/zendesk-ticket-created.json";
import { type SignOptions, signFor } from "../../test/sign-webhook";
import { openProposal } from "../agent/proposals";
import { accountAgent } from "../agent/stubs";
import { getDb, schema } from "../db/client";

const FAKE = env.FAKE_HELPDESK_E2E_URL!;
const db = getDb(env);

interface Case {
  vendor: FakeVendor;
  fixture: unknown;
  /** Whether the scheme signs a timestamp (else a replay is caught by dedupe). */
  timestamped: boolean;
  sign?: SignOptions;
}

const CASES: Case[] = [
  { vendor: "zendesk", fixture: zendesk, timestamped: true },
  { vendor: "helpscout", fixture: helpscout, timestamped: false, sign: { event: "convo.created" } },
  { vendor: "intercom", fixture: intercom, timestamped: false },
  { vendor: "front", fixture: front, timestamped: true },
  // Chatwoot API paths carry the account id from the payload; the fake knows account 7.
  { vendor: "chatwoot", fixture: { ...chatwoot, account: { id: 7, name: "Acme" } }, timestamped: true },
  { vendor: "zammad", fixture: zammad, timestamped: false },
  { vendor: "freshdesk", fixture: freshdesk, timestamped: false },
];

const secretOf = (vendor: string) => `${vendor}-signing-secret-for-tests`;

async function post(vendor: FakeVendor, body: string, headers: Record<string, string>) {
  return exports.default.fetch(`https://triage.test/webhooks/${ACCOUNT}/${vendor}`, { method: "POST", headers, body });
}

async function fakeState(vendor: FakeVendor): Promise<FakeState> {
  return (await (await fetch(`${FAKE}/_fake/requests?vendor=${vendor}`)).json()) as FakeState;
}

async function ticketCount() {
  return (await db.select({ n: count() }).from(schema.tickets))[0]!.n;
}

const configure = (vendor: FakeVendor) => connectToFake(env, vendor, secretOf(vendor), FAKE);

describe.each(CASES)("$vendor webhooks", ({ vendor, fixture, timestamped, sign }) => {
  it("triages a signed delivery, refuses bad ones, dedupes repeats, and replies once through the help desk", async () => {
    await configure(vendor);
    const body = JSON.stringify(fixture);
    const before = await ticketCount();

    // Unsigned, mis-signed and (where the scheme has a timestamp) stale deliveries are refused.
    const unsigned = await post(vendor, body, { "content-type": "application/json" });
    expect(unsigned.status).toBe(401);
    const misSigned = await post(vendor, body, await signFor(vendor, "not-the-secret", body, undefined, sign));
    expect(misSigned.status).toBe(401);
    expect(await misSigned.json()).toMatchObject({ error: expect.stringMatching(/^signature check failed: /) });
    if (timestamped) {
      const stale = await post(vendor, body, await signFor(vendor, secretOf(vendor), body, Math.floor(Date.now() / 1000) - 600, sign));
      expect(stale.status).toBe(401);
      expect(await stale.json()).toMatchObject({ error: "signature check failed: stale timestamp" });
    }
    expect(await ticketCount()).toBe(before);

    // The real delivery: 202 and a task.
    const res = await post(vendor, body, await signFor(vendor, secretOf(vendor), body, undefined, sign));
    expect(res.status).toBe(202);
    const { taskId } = (await res.json()) as { taskId: string };
    const instance = await introspectWorkflowInstance(env.TRIAGE_WORKFLOW, taskId);

    // A redelivery (new signature, new delivery id) is a duplicate: nothing stored twice.
    const again = await post(vendor, body, await signFor(vendor, secretOf(vendor), body, undefined, sign));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ taskId, duplicate: true });
    expect(await ticketCount()).toBe(before + 1);

    await accountAgent(env, ACCOUNT);
    const proposal = await eventually(async () => {
      const p = await openProposal(env, ACCOUNT, taskId);
      return p?.status === "awaiting_review" ? p : null;
    }, `${vendor} proposal`);
    const ticket = (await db.query.tickets.findFirst({ where: eq(schema.tickets.id, taskId) }))!;
    expect(ticket.source).toBe(vendor);
    expect(ticket.subject.length).toBeGreaterThan(0);

    // The help desk is flaky: two 503s before it takes the reply.
    await fetch(`${FAKE}/_fake/script`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ vendor, status: 503, times: 2 }),
    });
    const decided = await api(`/api/accounts/${ACCOUNT}/tasks/${taskId}/decision`, {
      method: "POST",
      token: await signIn(USERS.agent.email),
      body: JSON.stringify({ action: "approve" }),
    });
    expect(decided.status).toBe(200);
    await instance.waitForStatus("complete");
    expect(await instance.getOutput()).toMatchObject({ outcome: "sent", artifact: expect.stringContaining(`${vendor}/${ticket.conversationId}#`) });

    const state = await fakeState(vendor);
    const replies = state.created.filter((c) => c.kind === "reply" && c.conversationId === ticket.conversationId);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain(proposal.draft!.split("\n")[0]!.replace(",", ""));
    expect(state.requests.filter((r) => r.outcome === "scripted")).toHaveLength(2);
    const calls = await db
      .select()
      .from(schema.outboundCalls)
      .where(and(eq(schema.outboundCalls.taskId, taskId), eq(schema.outboundCalls.kind, "reply")));
    expect(calls).toMatchObject([{ status: "done", remoteId: replies[0]!.remoteId }]);
    expect(await db.select().from(schema.outbox).where(eq(schema.outbox.taskId, taskId))).toHaveLength(0);
  });
});

describe("help-desk failures and extras", () => {
  it("ends the task as failed with a note when the help desk refuses the reply (4xx), without retrying, and voids its handoff", async () => {
    await configure("zammad");
    // An enterprise requester: the policy files a handoff before the reply.
    await db
      .insert(schema.customers)
      .values({ id: "c-zammad", accountId: ACCOUNT, email: "emily@example.com", name: "Emily", company: "Emco", planId: "acme-ent" })
      .onConflictDoNothing();
    const payload = structuredClone(zammad) as { ticket: { id: number | string } };
    payload.ticket.id = 404; // the fake answers 404 for this ticket
    const body = JSON.stringify(payload);
    const res = await post("zammad", body, await signFor("zammad", secretOf("zammad"), body));
    expect(res.status).toBe(202);
    const { taskId } = (await res.json()) as { taskId: string };
    const instance = await introspectWorkflowInstance(env.TRIAGE_WORKFLOW, taskId);
    await accountAgent(env, ACCOUNT);
    await eventually(async () => (await openProposal(env, ACCOUNT, taskId))?.status === "awaiting_review", "proposal");
    await api(`/api/accounts/${ACCOUNT}/tasks/${taskId}/decision`, {
      method: "POST",
      token: await signIn(USERS.agent.email),
      body: JSON.stringify({ action: "approve" }),
    });
    await instance.waitForStatus("complete");
    expect(await instance.getOutput()).toMatchObject({ outcome: "failed" });
    const task = (await db.query.tasks.findFirst({ where: eq(schema.tasks.id, taskId) }))!;
    expect(task.status).toBe("failed");
    expect(task.note).toMatch(/^Delivery failed: Zammad API POST .* failed: 404/);
    expect(task.note).not.toContain(FAKE_HELPDESK_CREDENTIALS.zammad.token);
    const replies = (await fakeState("zammad")).requests.filter(
      (r) => r.path === "/api/v1/ticket_articles" && JSON.stringify(r.body).includes('"ticket_id":404') && !JSON.stringify(r.body).includes('"internal":true'),
    );
    expect(replies).toHaveLength(1);
    // Compensation: the handoff filed for a reply that never went out is void.
    const handoffs = await db.select().from(schema.handoffs).where(eq(schema.handoffs.taskId, taskId));
    expect(handoffs).toMatchObject([{ status: "void", queue: "account-management" }]);
    const voided = await db.query.auditEvents.findFirst({ where: and(eq(schema.auditEvents.taskId, taskId), eq(schema.auditEvents.action, "handoff.voided")) });
    expect(voided).toBeDefined();
  });

  it("files an enterprise handoff as an internal note in the help desk", async () => {
    await configure("zammad");
    await db
      .insert(schema.customers)
      .values({ id: "c-zammad", accountId: ACCOUNT, email: "emily@example.com", name: "Emily", company: "Emco", planId: "acme-ent" })
      .onConflictDoNothing();
    const payload = structuredClone(zammad) as { ticket: { id: number | string } };
    payload.ticket.id = 9001;
    const body = JSON.stringify(payload);
    const res = await post("zammad", body, await signFor("zammad", secretOf("zammad"), body));
    const { taskId } = (await res.json()) as { taskId: string };
    await accountAgent(env, ACCOUNT);
    const proposal = await eventually(async () => {
      const p = await openProposal(env, ACCOUNT, taskId);
      return p?.status === "awaiting_review" ? p : null;
    }, "proposal");
    expect(proposal.handoff).not.toBeNull();
    const notes = (await fakeState("zammad")).created.filter((c) => c.kind === "note" && c.conversationId === "9001");
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain("[Handoff to");
    const audit = await db.query.auditEvents.findFirst({ where: and(eq(schema.auditEvents.taskId, taskId), eq(schema.auditEvents.action, "handoff.filed")) });
    expect(audit!.artifact).toMatch(/^zammad\/9001#/);
  });

  it("answers Front's setup challenge only when it is signed", async () => {
    await configure("front");
    const body = JSON.stringify({ type: "sync", authorization: { id: "cmp_abc" } });
    const headers = { ...(await signFor("front", secretOf("front"), body)), "x-front-challenge": "ch4ll3ng3" };
    const res = await post("front", body, headers);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ch4ll3ng3");
    const forged = await post("front", body, { ...(await signFor("front", "wrong", body)), "x-front-challenge": "ch4ll3ng3" });
    expect(forged.status).toBe(401);
  });

  it("does not triage Chatwoot's first message twice (conversation_created, then message_created)", async () => {
    await configure("chatwoot");
    const body = JSON.stringify(chatwootMessage);
    const res = await post("chatwoot", body, await signFor("chatwoot", secretOf("chatwoot"), body));
    // The fixture's message is a new customer message on the conversation from the first test,
    // or that conversation's first message: either way one task per customer message.
    expect([200, 202]).toContain(res.status);
    const again = await post("chatwoot", body, await signFor("chatwoot", secretOf("chatwoot"), body));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
  });
});
