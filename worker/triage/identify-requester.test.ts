// Who the customer is, end to end: a signed webhook whose requester is a
// stand-in (Zendesk's requester_id, an Intercom or Chatwoot contact without an
// address), the Workflow's "identify requester" step asking the fake help desk
// (its own instance, test/fakes/help-desks.ts) in the vendor's wire format,
// and the real name and address reaching the entitlement lookup and the
// proposal. A second ticket from the same person is answered from the cache;
// a lookup that fails leaves the stand-in and says why in the proposal.
import { introspectWorkflowInstance } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { FakeState, FakeVendor } from "../../test/fakes/help-desk-fixtures";
import { ACCOUNT, connectToFake, enableSource, eventually, OTHER_ACCOUNT } from "../../test/fixtures";
import chatwootPhoto from "../../test/fixtures/webhooks/chatwoot/message-created-whatsapp-photo.json";
import intercomLead from "../../test/fixtures/webhooks/intercom/conversation-user-created-lead-without-address.json";
import intercomScreenshot from "../../test/fixtures/webhooks/intercom/conversation-user-replied-screenshot-only.json";
import zendeskFrench from "../../test/fixtures/webhooks/zendesk/ticket-created-email-reply-quoted.json";
import { signFor } from "../../test/sign-webhook";
import { openProposal } from "../agent/proposals";
import { accountAgent } from "../agent/stubs";
import { getDb, schema } from "../db/client";
import type { Proposal } from "../domain/types";
import { taskIdFor } from "../intake/intake";
import { SOURCES } from "../integrations/registry";

const FAKE = env.FAKE_HELPDESK_PEOPLE_URL!;
const db = getDb(env);
const secretOf = (vendor: string) => `${vendor}-signing-secret-for-people`;
// biome-ignore lint/suspicious/noExplicitAny: tests change one field of a vendor payload at a time
const copy = <T>(value: T): any => structuredClone(value);

/** A Zendesk ticket.created from `requester` with its own ticket id. */
function zendeskTicket(ticketId: string, requester: string) {
  const payload = copy(zendeskFrench);
  Object.assign(payload.detail, { id: ticketId, requester_id: requester, submitter_id: requester, actor_id: requester });
  payload.subject = `zen:ticket:${ticketId}`;
  return payload;
}

async function peopleRequests(vendor: FakeVendor, path: RegExp) {
  const state = (await (await fetch(`${FAKE}/_fake/requests?vendor=${vendor}`)).json()) as FakeState;
  return state.requests.filter((r) => r.method === "GET" && path.test(r.path));
}

/** Posts a signed delivery to `account` and waits for its proposal to await review. */
async function deliver(vendor: FakeVendor, payload: unknown, account = ACCOUNT) {
  const body = JSON.stringify(payload);
  const headers = await signFor(vendor, secretOf(vendor), body);
  const mapped = SOURCES[vendor].map(payload, new Headers(headers));
  if (mapped.kind !== "ticket") throw new Error(`${vendor} payload not mapped: ${JSON.stringify(mapped)}`);
  const taskId = await taskIdFor(account, vendor, mapped.value.ticket.id);
  const instance = await introspectWorkflowInstance(env.TRIAGE_WORKFLOW, taskId);
  await instance.modify(async (m) => {
    await m.disableRetryDelays();
  });
  const res = await exports.default.fetch(`https://triage.test/webhooks/${account}/${vendor}`, { method: "POST", headers, body });
  expect(res.status).toBe(202);
  await accountAgent(env, account);
  const proposal = await eventually(async () => {
    const p = await openProposal(env, account, taskId);
    return p?.status === "awaiting_review" ? p : null;
  }, `proposal ${taskId}`);
  return { taskId, instance, proposal };
}

const readTicketOutput = (p: Proposal) => p.toolCalls.find((c) => c.tool === "read_ticket")?.output as Record<string, unknown> | undefined;

beforeAll(async () => {
  for (const vendor of ["zendesk", "intercom", "chatwoot"] as const) await connectToFake(env, vendor, secretOf(vendor), FAKE);
  // Dana is an enterprise customer in billing: found only once her real address is known.
  await db
    .insert(schema.customers)
    .values({ id: "c-dana", accountId: ACCOUNT, email: "dana.whitfield@example.net", name: "Dana Whitfield", company: "Whitfield & Co", planId: "acme-ent" });
});

describe("a stand-in requester is looked up before triage", () => {
  it("Zendesk: GET /api/v2/users/{id} gives the real name and address to billing, the drafter and the reviewer", async () => {
    const { taskId, instance, proposal } = await deliver("zendesk", zendeskTicket("6101", "7000001"));
    expect(await instance.waitForStepResult({ name: "identify requester" })).toMatchObject({ paused: false, value: { status: "identified", cached: false } });
    expect(proposal.requester).toEqual({ email: "dana.whitfield@example.net", name: "Dana Whitfield" });
    expect(proposal.requesterNote ?? null).toBeNull();
    // The entitlement lookup ran on the real address.
    expect(proposal.entitlement).toMatchObject({ tier: "enterprise", customerName: "Dana Whitfield" });
    expect(readTicketOutput(proposal)?.requester).toEqual({ email: "dana.whitfield@example.net", name: "Dana Whitfield" });

    const ticket = await db.query.tickets.findFirst({ where: eq(schema.tickets.id, taskId) });
    expect(ticket).toMatchObject({
      requesterEmail: "dana.whitfield@example.net",
      requesterName: "Dana Whitfield",
      requesterLookup: { kind: "requester", id: "7000001", status: "identified" },
    });
    const audit = await db.query.auditEvents.findFirst({
      where: and(eq(schema.auditEvents.taskId, taskId), eq(schema.auditEvents.action, "requester.identified")),
    });
    expect(audit?.after).toMatchObject({ kind: "requester", id: "7000001", requester: "dana.whitfield@example.net" });

    const calls = await peopleRequests("zendesk", /^\/api\/v2\/users\/7000001$/);
    expect(calls).toHaveLength(1);
    // The shared API token, as Basic `{email}/token:{api_token}`.
    expect(calls[0]!.headers.authorization).toMatch(/^Basic /);
  });

  it("a second ticket from the same person is answered from the cache: no second call", async () => {
    const { instance, proposal } = await deliver("zendesk", zendeskTicket("6102", "7000001"));
    expect(await instance.waitForStepResult({ name: "identify requester" })).toMatchObject({ value: { status: "identified", cached: true } });
    expect(proposal.requester).toEqual({ email: "dana.whitfield@example.net", name: "Dana Whitfield" });
    expect(await peopleRequests("zendesk", /^\/api\/v2\/users\/7000001$/)).toHaveLength(1);
    const cached = await db.query.peopleCache.findFirst({ where: eq(schema.peopleCache.personId, "7000001") });
    expect(cached).toMatchObject({ accountId: ACCOUNT, source: "zendesk", kind: "requester", email: "dana.whitfield@example.net" });
    expect(Date.parse(cached!.expiresAt) - Date.parse(cached!.fetchedAt)).toBe(60 * 60 * 1000);
  });

  it("Intercom: GET /contacts/{id} names a lead whose webhook had no address", async () => {
    const { proposal } = await deliver("intercom", intercomLead);
    expect(proposal.requester).toEqual({ email: "mia.rossi@example.org", name: "Mia Rossi" });
    expect(proposal.attachments).toEqual([expect.objectContaining({ name: "invoice-2026-10.pdf", content_type: "application/pdf" })]);
    const calls = await peopleRequests("intercom", /^\/contacts\/6650a1b2c3d4e5f6a7b8c9d1$/);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers["intercom-version"]).toBe("2.11");
  });

  it("Chatwoot: GET /api/v1/accounts/{account}/contacts/{id} names a WhatsApp contact; the photo is listed, never fetched", async () => {
    const { proposal } = await deliver("chatwoot", chatwootPhoto);
    expect(proposal.requester).toEqual({ email: "ana.souza@example.com", name: "Ana Souza" });
    expect(proposal.body).toBe("(no text; 1 attachment: IMG_2041.jpeg, image/jpeg, 311 KB)");
    expect(proposal.attachments).toEqual([
      {
        name: "IMG_2041.jpeg",
        content_type: "image/jpeg",
        size: 318772,
        url: "https://chatwoot.example.com/rails/active_storage/blobs/redirect/eyJfcmFpbHMiOnsiZGF0YSI6MTIzLCJwdXIiOiJibG9iX2lkIn19--5f1b0c/IMG_2041.jpeg",
      },
    ]);
    // The model reads the same metadata (read_ticket), and nothing asked for the file.
    expect(readTicketOutput(proposal)?.attachments).toEqual(proposal.attachments);
    expect(await peopleRequests("chatwoot", /^\/api\/v1\/accounts\/7\/contacts\/512$/)).toHaveLength(1);
    expect(await peopleRequests("chatwoot", /active_storage/)).toHaveLength(0);
  });
});

describe("when the lookup fails, the stand-in stays and the proposal says why", () => {
  it("the help desk does not know the person (404)", async () => {
    const { taskId, proposal } = await deliver("zendesk", zendeskTicket("6103", "404"));
    expect(proposal.requester).toEqual({ email: "requester-404@zendesk.invalid", name: "Zendesk user 404" });
    expect(proposal.requesterNote).toMatch(/^requester not identified: Zendesk API GET \/api\/v2\/users\/404 failed: 404/);
    expect(readTicketOutput(proposal)?.requester_note).toBe(proposal.requesterNote);
    // The draft does not greet the stand-in ("Hi Zendesk,").
    expect(proposal.draft ?? proposal.suggestedReply?.body).toMatch(/^\S+,\n/);
    expect(proposal.draft ?? proposal.suggestedReply?.body).not.toContain("Zendesk");
    const audit = await db.query.auditEvents.findFirst({
      where: and(eq(schema.auditEvents.taskId, taskId), eq(schema.auditEvents.action, "requester.not_identified")),
    });
    expect(audit?.after).toMatchObject({ kind: "requester", id: "404", reason: expect.stringContaining("404") });
  });

  it("the help desk keeps failing (503): the step's retries run out, then the fallback is recorded", async () => {
    await fetch(`${FAKE}/_fake/script`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ vendor: "zendesk", status: 503, times: 1000, path: "/api/v2/users/7000002" }),
    });
    try {
      const { instance, proposal } = await deliver("zendesk", zendeskTicket("6104", "7000002"));
      await instance.waitForStepResult({ name: "record requester not identified" });
      expect(proposal.requester.email).toBe("requester-7000002@zendesk.invalid");
      expect(proposal.requesterNote).toMatch(/^requester not identified: Zendesk API GET \/api\/v2\/users\/7000002 failed: 503/);
      // Every attempt of the step (1 + 5 retries), each with the call's own quick retries.
      expect((await peopleRequests("zendesk", /^\/api\/v2\/users\/7000002$/)).length).toBe(18);
    } finally {
      await fetch(`${FAKE}/_fake/reset`, { method: "POST" });
    }
  });

  it("the help desk knows the contact but has no address for them: the name is kept, the note says so", async () => {
    const { proposal } = await deliver("intercom", intercomScreenshot);
    expect(proposal.requester).toEqual({ email: "contact-6650a1b2c3d4e5f6a7b8c9d2@intercom.invalid", name: "Website visitor" });
    expect(proposal.requesterNote).toBe("requester not identified: Intercom has no email address for contact 6650a1b2c3d4e5f6a7b8c9d2");
    expect(proposal.body).toMatch(/^\(no text; 1 attachment: Screenshot 2026-11-03 at 14\.24\.11\.png, image\/png, 245 KB\)$/);
  });

  it("the connector has no outbound credentials: no call, the note says what is missing", async () => {
    await enableSource(env, OTHER_ACCOUNT, "chatwoot", secretOf("chatwoot"));
    const { instance, proposal } = await deliver("chatwoot", { ...copy(chatwootPhoto), id: 2049 }, OTHER_ACCOUNT);
    expect(await instance.waitForStepResult({ name: "identify requester" })).toMatchObject({ value: { status: "not_identified" } });
    expect(proposal.requesterNote).toBe("requester not identified: the Chatwoot connector has no outbound credentials to look people up with");
    expect(proposal.requester.email).toBe("contact-512@chatwoot.invalid");
  });

  it("a requester that cannot be looked up at all is noted at intake, without a Workflow step", async () => {
    const payload = zendeskTicket("6105", "7000001");
    delete payload.detail.requester_id;
    delete payload.detail.submitter_id;
    const { taskId, proposal } = await deliver("zendesk", payload);
    expect(proposal.requesterNote).toBe(
      "requester not identified: Zendesk sent no address for the requester (only ticket-requester 6105), and it cannot be looked up",
    );
    const ticket = await db.query.tickets.findFirst({ where: eq(schema.tickets.id, taskId) });
    expect(ticket?.requesterLookup).toMatchObject({ status: "not_identified" });
  });
});
