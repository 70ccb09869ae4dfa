// Every help desk end to end: its real payload, signed its way, becomes a
// triaged ticket; unsigned, mis-signed, stale and repeated deliveries are
// refused or deduplicated; the approved reply goes back through that help
// desk's API (a local fake speaking its wire format) exactly once.
import { introspectWorkflowInstance } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { and, count, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { FAKE_HELPDESK_CREDENTIALS, type FakeState, type FakeVendor } from "../../test/fakes/help-desk-fixtures";
import { ACCOUNT, api, connectToFake, enableSource, eventually, OTHER_ACCOUNT, signIn, USERS } from "../../test/fixtures";
import chatwoot from "../../test/fixtures/webhooks/chatwoot-conversation-created.json";
import chatwootMessage from "../../test/fixtures/webhooks/chatwoot-message-created.json";
import freshdeskDisplayDate from "../../test/fixtures/webhooks/freshdesk/ticket-created-display-date.json";
import freshdeskMultiline from "../../test/fixtures/webhooks/freshdesk/ticket-created-multiline-no-offset.json";
import freshdesk from "../../test/fixtures/webhooks/freshdesk-ticket-created.json";
import front from "../../test/fixtures/webhooks/front-inbound.json";
import helpscoutWithoutThreads from "../../test/fixtures/webhooks/helpscout/convo-created-without-threads.json";
import helpscout from "../../test/fixtures/webhooks/helpscout-convo-created.json";
import intercomContactsArray from "../../test/fixtures/webhooks/intercom/conversation-user-created-contacts-array.json";
import intercomV1Created from "../../test/fixtures/webhooks/intercom/conversation-user-created-v1.json";
import intercomV1Replied from "../../test/fixtures/webhooks/intercom/conversation-user-replied-v1.json";
import intercomTicketContactReplied from "../../test/fixtures/webhooks/intercom/ticket-contact-replied.json";
import intercom from "../../test/fixtures/webhooks/intercom-conversation-user-created.json";
import zammad from "../../test/fixtures/webhooks/zammad-ticket-created.json";
import zendeskAgentNoRequester from "../../test/fixtures/webhooks/zendesk/comment-added-agent-without-requester.json";
import zendeskCustomerNoRequester from "../../test/fixtures/webhooks/zendesk/comment-added-customer-without-requester.json";
import zendeskTrimmed from "../../test/fixtures/webhooks/zendesk/ticket-created-trimmed.json";
import zendeskNoDescription from "../../test/fixtures/webhooks/zendesk/ticket-created-without-description.json";
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

// ── shapes help desks really send (issue 15) ────────────────────────────────

describe("payload shapes from the vendors' own documentation and SDKs", () => {
  interface ShapeCase {
    name: string;
    vendor: FakeVendor;
    /** The body exactly as sent. */
    body: string;
    sign?: SignOptions;
    /** 202: a new task; 200: ignored. */
    status: 202 | 200;
  }
  const json = (value: unknown) => JSON.stringify(value);
  const SHAPES: ShapeCase[] = [
    { name: "Intercom conversation with contacts as an array", vendor: "intercom", body: json(intercomContactsArray), status: 202 },
    { name: "Intercom 1.x conversation (conversation_message, user)", vendor: "intercom", body: json(intercomV1Created), status: 202 },
    { name: "Intercom 1.x user reply", vendor: "intercom", body: json(intercomV1Replied), status: 202 },
    { name: "Intercom ticket.contact.replied", vendor: "intercom", body: json(intercomTicketContactReplied), status: 202 },
    { name: "Zendesk ticket.created with only id, status and via", vendor: "zendesk", body: json(zendeskTrimmed), status: 200 },
    { name: "Zendesk ticket.created without description and requester_id", vendor: "zendesk", body: json(zendeskNoDescription), status: 202 },
    { name: "Zendesk agent comment without requester_id", vendor: "zendesk", body: json(zendeskAgentNoRequester), status: 200 },
    { name: "Zendesk customer comment without requester_id", vendor: "zendesk", body: json(zendeskCustomerNoRequester), status: 202 },
    // A template that does not escape {{ticket.description_text}}: raw line breaks and a tab inside a string.
    {
      name: "Freshdesk description with raw newlines, created_on without offset",
      vendor: "freshdesk",
      body: json(freshdeskMultiline).replaceAll("\\n", "\n").replaceAll("\\t", "\t"),
      status: 202,
    },
    { name: "Freshdesk created_on in the display form", vendor: "freshdesk", body: json(freshdeskDisplayDate), status: 202 },
  ];

  it.each(SHAPES)("$name: answered $status", async ({ vendor, body, sign, status }) => {
    await configure(vendor);
    const before = await ticketCount();
    const res = await post(vendor, body, await signFor(vendor, secretOf(vendor), body, undefined, sign));
    const answer = (await res.json()) as { taskId?: string; ignored?: boolean; reason?: string; error?: string };
    expect(res.status, JSON.stringify(answer)).toBe(status);
    if (status === 200) {
      expect(answer).toMatchObject({ ignored: true, reason: expect.any(String) });
      expect(await ticketCount()).toBe(before);
      return;
    }
    expect(answer.taskId).toMatch(/^t_/);
    const ticket = (await db.query.tickets.findFirst({ where: eq(schema.tickets.id, answer.taskId!) }))!;
    expect(ticket.source).toBe(vendor);
    expect(ticket.body.length).toBeGreaterThan(0);
    expect(await ticketCount()).toBe(before + 1);
  });

  it("keeps a Freshdesk description's line breaks and reads its created_on as UTC", async () => {
    await configure("freshdesk");
    const payload = structuredClone(freshdeskMultiline);
    payload.freshdesk_webhook.ticket_id = "1311";
    const body = json(payload).replaceAll("\\n", "\n").replaceAll("\\t", "\t");
    const res = await post("freshdesk", body, await signFor("freshdesk", secretOf("freshdesk"), body));
    expect(res.status).toBe(202);
    const { taskId } = (await res.json()) as { taskId: string };
    const ticket = (await db.query.tickets.findFirst({ where: eq(schema.tickets.id, taskId) }))!;
    expect(ticket.body).toContain("our invoices still go to finance@old-example.com.\nPlease use ap@example.com from now on.");
    expect(ticket.ticketCreatedAt).toBe("2026-11-30T14:05:00.000Z");
  });
});

describe("Help Scout without embedded threads", () => {
  const withId = (id: number) => {
    const payload = structuredClone(helpscoutWithoutThreads) as Record<string, unknown>;
    payload.id = id;
    return JSON.stringify(payload);
  };
  const threadRequests = async (id: number) =>
    (await fakeState("helpscout")).requests.filter((r) => r.method === "GET" && r.path === `/v2/conversations/${id}/threads`);

  it("fetches the threads through the Mailbox API with the connector's credentials and triages the first customer message", async () => {
    await configure("helpscout");
    const body = withId(2391940123);
    const before = await ticketCount();
    const res = await post("helpscout", body, await signFor("helpscout", secretOf("helpscout"), body, undefined, { event: "convo.created" }));
    expect(res.status).toBe(202);
    const { taskId } = (await res.json()) as { taskId: string };
    const ticket = (await db.query.tickets.findFirst({ where: eq(schema.tickets.id, taskId) }))!;
    expect(ticket).toMatchObject({
      externalId: "2391940123",
      conversationId: "2391940123",
      subject: "Billing address after our move",
      requesterEmail: "bear@acme.com",
      requesterName: "Robin Bear",
    });
    expect(ticket.body).toContain("we moved offices last month. I'm having a hard time changing the billing address on our account.");
    expect(ticket.refs).toMatchObject({ customerId: "238604", messageId: "7310001" });
    // Newest first, paged: the first customer message is on the last page.
    expect((await threadRequests(2391940123)).map((r) => r.query)).toEqual(["?page=1", "?page=2"]);
    expect(await ticketCount()).toBe(before + 1);

    // Help Scout's repeat of the same delivery: fetched again, recognised as the same ticket.
    const again = await post("helpscout", body, await signFor("helpscout", secretOf("helpscout"), body, undefined, { event: "convo.created" }));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ taskId, duplicate: true });
    expect(await ticketCount()).toBe(before + 1);
  });

  it("answers 503 with Retry-After when the Mailbox API is unreachable, stores nothing, and takes Help Scout's retry", async () => {
    await configure("helpscout");
    const id = 2391940124;
    const body = withId(id);
    const before = await ticketCount();
    await fetch(`${FAKE}/_fake/script`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ vendor: "helpscout", status: 503, times: 2, path: `/v2/conversations/${id}/threads` }),
    });
    const res = await post("helpscout", body, await signFor("helpscout", secretOf("helpscout"), body, undefined, { event: "convo.created" }));
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("300");
    const { error } = (await res.json()) as { error: string };
    expect(error).toMatch(
      /^Help Scout's payload lacks the conversation's threads, which could not be fetched through its API: Help Scout API GET .* failed: 503/,
    );
    expect(await ticketCount()).toBe(before);
    const [logged] = await db
      .select()
      .from(schema.webhookDeliveries)
      .where(and(eq(schema.webhookDeliveries.accountId, ACCOUNT), eq(schema.webhookDeliveries.source, "helpscout")))
      .orderBy(desc(schema.webhookDeliveries.id))
      .limit(1);
    expect(logged).toMatchObject({ status: 503, outcome: "rejected", taskId: null });

    const retry = await post("helpscout", body, await signFor("helpscout", secretOf("helpscout"), body, undefined, { event: "convo.created" }));
    expect(retry.status).toBe(202);
    expect(await ticketCount()).toBe(before + 1);
  });

  it("answers 503 when the connector has no outbound credentials to fetch them with", async () => {
    await enableSource(env, OTHER_ACCOUNT, "helpscout", secretOf("helpscout"));
    const body = withId(2391940125);
    const before = await ticketCount();
    const res = await exports.default.fetch(`https://triage.test/webhooks/${OTHER_ACCOUNT}/helpscout`, {
      method: "POST",
      headers: await signFor("helpscout", secretOf("helpscout"), body, undefined, { event: "convo.created" }),
      body,
    });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toContain("the connector has no outbound API credentials");
    expect(await ticketCount()).toBe(before);
  });

  it("makes one task of one customer thread delivered as convo.created and as convo.customer.reply.created, in either order", async () => {
    await configure("helpscout");
    for (const [id, events] of [
      [2391938201, ["convo.created", "convo.customer.reply.created"]],
      [2391938202, ["convo.customer.reply.created", "convo.created"]],
    ] as const) {
      const payload = structuredClone(helpscout) as Record<string, unknown>;
      payload.id = id;
      const body = JSON.stringify(payload);
      const before = await ticketCount();
      const first = await post("helpscout", body, await signFor("helpscout", secretOf("helpscout"), body, undefined, { event: events[0] }));
      expect(first.status).toBe(202);
      const { taskId } = (await first.json()) as { taskId: string };
      const second = await post("helpscout", body, await signFor("helpscout", secretOf("helpscout"), body, undefined, { event: events[1] }));
      expect(second.status).toBe(200);
      expect(await second.json()).toMatchObject({ taskId, duplicate: true });
      expect(await ticketCount()).toBe(before + 1);
    }
  });
});
