import { describe, expect, it } from "vitest";
import { FAKE_HELPSCOUT_THREADS, FAKE_HELPSCOUT_THREADS_PAGE_SIZE } from "../../test/fakes/help-desk-fixtures";
// Published reference vectors, copied from shared/fixtures/webhooks/vectors.json.
import vectors from "../../test/fixtures/webhook-vectors.json";
import chatwootConversationCreated from "../../test/fixtures/webhooks/chatwoot-conversation-created.json";
import chatwootMessageCreated from "../../test/fixtures/webhooks/chatwoot-message-created.json";
import freshdeskDisplayDate from "../../test/fixtures/webhooks/freshdesk/ticket-created-display-date.json";
import freshdeskMultiline from "../../test/fixtures/webhooks/freshdesk/ticket-created-multiline-no-offset.json";
import freshdeskTicketCreated from "../../test/fixtures/webhooks/freshdesk-ticket-created.json";
import frontInbound from "../../test/fixtures/webhooks/front-inbound.json";
import frontInboundFollowup from "../../test/fixtures/webhooks/front-inbound-followup.json";
import helpscoutWithoutThreads from "../../test/fixtures/webhooks/helpscout/convo-created-without-threads.json";
import helpscoutConvoCreated from "../../test/fixtures/webhooks/helpscout-convo-created.json";
import helpscoutCustomerReply from "../../test/fixtures/webhooks/helpscout-convo-customer-reply-created.json";
import intercomContactsArray from "../../test/fixtures/webhooks/intercom/conversation-user-created-contacts-array.json";
import intercomV1Created from "../../test/fixtures/webhooks/intercom/conversation-user-created-v1.json";
import intercomV1Replied from "../../test/fixtures/webhooks/intercom/conversation-user-replied-v1.json";
import intercomTicketContactReplied from "../../test/fixtures/webhooks/intercom/ticket-contact-replied.json";
import intercomUserCreated from "../../test/fixtures/webhooks/intercom-conversation-user-created.json";
import intercomUserReplied from "../../test/fixtures/webhooks/intercom-conversation-user-replied.json";
import intercomTicketCreated from "../../test/fixtures/webhooks/intercom-ticket-created.json";
import zammadArticleCreated from "../../test/fixtures/webhooks/zammad-article-created.json";
import zammadTicketCreated from "../../test/fixtures/webhooks/zammad-ticket-created.json";
import zendeskAgentNoRequester from "../../test/fixtures/webhooks/zendesk/comment-added-agent-without-requester.json";
import zendeskCustomerNoRequester from "../../test/fixtures/webhooks/zendesk/comment-added-customer-without-requester.json";
import zendeskTrimmed from "../../test/fixtures/webhooks/zendesk/ticket-created-trimmed.json";
import zendeskNoDescription from "../../test/fixtures/webhooks/zendesk/ticket-created-without-description.json";
import zendeskCommentAdded from "../../test/fixtures/webhooks/zendesk-comment-added.json";
import zendeskTicketCreated from "../../test/fixtures/webhooks/zendesk-ticket-created.json";
import { signFor } from "../../test/sign-webhook";
import { htmlToText, MAX_BODY, MAX_SUBJECT, toIso } from "./common/inbound";
import { FRESHDESK_TEMPLATE } from "./freshdesk/inbound";
import { SOURCES } from "./registry";
import { type MapResult, type OutboundContext, OutboundError, type RawDelivery, SOURCE_IDS, type SourceId } from "./types";

const encode = (text: string) => new TextEncoder().encode(text);
const delivery = (headers: Record<string, string>, body: string, now: number): RawDelivery => ({
  headers: new Headers(headers),
  body: encode(body),
  now,
});
/** A deep copy of a fixture to change for one test. */
// biome-ignore lint/suspicious/noExplicitAny: tests reach into vendor payloads freely to break one field at a time
const copy = <T>(value: T): any => structuredClone(value);
const map = (source: SourceId, payload: unknown, headers: Record<string, string> = {}) => SOURCES[source].map(payload, new Headers(headers));
const ticketOf = (result: MapResult) => {
  if (result.kind !== "ticket") throw new Error(`expected a ticket, got ${JSON.stringify(result)}`);
  return result.value;
};
const paths = (result: MapResult) => (result.kind === "invalid" ? result.fields.map((f) => f.path).sort() : result);

describe("the source registry", () => {
  it("has one source per id, each named after its key", () => {
    expect(Object.keys(SOURCES).sort()).toEqual([...SOURCE_IDS].sort());
    for (const id of SOURCE_IDS) expect(SOURCES[id].id).toBe(id);
  });

  it("names the delivery id headers the vendors document", () => {
    expect(SOURCES.chatwoot.deliveryIdHeader).toBe("X-Chatwoot-Delivery");
    expect(SOURCES.zammad.deliveryIdHeader).toBe("X-Zammad-Delivery");
    expect(SOURCES.zendesk.deliveryIdHeader).toBe("x-zendesk-webhook-invocation-id");
    for (const id of ["helpscout", "intercom", "front", "freshdesk"] as const) expect(SOURCES[id].deliveryIdHeader).toBeNull();
  });
});

// ── published vectors ───────────────────────────────────────────────────────

describe("Zendesk signature (published vector)", () => {
  const v = vectors.zendesk;
  const ts = v["X-Zendesk-Webhook-Signature-Timestamp"];
  const at = Date.parse(ts) / 1000;
  const headers = { "X-Zendesk-Webhook-Signature": v["X-Zendesk-Webhook-Signature"], "X-Zendesk-Webhook-Signature-Timestamp": ts };
  const verify = (h: Record<string, string>, body: string, now: number, secret = v.secret) => SOURCES.zendesk.verify(delivery(h, body, now), secret);

  it("accepts the vector within five minutes of its timestamp", async () => {
    expect(await verify(headers, v.body, at)).toBeNull();
    expect(await verify(headers, v.body, at + 60)).toBeNull();
    expect(await verify(headers, v.body, at + 300)).toBeNull();
  });

  it("rejects a changed body, a wrong secret and missing headers", async () => {
    expect(await verify(headers, `${v.body} `, at)).toBe("bad signature");
    expect(await verify(headers, v.body, at, `${v.secret}x`)).toBe("bad signature");
    expect(await verify({ "X-Zendesk-Webhook-Signature-Timestamp": ts }, v.body, at)).toBe("missing signature");
    expect(await verify({ "X-Zendesk-Webhook-Signature": v["X-Zendesk-Webhook-Signature"] }, v.body, at)).toBe("missing timestamp");
    expect(await verify({ ...headers, "X-Zendesk-Webhook-Signature": "not base64!" }, v.body, at)).toBe("malformed signature");
  });

  it("rejects stale, future and malformed timestamps", async () => {
    expect(await verify(headers, v.body, at + 301)).toBe("stale timestamp");
    expect(await verify(headers, v.body, at - 301)).toBe("future timestamp");
    expect(await verify({ ...headers, "X-Zendesk-Webhook-Signature-Timestamp": "1616648967" }, v.body, at)).toBe("malformed timestamp");
  });

  it("signs the timestamp string as sent, so another spelling of the same instant fails", async () => {
    expect(await verify({ ...headers, "X-Zendesk-Webhook-Signature-Timestamp": "2021-03-25T05:09:27+00:00" }, v.body, at)).toBe("bad signature");
  });
});

describe("Help Scout signature (published vector)", () => {
  const v = vectors.helpscout;
  const headers = { "X-HelpScout-Signature": v["X-HelpScout-Signature"], "X-HelpScout-Event": "convo.created" };
  const verify = (h: Record<string, string>, body: string, secret = v.secret) => SOURCES.helpscout.verify(delivery(h, body, 0), secret);

  it("accepts the vector (the scheme has no timestamp)", async () => {
    expect(await verify(headers, v.body)).toBeNull();
  });

  it("rejects a changed body, a wrong secret and a missing or malformed header", async () => {
    expect(await verify(headers, v.body.replace("Jackie", "Jacky"))).toBe("bad signature");
    expect(await verify(headers, v.body, "another secret")).toBe("bad signature");
    expect(await verify({ "X-HelpScout-Event": "convo.created" }, v.body)).toBe("missing signature");
    expect(await verify({ "X-HelpScout-Signature": "sha1=2iFmnzC8" }, v.body)).toBe("malformed signature");
  });
});

describe.each(["intercom", "zammad"] as const)("%s signature (published X-Hub-Signature sha1 vector)", (source) => {
  const v = vectors["hub-sha1"];
  const verify = (h: Record<string, string>, body: string, secret = v.secret) => SOURCES[source].verify(delivery(h, body, 0), secret);

  it("accepts the vector, also with upper-case hex", async () => {
    expect(await verify({ "X-Hub-Signature": v["X-Hub-Signature"] }, v.body)).toBeNull();
    expect(await verify({ "X-Hub-Signature": `sha1=${v["X-Hub-Signature"].slice(5).toUpperCase()}` }, v.body)).toBeNull();
  });

  it("rejects a changed body, a wrong secret and a missing or malformed header", async () => {
    expect(await verify({ "X-Hub-Signature": v["X-Hub-Signature"] }, "Hello, World?")).toBe("bad signature");
    expect(await verify({ "X-Hub-Signature": v["X-Hub-Signature"] }, v.body, "It's a Secret to Nobody")).toBe("bad signature");
    expect(await verify({}, v.body)).toBe("missing signature");
    expect(await verify({ "X-Hub-Signature": v["X-Hub-Signature"].slice(5) }, v.body)).toBe("malformed signature");
    // GitHub's sha256 header is a different scheme, not an alternative spelling.
    expect(await verify({ "X-Hub-Signature": vectors["github-sha256"]["X-Hub-Signature-256"] }, v.body)).toBe("malformed signature");
  });
});

// ── schemes without a published vector: values computed independently (Node crypto, openssl) ──

describe("Front signature", () => {
  const secret = "front-app-signing-secret";
  const body = '{"type":"inbound","id":"evt_2k9f0a1b"}';
  // base64 HMAC-SHA256(secret, "1793624700123:" + body), from openssl and Node.
  const headers = { "X-Front-Signature": "sFK/5wp0DSMN24p+9R1zcPY0+xS/b/NiB2BlJtAwdeQ=", "X-Front-Request-Timestamp": "1793624700123" };
  const at = 1793624700;
  const verify = (h: Record<string, string>, b: string, now: number, s = secret) => SOURCES.front.verify(delivery(h, b, now), s);

  // biome-ignore lint/suspicious/noTemplateCurlyInString: the title quotes the vendor's template
  it("accepts a signature over `${timestamp in ms}:${body}`", async () => {
    expect(await verify(headers, body, at)).toBeNull();
    expect(await verify(headers, body, at + 299)).toBeNull();
  });

  it("rejects a changed body, a wrong secret and missing headers", async () => {
    expect(await verify(headers, body.replace("inbound", "outbound"), at)).toBe("bad signature");
    expect(await verify(headers, body, at, "front-app-signing-secreT")).toBe("bad signature");
    expect(await verify({ "X-Front-Request-Timestamp": "1793624700123" }, body, at)).toBe("missing signature");
    expect(await verify({ "X-Front-Signature": headers["X-Front-Signature"] }, body, at)).toBe("missing timestamp");
  });

  it("reads the timestamp as milliseconds and enforces five minutes both ways", async () => {
    expect(await verify(headers, body, at + 301)).toBe("stale timestamp");
    expect(await verify(headers, body, at - 301)).toBe("future timestamp");
    expect(await verify({ ...headers, "X-Front-Request-Timestamp": "soon" }, body, at)).toBe("malformed timestamp");
  });

  it("accepts a timestamp in seconds too", async () => {
    const signed = await signFor("front", secret, body, at);
    const seconds = String(at);
    const mac = await crypto.subtle.sign(
      "HMAC",
      await crypto.subtle.importKey("raw", encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
      encode(`${seconds}:${body}`),
    );
    const sig = btoa(String.fromCharCode(...new Uint8Array(mac)));
    expect(await verify({ "X-Front-Signature": sig, "X-Front-Request-Timestamp": seconds }, body, at)).toBeNull();
    expect(signed["x-front-request-timestamp"]).toBe(`${at}000`);
  });
});

describe("Chatwoot signature", () => {
  const secret = "chatwoot-webhook-secret";
  const body = '{"event":"message_created","id":1911}';
  // hex HMAC-SHA256(secret, "1793624700." + body), from Node crypto.
  const sig = "f548b4a13e7f2ce707c6a9eb581c1650c8132ea122751fa3e391facbcbd74822";
  const headers = { "X-Chatwoot-Signature": `sha256=${sig}`, "X-Chatwoot-Timestamp": "1793624700", "X-Chatwoot-Delivery": "d-1" };
  const at = 1793624700;
  const verify = (h: Record<string, string>, b: string, now: number, s = secret) => SOURCES.chatwoot.verify(delivery(h, b, now), s);

  // biome-ignore lint/suspicious/noTemplateCurlyInString: the title quotes the vendor's template
  it("accepts a signature over `${timestamp}.${body}`", async () => {
    expect(await verify(headers, body, at)).toBeNull();
  });

  it("rejects a changed body, a wrong secret and missing or malformed headers", async () => {
    expect(await verify(headers, body.replace("1911", "1912"), at)).toBe("bad signature");
    expect(await verify(headers, body, at, "wrong")).toBe("bad signature");
    expect(await verify({ "X-Chatwoot-Timestamp": "1793624700" }, body, at)).toBe("missing signature");
    expect(await verify({ "X-Chatwoot-Signature": `sha256=${sig}` }, body, at)).toBe("missing timestamp");
    expect(await verify({ ...headers, "X-Chatwoot-Signature": sig }, body, at)).toBe("malformed signature");
    expect(await verify({ ...headers, "X-Chatwoot-Timestamp": "2026-11-02T13:05:00Z" }, body, at)).toBe("malformed timestamp");
  });

  it("rejects stale and future timestamps", async () => {
    expect(await verify(headers, body, at + 301)).toBe("stale timestamp");
    expect(await verify(headers, body, at - 301)).toBe("future timestamp");
  });
});

describe("Freshdesk shared secret", () => {
  const secret = "fd-7c1e0a9b2d";
  const verify = (h: Record<string, string>) => SOURCES.freshdesk.verify(delivery(h, "{}", 0), secret);
  const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;

  it("accepts the token header or HTTP Basic with the secret as password (any username)", async () => {
    expect(await verify({ "X-Support-Triage-Token": secret })).toBeNull();
    expect(await verify({ Authorization: basic("anything", secret) })).toBeNull();
    expect(await verify({ Authorization: basic("", secret) })).toBeNull();
  });

  it("rejects a wrong secret, a missing credential and a malformed Authorization header", async () => {
    expect(await verify({ "X-Support-Triage-Token": `${secret}x` })).toBe("bad signature");
    expect(await verify({ Authorization: basic(secret, "wrong") })).toBe("bad signature");
    expect(await verify({})).toBe("missing signature");
    expect(await verify({ Authorization: `Bearer ${secret}` })).toBe("malformed signature");
    expect(await verify({ Authorization: "Basic %%%" })).toBe("malformed signature");
  });
});

describe("signFor (test/sign-webhook.ts)", () => {
  const now = 1793624700;
  const secrets: Record<SourceId, string> = {
    generic: vectors["standard-webhooks"].secret,
    zendesk: "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==",
    helpscout: "hs-secret-40-chars-or-less",
    intercom: "intercom-client-secret",
    front: "front-app-signing-secret",
    chatwoot: "chatwoot-webhook-secret",
    zammad: "zammad-signature-token",
    freshdesk: "fd-7c1e0a9b2d",
  };
  const body = JSON.stringify(zendeskTicketCreated);

  it.each([...SOURCE_IDS])("produces headers %s's verify accepts", async (source) => {
    const headers = await signFor(source, secrets[source], body, now);
    expect(headers["content-type"]).toBe("application/json");
    expect(await SOURCES[source].verify(delivery(headers, body, now + 30), secrets[source])).toBeNull();
    // Freshdesk sends a shared secret, not a signature over the body.
    if (source !== "freshdesk") expect(await SOURCES[source].verify(delivery(headers, `${body} `, now + 30), secrets[source])).not.toBeNull();
    expect(await SOURCES[source].verify(delivery(headers, body, now + 30), `${secrets[source]}-other`)).not.toBeNull();
    const deliveryHeader = SOURCES[source].deliveryIdHeader;
    if (deliveryHeader) expect(new Headers(headers).get(deliveryHeader)).toBeTruthy();
  });

  it("reproduces the published Standard Webhooks vector and takes the Help Scout event and Freshdesk Basic auth", async () => {
    const v = vectors["standard-webhooks"];
    const headers = await signFor("generic", v.secret, v.body, Number(v["webhook-timestamp"]), { deliveryId: v["webhook-id"] });
    expect(headers["webhook-signature"]).toBe(v["webhook-signature"]);
    expect((await signFor("helpscout", "s", "{}", now, { event: "convo.customer.reply.created" }))["x-helpscout-event"]).toBe("convo.customer.reply.created");
    const basic = await signFor("freshdesk", secrets.freshdesk, "{}", now, { basicAuth: true });
    expect(await SOURCES.freshdesk.verify(delivery(basic, "{}", now), secrets.freshdesk)).toBeNull();
  });
});

// ── payload mapping ─────────────────────────────────────────────────────────

describe("Zendesk mapping", () => {
  it("maps ticket.created; the requester's address is a placeholder (event payloads carry only requester_id)", () => {
    expect(ticketOf(map("zendesk", zendeskTicketCreated))).toEqual({
      ticket: {
        id: "5158",
        subject: "CSV export times out",
        body:
          'Hi,\n\nSince this morning every CSV export from the Reports page fails with "Export timed out".\n' +
          // The sign-off ("Thanks,\nPat") is cut (common/mail-footer.ts).
          "We need the October numbers for our board meeting tomorrow.",
        requester: { email: "requester-9034512267541@zendesk.invalid", name: "Zendesk user 9034512267541" },
        priority: "high",
        tags: ["export", "reports"],
        created_at: "2026-11-02T09:14:05.000Z",
      },
      conversationId: "5158",
      refs: { requesterId: "9034512267541" },
      // A stand-in: the triage Workflow looks the person up (worker/triage/identify-requester.ts).
      requesterRef: { kind: "requester", id: "9034512267541" },
    });
  });

  it("maps a public comment by the requester as a new customer message", () => {
    expect(ticketOf(map("zendesk", zendeskCommentAdded))).toEqual({
      ticket: {
        id: "5158:msg:32114558820117",
        subject: "CSV export times out",
        body: "Still failing after clearing the cache. The export spinner runs for about 30 seconds and then stops.",
        requester: { email: "requester-9034512267541@zendesk.invalid", name: "Pat Doe" },
        priority: "high",
        tags: ["export", "reports"],
        created_at: "2026-11-02T11:30:00.000Z",
      },
      conversationId: "5158",
      refs: { requesterId: "9034512267541" },
      // A stand-in: the triage Workflow looks the person up (worker/triage/identify-requester.ts).
      requesterRef: { kind: "requester", id: "9034512267541" },
    });
  });

  it("ignores other events, agent and private comments, and the comment that opened the ticket", () => {
    expect(map("zendesk", { ...copy(zendeskTicketCreated), type: "zen:event-type:ticket.status_changed" })).toEqual({
      kind: "ignored",
      reason: "Zendesk event ticket.status_changed is not triaged",
    });
    const agent = copy(zendeskCommentAdded);
    agent.event.comment.author = { id: "8447388090494", is_staff: true, name: "Sasha Support" };
    expect(map("zendesk", agent)).toEqual({ kind: "ignored", reason: "comment by an agent" });
    const note = copy(zendeskCommentAdded);
    note.event.comment.is_public = false;
    expect(map("zendesk", note).kind).toBe("ignored");
    const opening = copy(zendeskCommentAdded);
    opening.detail.updated_at = opening.detail.created_at;
    expect(map("zendesk", opening).kind).toBe("ignored");
  });

  it("reports the failing fields of a payload that is not a Zendesk event", () => {
    const broken = copy(zendeskTicketCreated);
    delete broken.detail.id;
    broken.detail.description = 42;
    expect(paths(map("zendesk", broken))).toEqual(["detail.description", "detail.id"]);
    expect(paths(map("zendesk", { event: "ticket.updated", id: 123 }))).toEqual(["type"]);
  });
});

describe("Help Scout mapping", () => {
  const created = { "X-HelpScout-Event": "convo.created" };
  const replied = { "X-HelpScout-Event": "convo.customer.reply.created" };

  it("maps convo.created from the customer's thread, HTML stripped", () => {
    expect(ticketOf(map("helpscout", helpscoutConvoCreated, created))).toEqual({
      ticket: {
        id: "2391938111",
        subject: "Can't reset my password",
        body:
          "Hello,\n\nthe password reset link in your email says it has expired as soon as I click it. " + "I tried three times & cleared my cookies.\n\nJordan",
        requester: { email: "jordan.rivera@example.com", name: "Jordan Rivera" },
        tags: ["login"],
        created_at: "2026-11-02T10:02:11.000Z",
      },
      conversationId: "2391938111",
      refs: { customerId: "298473", conversationNumber: "349", messageId: "6218741" },
    });
  });

  it("maps convo.customer.reply.created to the newest customer thread", () => {
    const value = ticketOf(map("helpscout", helpscoutCustomerReply, replied));
    expect(value.ticket).toEqual({
      id: "2391938111:msg:6219002",
      subject: "Can't reset my password",
      // The quoted earlier message (the blockquote) is cut (common/reply-text.ts).
      body: "That worked, thank you!\n\nOne more thing: can I turn on two-factor login for my whole team?",
      requester: { email: "jordan.rivera@example.com", name: "Jordan Rivera" },
      tags: ["login", "2fa"],
      created_at: "2026-11-02T11:30:00.000Z",
    });
    expect(value.conversationId).toBe("2391938111");
    expect(value.refs?.customerId).toBe("298473");
  });

  it("ignores other events and conversations an agent started", () => {
    expect(map("helpscout", helpscoutCustomerReply, { "X-HelpScout-Event": "convo.agent.reply.created" })).toEqual({
      kind: "ignored",
      reason: "Help Scout event convo.agent.reply.created is not triaged",
    });
    const outbound = copy(helpscoutConvoCreated);
    outbound._embedded.threads = [{ ...outbound._embedded.threads[0], type: "message", createdBy: { id: 4, type: "user" } }];
    expect(map("helpscout", outbound, created)).toEqual({ kind: "ignored", reason: "conversation started by an agent (no customer thread)" });
  });

  it("reports the failing fields, and a missing event header", () => {
    expect(paths(map("helpscout", { number: 1, _embedded: { threads: [{ type: "customer" }] } }, created))).toEqual(["_embedded.threads.0.id", "id"]);
    expect(paths(map("helpscout", helpscoutConvoCreated))).toEqual(["(header) X-HelpScout-Event"]);
    const badEmail = copy(helpscoutConvoCreated);
    badEmail._embedded.threads[0].customer.email = "jordan at example";
    badEmail.primaryCustomer.email = "jordan at example";
    expect(paths(map("helpscout", badEmail, created))).toEqual(["_embedded.threads.0.customer.email"]);
  });
});

describe("Intercom mapping", () => {
  it("maps conversation.user.created from the source message", () => {
    expect(ticketOf(map("intercom", intercomUserCreated))).toEqual({
      ticket: {
        id: "215469786402934",
        subject: "Hi there, our team can't see the new dashboard after the upgrade. Is this a know",
        body: "Hi there, our team can't see the new dashboard after the upgrade.\n\nIs this a known issue? We’re on the Pro plan.",
        requester: { email: "sam.lee@example.org", name: "Sam Lee" },
        priority: "high",
        tags: ["dashboard"],
        created_at: "2026-11-02T10:02:11.000Z",
      },
      conversationId: "215469786402934",
      refs: { kind: "conversation", contactId: "6541f0a2c3d4e5f6a7b8c9d0" },
    });
  });

  it("maps conversation.user.replied to the contact's newest part", () => {
    expect(ticketOf(map("intercom", intercomUserReplied))).toEqual({
      ticket: {
        id: "215469786402934:msg:19447811523",
        subject: "Dashboard missing after upgrade",
        body: "Thanks. Logging out and back in did not help — the Dashboards menu is still empty for 4 of our 6 users.",
        requester: { email: "sam.lee@example.org", name: "Sam Lee" },
        tags: ["dashboard"],
        created_at: "2026-11-02T11:30:00.000Z",
      },
      conversationId: "215469786402934",
      refs: { kind: "conversation", contactId: "6541f0a2c3d4e5f6a7b8c9d0" },
    });
  });

  it("maps ticket.created from the default title and description", () => {
    expect(ticketOf(map("intercom", intercomTicketCreated))).toEqual({
      ticket: {
        id: "215469790112233",
        subject: "Invoice shows the wrong VAT number",
        body: "Our invoice INV-2026-1031 lists VAT number GB123456789, but ours is GB987654321. Please reissue it.",
        requester: { email: "robin@okafor-design.test", name: "Robin Okafor" },
        created_at: "2026-11-02T12:00:00.000Z",
      },
      conversationId: "215469790112233",
      refs: { kind: "ticket", contactId: "6541f0a2c3d4e5f6a7b8c9e1", ticketNumber: "482" },
    });
  });

  it("ignores admin topics, admin-started conversations, back-office tickets and the setup ping", () => {
    expect(map("intercom", { ...copy(intercomUserReplied), topic: "conversation.admin.replied" })).toEqual({
      kind: "ignored",
      reason: "Intercom topic conversation.admin.replied is not triaged",
    });
    const byAdmin = copy(intercomUserCreated);
    byAdmin.data.item.source.author = { type: "admin", id: "5017691", name: "Sasha", email: "sasha@acme.test" };
    expect(map("intercom", byAdmin)).toEqual({ kind: "ignored", reason: "conversation started by an admin" });
    const backOffice = copy(intercomTicketCreated);
    backOffice.data.item.category = "Back-office";
    expect(map("intercom", backOffice).kind).toBe("ignored");
    expect(map("intercom", { type: "notification_event", topic: "ping", data: { item: { type: "ping", message: "hi" } } }).kind).toBe("ignored");
  });

  it("reports the failing fields under data.item", () => {
    const noSource = { type: "notification_event", topic: "conversation.user.created", data: { item: { type: "conversation", id: "1" } } };
    expect(paths(map("intercom", noSource))).toEqual(["data.item.source"]);
    const noParts = copy(intercomUserReplied);
    noParts.data.item.conversation_parts.conversation_parts[0].author.type = "admin";
    expect(paths(map("intercom", noParts))).toEqual(["data.item.conversation_parts.conversation_parts"]);
    expect(paths(map("intercom", { ...copy(intercomUserCreated), type: "event" }))).toEqual(["type"]);
  });
});

describe("Front mapping", () => {
  it("maps the first inbound message of a conversation as a new ticket", () => {
    expect(ticketOf(map("front", frontInbound))).toEqual({
      ticket: {
        id: "cnv_y4xb93i",
        subject: "Refund for duplicate charge",
        body: "Hello,\nI was charged twice for my November subscription (two charges of $49.00 on Nov 1).\n" + "Could you refund one of them?",
        requester: { email: "maria.gonzalez@example.net", name: "Maria Gonzalez" },
        tags: ["billing"],
        created_at: "2026-11-02T13:04:59.512Z",
      },
      conversationId: "cnv_y4xb93i",
      refs: { messageId: "msg_1q15qmtq", inboxId: "inb_55c8c149" },
    });
  });

  it("maps a later inbound message as a new customer message (body from HTML when there is no text)", () => {
    const value = ticketOf(map("front", frontInboundFollowup));
    expect(value.ticket.id).toBe("cnv_y4xb93i:msg:msg_1q1a0f7k");
    expect(value.ticket.body).toBe("Sorry, I forgot the receipt numbers: R-1187 and R-1188.");
    expect(value.ticket.subject).toBe("Refund for duplicate charge");
    expect(value.ticket.created_at).toBe("2026-11-02T14:05:00.201Z");
    expect(value.conversationId).toBe("cnv_y4xb93i");
  });

  it("uses a placeholder address for a non-email handle (SMS)", () => {
    const sms = copy(frontInbound);
    sms.target.data.recipients[0] = { handle: "+15551234567", role: "from", name: null };
    sms.target.data.text = "Is my order shipped?";
    expect(ticketOf(map("front", sms)).ticket.requester).toEqual({ email: "contact-15551234567@front.invalid", name: "+15551234567" });
  });

  it("ignores outbound events, outbound messages and the webhook validation request", () => {
    expect(map("front", { ...copy(frontInbound), type: "outbound" })).toEqual({ kind: "ignored", reason: "Front event outbound is not triaged" });
    const notInbound = copy(frontInbound);
    notInbound.target.data.is_inbound = false;
    expect(map("front", notInbound)).toEqual({ kind: "ignored", reason: "outbound message" });
    expect(map("front", { type: "sync", authorization: { id: "cmp_abc" } }).kind).toBe("ignored");
  });

  it("reports the failing fields of an event preview (no message content)", () => {
    const preview = copy(frontInbound);
    preview.target.data = { _links: preview.target.data._links, id: "msg_1q15qmtq" };
    expect(paths(map("front", preview))).toEqual(["target.data.is_inbound", "target.data.recipients"]);
    const noFrom = copy(frontInbound);
    noFrom.target.data.recipients = noFrom.target.data.recipients.slice(1);
    expect(paths(map("front", noFrom))).toEqual(["target.data.recipients"]);
  });
});

describe("Chatwoot mapping", () => {
  it("maps conversation_created with the customer's first message", () => {
    expect(ticketOf(map("chatwoot", chatwootConversationCreated))).toEqual({
      ticket: {
        id: "57",
        subject: "Hi! My order #10442 says delivered but nothing arrived. Can you check with the c",
        body: "Hi! My order #10442 says delivered but nothing arrived. Can you check with the courier?",
        requester: { email: "lee.chen@example.com", name: "Lee Chen" },
        priority: "high",
        tags: ["delivery"],
        created_at: "2026-11-02T11:59:40.000Z",
      },
      conversationId: "57",
      refs: { accountId: "2", messageId: "1903" },
    });
  });

  it("maps an incoming message_created as a new customer message (content is text, not HTML)", () => {
    const value = ticketOf(map("chatwoot", chatwootMessageCreated));
    expect(value.ticket).toMatchObject({
      id: "57:msg:1911",
      body: 'The tracking number is <b>not</b> working either: JD0002219384 & the courier site says "unknown".',
      requester: { email: "lee.chen@example.com", name: "Lee Chen" },
      priority: "high",
      tags: ["delivery"],
      created_at: "2026-11-02T13:05:00.000Z",
    });
    expect(value.ticket.subject).toBe("The tracking number is <b>not</b> working either: JD0002219384 & the courier sit");
    expect(value).toMatchObject({ conversationId: "57", refs: { accountId: "2", messageId: "1911" } });
  });

  it("uses the email subject of an email inbox conversation", () => {
    const email = copy(chatwootConversationCreated);
    email.additional_attributes = { mail_subject: "Order #10442 missing" };
    expect(ticketOf(map("chatwoot", email)).ticket.subject).toBe("Order #10442 missing");
  });

  it("ignores outgoing, private and activity messages, other events, and conversations without a message yet", () => {
    expect(map("chatwoot", { ...copy(chatwootMessageCreated), message_type: "outgoing" })).toEqual({
      kind: "ignored",
      reason: "outgoing message",
    });
    expect(map("chatwoot", { ...copy(chatwootMessageCreated), private: true })).toEqual({ kind: "ignored", reason: "private note" });
    expect(map("chatwoot", { ...copy(chatwootMessageCreated), message_type: "activity" }).kind).toBe("ignored");
    expect(map("chatwoot", { ...copy(chatwootConversationCreated), event: "conversation_status_changed" }).kind).toBe("ignored");
    expect(map("chatwoot", { ...copy(chatwootConversationCreated), messages: [] }).kind).toBe("ignored");
  });

  it("reports the failing fields", () => {
    const broken = copy(chatwootMessageCreated);
    delete broken.conversation;
    broken.message_type = null;
    expect(paths(map("chatwoot", broken))).toEqual(["conversation", "message_type"]);
    const noAccount = copy(chatwootMessageCreated);
    delete noAccount.account;
    delete noAccount.conversation.messages;
    expect(paths(map("chatwoot", noAccount))).toEqual(["account.id"]);
  });
});

describe("Zammad mapping", () => {
  it("maps the first customer article as a new ticket", () => {
    expect(ticketOf(map("zammad", zammadTicketCreated))).toEqual({
      ticket: {
        id: "81",
        subject: "VPN drops every 10 minutes",
        body:
          "Hello,\n\nsince the update on Friday the VPN client disconnects every ~10 minutes.\n" +
          // The sign-off is a signature, and is cut (common/reply-text.ts).
          "Error: TLS handshake failed (code 0x2f)",
        requester: { email: "emily@example.com", name: "Emily Adams" },
        priority: "high",
        tags: ["vpn", "remote-work"],
        created_at: "2026-11-02T09:14:05.282Z",
      },
      conversationId: "81",
      refs: { ticketNumber: "31081", customerId: "8" },
    });
  });

  it("maps a later customer article as a new customer message", () => {
    const value = ticketOf(map("zammad", zammadArticleCreated));
    expect(value.ticket).toMatchObject({
      id: "81:msg:107",
      body: "Hi,\n\nI reinstalled the client as you suggested. It now stays connected for about an hour, then the same error.\n\nEmily",
      created_at: "2026-11-02T12:00:00.101Z",
      priority: "high",
    });
    expect(value.conversationId).toBe("81");
  });

  it("reads the requester from the article's From when the ticket has no customer object", () => {
    const bare = copy(zammadTicketCreated);
    delete bare.ticket.customer;
    bare.ticket.priority = "1 low";
    expect(ticketOf(map("zammad", bare)).ticket).toMatchObject({
      requester: { email: "emily@example.com", name: "Emily Adams" },
      priority: "low",
    });
  });

  it("ignores agent and internal articles and updates without an article", () => {
    const agent = copy(zammadArticleCreated);
    agent.article.sender = "Agent";
    expect(map("zammad", agent)).toEqual({ kind: "ignored", reason: "article by an agent" });
    const internal = copy(zammadArticleCreated);
    internal.article.internal = true;
    expect(map("zammad", internal)).toEqual({ kind: "ignored", reason: "internal article (note)" });
    expect(map("zammad", { ticket: copy(zammadArticleCreated).ticket }).kind).toBe("ignored");
  });

  it("reports the failing fields", () => {
    expect(paths(map("zammad", { ticket: { title: "x" }, article: { id: 1, body: "hi", internal: false } }))).toEqual(["article.sender", "ticket.id"]);
  });
});

describe("Freshdesk mapping", () => {
  it("maps the documented template body", () => {
    expect(ticketOf(map("freshdesk", freshdeskTicketCreated))).toEqual({
      ticket: {
        id: "1234",
        subject: "Cannot add a second admin",
        // The "Regards," sign-off is cut (common/reply-text.ts).
        body: 'Hello,\nwhen I invite a colleague as admin the page says "Seat limit reached" although we pay for 5 seats and use 3.',
        requester: { email: "noor.haddad@example.com", name: "Noor Haddad" },
        priority: "urgent",
        tags: ["billing", "seats", "admin"],
        created_at: "2026-11-02T09:14:05.000Z",
      },
      conversationId: "1234",
    });
  });

  it("is valid JSON whose placeholders, once filled, map to a ticket", () => {
    const template = JSON.parse(FRESHDESK_TEMPLATE);
    const values: Record<string, string> = {
      "{{ticket.id}}": "77",
      "{{ticket.subject}}": "Hello",
      "{{ticket.description_text}}": "Help please",
      "{{ticket.priority}}": "Medium",
      "{{ticket.tags}}": "",
      "{{ticket.requester.email}}": "a@example.com",
      "{{ticket.requester.name}}": "A",
      "{{ticket.created_on}}": "2026-11-02 10:14:05 UTC",
      "{{ticket.source}}": "Portal",
    };
    for (const [key, placeholder] of Object.entries(template.freshdesk_webhook)) {
      expect(values, key).toHaveProperty([placeholder as string]);
      template.freshdesk_webhook[key] = values[placeholder as string];
    }
    expect(ticketOf(map("freshdesk", template)).ticket).toMatchObject({ id: "77", priority: "normal", created_at: "2026-11-02T10:14:05.000Z" });
  });

  it("maps numeric priorities 1-4", () => {
    const priorities = ["1", "2", "3", "4"].map((p) => {
      const body = copy(freshdeskTicketCreated);
      body.freshdesk_webhook.ticket_priority = p;
      return ticketOf(map("freshdesk", body)).ticket.priority;
    });
    expect(priorities).toEqual(["low", "normal", "high", "urgent"]);
  });

  it("ignores outbound emails an agent started", () => {
    const outbound = copy(freshdeskTicketCreated);
    outbound.freshdesk_webhook.ticket_source = "Outbound Email";
    expect(map("freshdesk", outbound)).toEqual({ kind: "ignored", reason: "outbound email started by an agent" });
  });

  it("reports unfilled placeholders and a bad address", () => {
    const unfilled = copy(freshdeskTicketCreated);
    unfilled.freshdesk_webhook.ticket_id = "{{ticket.id}}";
    const result = map("freshdesk", unfilled);
    expect(paths(result)).toEqual(["freshdesk_webhook.ticket_id"]);
    expect(result.kind === "invalid" && result.fields[0]!.message).toMatch(/placeholder was not filled in/);
    const badEmail = copy(freshdeskTicketCreated);
    badEmail.freshdesk_webhook.requester_email = "noor";
    expect(paths(map("freshdesk", badEmail))).toEqual(["freshdesk_webhook.requester_email"]);
  });

  it("truncates a long body and subject to our limits instead of refusing them", () => {
    const long = copy(freshdeskTicketCreated);
    long.freshdesk_webhook.ticket_description = "x".repeat(MAX_BODY + 5000);
    long.freshdesk_webhook.ticket_subject = "s".repeat(MAX_SUBJECT + 100);
    const t = ticketOf(map("freshdesk", long)).ticket;
    expect(t.body.length).toBe(MAX_BODY);
    expect(t.subject.length).toBe(MAX_SUBJECT);
  });
});

// ── shapes help desks really send (issue 15) ────────────────────────────────

describe("Intercom conversation shapes and ticket replies", () => {
  it("reads `contacts` as a bare array, taking the contact's address when the author's is empty", () => {
    const value = ticketOf(map("intercom", intercomContactsArray));
    expect(value).toMatchObject({
      ticket: {
        id: "215469786500101",
        body: 'Hello! Our CSV import stops at row 5,000 with "file too large".\n\nIs there a limit on the Team plan?',
        requester: { email: "ines.moreau@example.fr", name: "Ines Moreau" },
        created_at: "2026-11-29T14:05:00.000Z",
      },
      conversationId: "215469786500101",
      refs: { kind: "conversation", contactId: "6541f0a2c3d4e5f6a7b8d001" },
    });
    expect(value.ticket.priority).toBeUndefined();
    // The same item with the list object of API 2.x maps to the same ticket.
    const listed = copy(intercomContactsArray);
    listed.data.item.contacts = { type: "contact.list", contacts: listed.data.item.contacts };
    expect(ticketOf(map("intercom", listed))).toEqual(value);
  });

  it("reads the 1.x shape: conversation_message and user, no source", () => {
    expect(ticketOf(map("intercom", intercomV1Created))).toMatchObject({
      ticket: {
        id: "4584700112",
        subject: "The mobile app logs me out every time I switch to another app.",
        body: "The mobile app logs me out every time I switch to another app.",
        requester: { email: "tomasz.nowak@example.pl", name: "Tomasz Nowak" },
        created_at: "2026-11-29T14:20:00.000Z",
      },
      conversationId: "4584700112",
      refs: { kind: "conversation", contactId: "57179c30c776e05d4c00f001" },
    });
    const byAdmin = copy(intercomV1Created);
    byAdmin.data.item.conversation_message.author = { type: "admin", id: "814860" };
    expect(map("intercom", byAdmin)).toEqual({ kind: "ignored", reason: "conversation started by an admin" });
  });

  it("maps a 1.x user reply, with a placeholder where Intercom sends an empty address", () => {
    expect(ticketOf(map("intercom", intercomV1Replied))).toMatchObject({
      ticket: {
        id: "4584700112:msg:98541001",
        body: "I'm on Android 15, app version 4.2.1.",
        requester: { email: "contact-57179c30c776e05d4c00f001@intercom.invalid", name: "Tomasz Nowak" },
        created_at: "2026-11-29T14:50:00.000Z",
      },
      conversationId: "4584700112",
      refs: { kind: "conversation", contactId: "57179c30c776e05d4c00f001" },
    });
  });

  it("maps ticket.contact.replied to the contact's newest ticket part", () => {
    expect(ticketOf(map("intercom", intercomTicketContactReplied))).toMatchObject({
      ticket: {
        id: "215469790112233:msg:19447900003",
        subject: "Invoice shows the wrong VAT number",
        body: "Here it is. The VAT number is on page 2, bottom right.",
        requester: { email: "robin@okafor-design.test", name: "Robin Okafor" },
        created_at: "2026-11-02T14:00:00.000Z",
      },
      conversationId: "215469790112233",
      refs: { kind: "ticket", contactId: "6541f0a2c3d4e5f6a7b8c9e1", ticketNumber: "482" },
    });
  });

  it("ignores an admin's ticket reply and replies on back-office tickets; refuses a contact reply without one", () => {
    expect(map("intercom", { ...copy(intercomTicketContactReplied), topic: "ticket.admin.replied" })).toEqual({
      kind: "ignored",
      reason: "Intercom topic ticket.admin.replied is not triaged",
    });
    const backOffice = copy(intercomTicketContactReplied);
    backOffice.data.item.category = "Back-office";
    expect(map("intercom", backOffice).kind).toBe("ignored");
    const noReply = copy(intercomTicketContactReplied);
    noReply.data.item.ticket_parts.ticket_parts.pop();
    expect(paths(map("intercom", noReply))).toEqual(["data.item.ticket_parts.ticket_parts"]);
  });
});

describe("Help Scout without embedded threads", () => {
  const created = { "X-HelpScout-Event": "convo.created" };
  const replied = { "X-HelpScout-Event": "convo.customer.reply.created" };

  /** A Mailbox API in-process: the token endpoint and the fake's threads, paged as the Node fake pages them. */
  function mailbox(fail?: number) {
    const paths: string[] = [];
    const ctx: OutboundContext = {
      baseUrl: "https://api.helpscout.test",
      credentials: { app_id: "app", app_secret: "secret" },
      idempotencyKey: "t",
      fetch: async (input, init) => {
        const url = new URL(String(input));
        paths.push(`${init?.method ?? "GET"} ${url.pathname}${url.search}`);
        if (url.pathname === "/v2/oauth2/token") return Response.json({ access_token: "tok", token_type: "bearer", expires_in: 7200 });
        if (fail) return Response.json({ message: "down" }, { status: fail });
        const size = FAKE_HELPSCOUT_THREADS_PAGE_SIZE;
        const page = Number(url.searchParams.get("page"));
        const threads = FAKE_HELPSCOUT_THREADS.slice((page - 1) * size, page * size);
        return Response.json({
          _embedded: { threads },
          page: { size, totalElements: FAKE_HELPSCOUT_THREADS.length, totalPages: Math.ceil(FAKE_HELPSCOUT_THREADS.length / size), number: page },
        });
      },
    };
    return { ctx: { ...ctx, retry: { sleep: async () => {} } } as OutboundContext, paths };
  }

  const pending = (result: MapResult) => {
    if (result.kind !== "fetch") throw new Error(`expected a fetch, got ${JSON.stringify(result)}`);
    return result;
  };

  it("asks intake to fetch the threads instead of refusing the SDK's test body", () => {
    expect(map("helpscout", helpscoutWithoutThreads, created)).toMatchObject({ kind: "fetch", missing: "the conversation's threads" });
    expect(map("helpscout", helpscoutWithoutThreads, replied).kind).toBe("fetch");
  });

  it("completes convo.created from the first customer thread, reading the last page for it", async () => {
    const { ctx, paths: calls } = mailbox();
    const value = ticketOf(await pending(map("helpscout", helpscoutWithoutThreads, created)).complete(ctx));
    expect(value.ticket.body).toContain("we moved offices last month. I'm having a hard time changing the billing address on our account.");
    expect(value).toMatchObject({
      ticket: {
        id: "2391940123",
        subject: "Billing address after our move",
        requester: { email: "bear@acme.com", name: "Robin Bear" },
        tags: ["billing"],
        created_at: "2026-11-30T14:05:00.000Z",
      },
      conversationId: "2391940123",
      refs: { customerId: "238604", conversationNumber: "352", messageId: "7310001" },
    });
    expect(calls).toEqual(["POST /v2/oauth2/token", "GET /v2/conversations/2391940123/threads?page=1", "GET /v2/conversations/2391940123/threads?page=2"]);
  });

  it("completes convo.customer.reply.created from the newest customer thread on the first page", async () => {
    const { ctx, paths: calls } = mailbox();
    const value = ticketOf(await pending(map("helpscout", helpscoutWithoutThreads, replied)).complete(ctx));
    expect(value.ticket).toMatchObject({
      id: "2391940123:msg:7310003",
      body: "One more thing: the invoice PDF still shows our old address.",
      requester: { email: "bear@acme.com", name: "Robin Bear" },
      created_at: "2026-11-30T14:40:00.000Z",
    });
    expect(calls.filter((c) => c.includes("/threads"))).toEqual(["GET /v2/conversations/2391940123/threads?page=1"]);
  });

  it("fails the completion (intake answers 503) when the Mailbox API fails", async () => {
    const { ctx } = mailbox(503);
    await expect(pending(map("helpscout", helpscoutWithoutThreads, created)).complete(ctx)).rejects.toBeInstanceOf(OutboundError);
  });

  it("keys a conversation's first customer thread by the conversation id under both events", () => {
    const asCreated = ticketOf(map("helpscout", helpscoutConvoCreated, created));
    const asReply = ticketOf(map("helpscout", helpscoutConvoCreated, replied));
    expect(asReply.ticket.id).toBe("2391938111");
    expect(asReply.ticket.id).toBe(asCreated.ticket.id);
    expect(asReply.refs?.messageId).toBe(asCreated.refs?.messageId);
    // A later customer thread is a message of its own.
    expect(ticketOf(map("helpscout", helpscoutCustomerReply, replied)).ticket.id).toBe("2391938111:msg:6219002");
  });
});

describe("Zendesk events with a trimmed detail", () => {
  it("ignores a ticket.created with nothing to triage (no description, comment or subject)", () => {
    expect(map("zendesk", zendeskTrimmed)).toEqual({
      kind: "ignored",
      reason: "ticket.created without a description, a comment or a subject: nothing to triage",
    });
  });

  it("takes the subject as the text of a ticket.created without description, and a per-ticket requester without requester_id", () => {
    const value = ticketOf(map("zendesk", zendeskNoDescription));
    expect(value.refs).toBeUndefined();
    expect(value).toMatchObject({
      ticket: {
        id: "5202",
        subject: "Two-factor codes arrive after they have expired",
        body: "Two-factor codes arrive after they have expired",
        requester: { email: "ticket-requester-5202@zendesk.invalid", name: "Zendesk requester of ticket 5202" },
        priority: "normal",
        tags: ["2fa"],
        created_at: "2026-11-30T14:06:12.000Z",
      },
      conversationId: "5202",
    });
    const withComment = copy(zendeskNoDescription);
    withComment.event = { comment: { id: "1", body: "The codes come 2 minutes late.", is_public: true, author: { id: "77", is_staff: false } } };
    expect(ticketOf(map("zendesk", withComment)).ticket.body).toBe("The codes come 2 minutes late.");
  });

  it("ignores an agent's comment without requester_id", () => {
    expect(map("zendesk", zendeskAgentNoRequester)).toEqual({ kind: "ignored", reason: "comment by an agent" });
    const unknown = copy(zendeskAgentNoRequester);
    delete unknown.event.comment.author.is_staff;
    expect(map("zendesk", unknown).kind).toBe("ignored");
  });

  it("takes a public comment by a non-staff author as the customer's when requester_id is absent", () => {
    expect(ticketOf(map("zendesk", zendeskCustomerNoRequester))).toMatchObject({
      ticket: {
        id: "5158:msg:32114558821002",
        subject: "CSV export times out",
        body: "It works now, thank you! The export finished in a few seconds.",
        requester: { email: "requester-9034512267541@zendesk.invalid", name: "Pat Doe" },
        priority: "high",
        tags: ["export", "reports"],
        created_at: "2026-11-30T15:42:00.000Z",
      },
      conversationId: "5158",
      refs: { requesterId: "9034512267541" },
      // A stand-in: the triage Workflow looks the person up (worker/triage/identify-requester.ts).
      requesterRef: { kind: "requester", id: "9034512267541" },
    });
  });

  it("refuses only what it cannot decide on: a comment_added without its comment, a triaged comment without an id", () => {
    const noComment = copy(zendeskCustomerNoRequester);
    noComment.event = {};
    expect(paths(map("zendesk", noComment))).toEqual(["event.comment"]);
    const noId = copy(zendeskCustomerNoRequester);
    delete noId.event.comment.id;
    expect(paths(map("zendesk", noId))).toEqual(["event.comment.id"]);
  });
});

describe("Freshdesk leniency", () => {
  /** The body as a template that does not escape {{ticket.description_text}} sends it: raw line breaks and tabs. */
  const unescaped = (fixture: unknown) => JSON.stringify(fixture).replaceAll("\\n", "\n").replaceAll("\\t", "\t");
  const parseJson = (text: string) => SOURCES.freshdesk.parseJson!(text);

  it("reads a body with raw newlines and tabs inside strings, and a created_on without offset as UTC", () => {
    const raw = unescaped(freshdeskMultiline);
    expect(() => JSON.parse(raw)).toThrow();
    const ticket = ticketOf(map("freshdesk", parseJson(raw))).ticket;
    expect(ticket.body).toContain("our invoices still go to finance@old-example.com.\nPlease use ap@example.com from now on.");
    expect(ticket).toMatchObject({
      id: "1301",
      subject: "Invoice sent to the wrong department",
      requester: { email: "lea.schmidt@example.de", name: "Lea Schmidt" },
      priority: "normal",
      tags: ["billing"],
      created_at: "2026-11-30T14:05:00.000Z",
    });
  });

  it("escapes only inside strings, keeps escapes as they are, and still refuses what is not JSON", () => {
    expect(parseJson('{\n\t"a": "say \\"hi\\"\nbye\\\\",\r\n"b": "\u0001"\n}')).toEqual({ a: 'say "hi"\nbye\\', b: "\u0001" });
    expect(() => parseJson('{"a": "open\n')).toThrow();
    expect(() => parseJson("not json")).toThrow();
  });

  it("is the only source that parses leniently", () => {
    for (const id of SOURCE_IDS) if (id !== "freshdesk") expect(SOURCES[id].parseJson, id).toBeUndefined();
  });

  it("reads {{ticket.created_on}} in Freshdesk's display form as UTC and drops what it cannot place", () => {
    const at = (value: string) => {
      const body = copy(freshdeskDisplayDate);
      body.freshdesk_webhook.ticket_created_at = value;
      return ticketOf(map("freshdesk", body)).ticket.created_at;
    };
    expect(ticketOf(map("freshdesk", freshdeskDisplayDate)).ticket.created_at).toBe("2026-11-30T14:05:00.000Z");
    expect(at("Nov 30, 2026 2:05 PM")).toBe("2026-11-30T14:05:00.000Z");
    expect(at("Monday, November 30, 2026 at 12:05 AM")).toBe("2026-11-30T00:05:00.000Z");
    expect(at("30 Nov 2026 14:05")).toBe("2026-11-30T14:05:00.000Z");
    expect(at("2026-11-30T14:05")).toBe("2026-11-30T14:05:00.000Z");
    expect(at("2026-11-30 14:05:00 +0100")).toBe("2026-11-30T13:05:00.000Z");
    expect(at("Mon, 30 Nov at 2:05 PM")).toBeUndefined();
    expect(at("31 Nov 2026 at 2:05 PM")).toBeUndefined();
    expect(at("30 Nov 2026 at 13:05 PM")).toBeUndefined();
  });
});

describe("every mapper", () => {
  const junk: unknown[] = [null, undefined, 0, "ticket", [], {}, { ticket: null }, { type: 7, event: [], data: "x" }];
  const headers = { "X-HelpScout-Event": "convo.created" };

  it.each([...SOURCE_IDS])("%s returns invalid for payloads of another shape, without throwing", (source) => {
    for (const payload of junk) expect(map(source, payload, headers).kind).toBe("invalid");
  });

  it("maps every fixture of one vendor to a ticket only under that vendor's source", () => {
    const fixtures: [SourceId, unknown][] = [
      ["zendesk", zendeskTicketCreated],
      ["intercom", intercomUserCreated],
      ["front", frontInbound],
      ["chatwoot", chatwootConversationCreated],
      ["zammad", zammadTicketCreated],
      ["freshdesk", freshdeskTicketCreated],
    ];
    for (const [owner, payload] of fixtures) {
      for (const source of SOURCE_IDS) {
        if (source === owner || source === "helpscout") continue;
        expect(map(source, payload, headers).kind, `${owner} fixture under ${source}`).not.toBe("ticket");
      }
    }
  });
});

describe("HTML to text", () => {
  it("drops tags, scripts, styles and comments, keeps line structure and decodes entities", () => {
    const html =
      "<html><head><title>x</title><style>p{color:red}</style></head><body><!-- hidden --><p>Hi&nbsp;there,</p>" +
      '<script>alert("x")</script><ul><li>one &amp; two</li><li>&#8220;three&#x201D;</li></ul>' +
      "<p>&lt;script&gt;not a tag&lt;/script&gt; 1 < 2 and 3 > 2</p></body></html>";
    expect(htmlToText(html)).toBe("Hi there,\n\none & two\n“three”\n\n<script>not a tag</script> 1 < 2 and 3 > 2");
  });

  it("stays linear on hostile input", () => {
    const hostile = "<a".repeat(50_000) + "< ".repeat(50_000) + "<script>".repeat(10_000) + "<!--".repeat(10_000);
    const started = Date.now();
    htmlToText(hostile);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("reads the timestamp formats vendors send", () => {
    expect(toIso(1793624699.512)).toBe("2026-11-02T13:04:59.512Z");
    expect(toIso("2025-01-08T10:12:07.672717030Z")).toBe("2025-01-08T10:12:07.672Z");
    expect(toIso("2026-11-02 10:14:05 +0100")).toBe("2026-11-02T09:14:05.000Z");
    expect(toIso("2020-03-03 13:05:57 UTC")).toBe("2020-03-03T13:05:57.000Z");
    expect(toIso("Nov 2")).toBeUndefined();
  });
});
