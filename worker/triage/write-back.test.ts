// The triage write-back end to end: a signed webhook from each help desk, the
// Workflow's "write back triage" step after the first draft, and the fake help
// desk (its own instance, test/fakes/help-desks.ts) receiving the tags and the
// priority in its own wire format exactly once, also when the step is retried.
// Off by default; a help desk that keeps failing does not fail the ticket.
import { introspectWorkflowInstance } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { FAKE_HELPDESK_CREDENTIALS, type FakeRecordedRequest, type FakeState, type FakeVendor } from "../../test/fakes/help-desk-fixtures";
import { ACCOUNT, api, connectToFake, eventually, signIn, USERS } from "../../test/fixtures";
import chatwoot from "../../test/fixtures/webhooks/chatwoot-conversation-created.json";
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
import { taskIdFor } from "../intake/intake";
import { setOutbound, setWriteBack } from "../integrations/connector-settings";
import { clearHelpScoutTokenCache } from "../integrations/helpscout/outbound";
import { OUTBOUND, SOURCES } from "../integrations/registry";
import { triageFieldsOf, writeBackTriage } from "./write-back";

const FAKE = env.FAKE_HELPDESK_WRITEBACK_URL!;
const db = getDb(env);
const secretOf = (vendor: string) => `${vendor}-signing-secret-for-write-back`;

interface Case {
  vendor: FakeVendor;
  fixture: unknown;
  sign?: SignOptions;
  /** The requests that change the ticket, for a ticket read as three tags or more. */
  writes: (tags: number) => number;
}

const CASES: Case[] = [
  { vendor: "zendesk", fixture: zendesk, writes: () => 1 },
  { vendor: "freshdesk", fixture: freshdesk, writes: () => 1 },
  { vendor: "zammad", fixture: zammad, writes: (tags) => tags + 1 },
  { vendor: "helpscout", fixture: helpscout, sign: { event: "convo.created" }, writes: () => 1 },
  { vendor: "intercom", fixture: intercom, writes: (tags) => tags },
  { vendor: "front", fixture: front, writes: () => 1 },
  // Chatwoot API paths carry the account id from the payload; the fake knows account 7.
  { vendor: "chatwoot", fixture: { ...chatwoot, account: { id: 7, name: "Acme" } }, writes: () => 2 },
];

async function fakeState(vendor: FakeVendor): Promise<FakeState> {
  return (await (await fetch(`${FAKE}/_fake/requests?vendor=${vendor}`)).json()) as FakeState;
}

async function configure(vendor: FakeVendor, writeBack: boolean) {
  await connectToFake(env, vendor, secretOf(vendor), FAKE);
  const fields = OUTBOUND[vendor]!.triageFields!;
  await setWriteBack(env, ACCOUNT, vendor, { enabled: writeBack, fields: [...fields] }, fields, vendor, "test");
}

/** Posts the signed delivery; the Workflow's introspector is attached before it starts. */
async function deliver(vendor: FakeVendor, payload: unknown, sign?: SignOptions) {
  const body = JSON.stringify(payload);
  const headers = await signFor(vendor, secretOf(vendor), body, undefined, sign);
  const mapped = SOURCES[vendor].map(payload, new Headers(headers));
  if (mapped.kind !== "ticket") throw new Error(`${vendor} fixture not mapped: ${JSON.stringify(mapped)}`);
  const taskId = await taskIdFor(ACCOUNT, vendor, mapped.value.ticket.id);
  const instance = await introspectWorkflowInstance(env.TRIAGE_WORKFLOW, taskId);
  return {
    taskId,
    conversationId: mapped.value.conversationId,
    instance,
    post: () => exports.default.fetch(`https://triage.test/webhooks/${ACCOUNT}/${vendor}`, { method: "POST", headers, body }),
  };
}

async function awaitingReview(taskId: string) {
  await accountAgent(env, ACCOUNT);
  return eventually(async () => {
    const p = await openProposal(env, ACCOUNT, taskId);
    return p?.status === "awaiting_review" ? p : null;
  }, `proposal ${taskId}`);
}

const triageCall = (taskId: string) =>
  db.query.outboundCalls.findFirst({ where: and(eq(schema.outboundCalls.taskId, taskId), eq(schema.outboundCalls.kind, "triage")) });
const audits = (taskId: string, action: string) =>
  db
    .select()
    .from(schema.auditEvents)
    .where(and(eq(schema.auditEvents.taskId, taskId), eq(schema.auditEvents.action, action)));

/** Requests that changed this conversation's ticket (tags or priority). */
function writesTo(state: FakeState, conversationId: string): FakeRecordedRequest[] {
  return state.requests.filter(
    (r) =>
      r.outcome === "written" &&
      (r.path.includes(`/${conversationId}`) ||
        (typeof r.body === "object" && r.body !== null && String((r.body as Record<string, unknown>).o_id) === conversationId)),
  );
}
const fingerprint = (r: FakeRecordedRequest) => `${r.method} ${r.path} ${JSON.stringify(r.body)}`;

beforeEach(async () => {
  expect((await fetch(`${FAKE}/_fake/reset`, { method: "POST" })).status).toBe(200);
  clearHelpScoutTokenCache();
});

describe("the triage reading as help-desk fields", () => {
  type Reading = Parameters<typeof triageFieldsOf>[0];
  const reading = (over: Partial<Reading> = {}): Reading => ({
    language: "de",
    languageDetected: true,
    category: "billing",
    priority: "high",
    urgency: { label: "high", confidence: 0.8 },
    sentiment: { label: "negative", confidence: 0.7 },
    intent: { label: "incident", confidence: 0.6 },
    ...over,
  });

  it("makes lowercase slugs every vendor takes, and the priority", () => {
    expect(triageFieldsOf(reading())).toEqual({
      tags: ["triage-billing", "lang-de", "urgency-high", "sentiment-negative", "intent-incident"],
      priority: "high",
      category: "billing",
      language: "de",
    });
    expect(triageFieldsOf(reading({ category: "Account_Access Team" })).tags[0]).toBe("triage-account-access-team");
  });

  it("leaves out an assumed language and readings the classifier is unsure of", () => {
    const unsure = { label: "high" as const, confidence: 0.3 };
    expect(triageFieldsOf(reading({ languageDetected: false, urgency: unsure, sentiment: { label: "neutral", confidence: 0.2 } })).tags).toEqual([
      "triage-billing",
      "intent-incident",
    ]);
  });
});

// First: the settings tests need connectors nobody configured yet.
describe("the write-back setting", () => {
  const put = async (source: string, body: unknown, who: keyof typeof USERS = "admin") =>
    api(`/api/accounts/${ACCOUNT}/connectors/${source}/write-back`, { method: "PUT", token: await signIn(USERS[who].email), body: JSON.stringify(body) });

  it("is off by default, switches per connector, is audited and never shows up as a credential", async () => {
    await connectToFake(env, "zendesk", secretOf("zendesk"), FAKE);
    const list = async () =>
      (
        (await (await api(`/api/accounts/${ACCOUNT}/connectors`, { token: await signIn(USERS.admin.email) })).json()) as {
          connectors: { source: string; writeBack: unknown; writeBackFields: string[]; credentialsSet: string[] }[];
        }
      ).connectors;
    const zd = async () => (await list()).find((c) => c.source === "zendesk")!;
    expect((await zd()).writeBack).toEqual({ enabled: false, fields: [] });
    expect((await zd()).writeBackFields).toEqual(["tags", "priority"]);
    expect((await list()).find((c) => c.source === "helpscout")!.writeBackFields).toEqual(["tags"]);
    expect((await list()).find((c) => c.source === "generic")!.writeBackFields).toEqual([]);

    const on = await put("zendesk", { enabled: true, fields: ["priority", "tags"] });
    expect(on.status).toBe(200);
    expect(await on.json()).toEqual({ writeBack: { enabled: true, fields: ["tags", "priority"] } });
    expect((await zd()).writeBack).toEqual({ enabled: true, fields: ["tags", "priority"] });
    expect((await zd()).credentialsSet.sort()).toEqual(["api_token", "email"]);

    // Changing the outbound settings keeps the switch.
    await setOutbound(env, ACCOUNT, "zendesk", { apiBaseUrl: `${FAKE}/zendesk`, credentials: {} }, OUTBOUND.zendesk!.credentialFields, "test");
    expect((await zd()).writeBack).toEqual({ enabled: true, fields: ["tags", "priority"] });

    expect((await put("zendesk", { enabled: false, fields: ["tags"] })).status).toBe(200);
    expect((await zd()).writeBack).toEqual({ enabled: false, fields: ["tags"] });
    const audited = await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "connector.write_back_updated"));
    expect(audited.map((a) => [a.actor, a.after])).toEqual(
      expect.arrayContaining([
        [`user:${USERS.admin.email}`, { source: "zendesk", writeBack: { enabled: true, fields: ["tags", "priority"] } }],
        [`user:${USERS.admin.email}`, { source: "zendesk", writeBack: { enabled: false, fields: ["tags"] } }],
      ]),
    );
  });

  it("refuses bad settings with a clear 400, a switch without outbound settings with 409, and non-admins with 403", async () => {
    const bad = await put("zendesk", { enabled: true, fields: ["tags", "colour"] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: 'write-back fields must be a list of "tags" and/or "priority"',
      fields: [{ path: "fields.1", message: 'expected "tags" or "priority"' }],
    });
    const notAList = await put("zendesk", { enabled: true, fields: "tags" });
    expect(notAList.status).toBe(400);
    expect(await notAList.json()).toMatchObject({ error: 'write-back fields must be a list of "tags" and/or "priority"' });

    const noPriority = await put("helpscout", { enabled: true, fields: ["tags", "priority"] });
    expect(noPriority.status).toBe(400);
    expect(await noPriority.json()).toMatchObject({ error: "Help Scout has no priority to write back to: it takes tags only" });

    const none = await put("zendesk", { enabled: true, fields: [] });
    expect(none.status).toBe(400);
    expect(await none.json()).toMatchObject({ error: "choose at least one field to write back (tags or priority)" });

    const generic = await put("generic", { enabled: true, fields: ["tags"] });
    expect(generic.status).toBe(400);

    // Intercom has no outbound settings in this file yet.
    const unconfigured = await put("intercom", { enabled: true, fields: ["tags"] });
    expect(unconfigured.status).toBe(409);
    expect(await unconfigured.json()).toMatchObject({ error: "set the Intercom API base URL and credentials before switching write-back on" });

    expect((await put("zendesk", { enabled: true, fields: ["tags"] }, "agent")).status).toBe(403);
  });
});

describe("write-back left at its default", () => {
  it("is off by default: nothing reaches the help desk and nothing is recorded", async () => {
    await connectToFake(env, "zammad", secretOf("zammad"), FAKE);
    const payload = structuredClone(zammad) as { ticket: { id: number | string } };
    payload.ticket.id = 7101;
    const { taskId, instance, post } = await deliver("zammad", payload);
    await post();
    await awaitingReview(taskId);
    // The first step found write-back off, so the Workflow takes no write-back step at all.
    expect(await instance.waitForStepResult({ name: "look up entitlement" })).toMatchObject({ paused: false, value: { writeBack: false } });
    expect(writesTo(await fakeState("zammad"), "7101")).toEqual([]);
    expect(await triageCall(taskId)).toBeUndefined();
  });
});

describe.each(CASES)("write-back to $vendor", ({ vendor, fixture, sign, writes }) => {
  it("reaches the help desk exactly once after the first draft, recorded and audited, and never again", async () => {
    await configure(vendor, true);
    const { taskId, conversationId, instance, post } = await deliver(vendor, fixture, sign);
    expect((await post()).status).toBe(202);
    await awaitingReview(taskId);
    expect(await instance.waitForStepResult({ name: "write back triage" })).toMatchObject({ status: "written", repeated: false });

    const state = await fakeState(vendor);
    const ticket = state.tickets[`${vendor}:${conversationId}`]!;
    expect(ticket.tags).toEqual(expect.arrayContaining([expect.stringMatching(/^triage-[a-z0-9-]+$/)]));
    for (const tag of ticket.tags) expect(tag).toMatch(/^[a-z0-9-]+$/);
    const made = writesTo(state, conversationId);
    expect(made).toHaveLength(writes(ticket.tags.length));
    expect(new Set(made.map(fingerprint)).size).toBe(made.length);
    if (OUTBOUND[vendor]!.triageFields!.includes("priority")) expect(ticket.priority).not.toBeNull();
    else expect(ticket.priority).toBeNull();

    expect(await triageCall(taskId)).toMatchObject({ status: "done", source: vendor, attempts: 1 });
    const [audit] = await audits(taskId, "triage.written_back");
    expect(audit).toMatchObject({ actor: "workflow", artifact: expect.stringContaining(`${vendor}/${conversationId}#`) });
    expect(audit!.after).toMatchObject({ source: vendor, fields: OUTBOUND[vendor]!.triageFields, answer: { tags: expect.any(Array) } });

    // Run again (a retried step after the write): the record says done, nothing reaches the help desk.
    const before = (await fakeState(vendor)).requests.length;
    expect(await writeBackTriage(env, ACCOUNT, taskId)).toMatchObject({ status: "written", repeated: true });
    expect((await fakeState(vendor)).requests).toHaveLength(before);
    expect(await audits(taskId, "triage.written_back")).toHaveLength(1);
  });
});

describe("write-back in the Workflow", () => {
  it("writes once when the step is retried after the help desk failed", async () => {
    await configure("helpscout", true);
    const payload = { ...(helpscout as Record<string, unknown>), id: 7201 };
    const { taskId, instance, post } = await deliver("helpscout", payload, { event: "convo.created" });
    await instance.modify(async (m) => {
      await m.disableRetryDelays();
    });
    // Three 503s on the tag update: the call's own quick retries give up, the step fails once and is retried.
    await fetch(`${FAKE}/_fake/script`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ vendor: "helpscout", status: 503, times: 3, path: "/v2/conversations/7201/tags" }),
    });
    await post();
    await awaitingReview(taskId);
    expect(await instance.waitForStepResult({ name: "write back triage" })).toMatchObject({ status: "written" });
    const state = await fakeState("helpscout");
    expect(state.requests.filter((r) => r.outcome === "scripted")).toHaveLength(3);
    expect(writesTo(state, "7201")).toHaveLength(1);
    expect(await triageCall(taskId)).toMatchObject({ status: "done", attempts: 2 });
  });

  it("does not fail the ticket when the help desk keeps answering 500: recorded as failed, audited, and the reply still goes out", async () => {
    await configure("zammad", true);
    const payload = structuredClone(zammad) as { ticket: { id: number | string } };
    payload.ticket.id = 7301;
    const { taskId, instance, post } = await deliver("zammad", payload);
    await instance.modify(async (m) => {
      await m.disableRetryDelays();
    });
    await fetch(`${FAKE}/_fake/script`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ vendor: "zammad", status: 500, times: 1000, path: "/api/v1/tags/add" }),
    });
    await post();
    await awaitingReview(taskId);
    await instance.waitForStepResult({ name: "record write-back failure" });

    expect(await triageCall(taskId)).toMatchObject({ status: "failed", error: expect.stringMatching(/^Zammad API POST \/api\/v1\/tags\/add failed: 500/) });
    const [failed] = await audits(taskId, "triage.write_back_failed");
    expect(failed!.after).toMatchObject({ source: "zammad", error: expect.stringContaining("500") });
    expect(JSON.stringify(failed!.after)).not.toContain(FAKE_HELPDESK_CREDENTIALS.zammad.token);
    // Every attempt of the step (1 + 5 retries) tried, each with its quick retries.
    expect((await fakeState("zammad")).requests.filter((r) => r.outcome === "scripted").length).toBe(18);
    expect((await db.query.tasks.findFirst({ where: eq(schema.tasks.id, taskId) }))!.status).toBe("awaiting_review");

    await fetch(`${FAKE}/_fake/reset`, { method: "POST" });
    const decided = await api(`/api/accounts/${ACCOUNT}/tasks/${taskId}/decision`, {
      method: "POST",
      token: await signIn(USERS.agent.email),
      body: JSON.stringify({ action: "approve" }),
    });
    expect(decided.status).toBe(200);
    await instance.waitForStatus("complete");
    expect(await instance.getOutput()).toMatchObject({ outcome: "sent" });
  });
});
