// Front application webhooks (dev.frontapp.com/docs/application-webhooks).
//
// Signing: X-Front-Signature = base64(HMAC-SHA256(app signing secret,
// `${X-Front-Request-Timestamp}:${raw body}`)). Front documents the timestamp
// header in MILLISECONDS ("x-front-request-timestamp: <timestamp in
// milliseconds>"); a value of 11 digits or fewer is read as seconds so a
// seconds-based sender also works. The header string is signed as sent.
// Rule webhooks (SHA-1 with the API secret, no timestamp) are not this scheme.
// No delivery id header is documented.
//
// Payload: the full event (docs: reference/events):
//   { _links, id: "evt_…", type: "inbound", emitted_at (unix s, fractional),
//     conversation { id: "cnv_…", subject, status, created_at, tags: [{ id, name }], recipient { handle, role } },
//     source { _meta: { type: "inboxes" }, data: [{ id: "inb_…", name }] },
//     target { _meta: { type: "message" }, data: message } }
//   message: { id: "msg_…", type, is_inbound, created_at, subject, blurb, body (HTML), text,
//     author (teammate or null), recipients: [{ handle, name, role: "from" | "to" | "cc" | "bcc" | "reply-to" }],
//     attachments: [{ id: "fil_…", filename, url (API download link), content_type, size, metadata { is_inline, cid } }] }
// The body is the whole e-mail: the quoted earlier messages and the signature
// are cut (common/reply-text.ts); attachments are kept as metadata, never fetched.
// When an app webhook is saved, Front sends { type: "sync", authorization: { id } }
// with an X-Front-Challenge header; that is ignored here (see the lead notes).
//
// Triaged: `inbound` (and `inbound_received`, the app subscription's name for it).
// Front does not say whether an inbound message opened the conversation. We
// treat it as the first message (new ticket, id = conversation id) when it is
// not later than the conversation's creation (2 s of slack) or when the event
// carries no conversation created_at; otherwise it is a new customer message on
// an existing conversation (id = `<conversation>:msg:<message>`).
import { z } from "zod";
import { BASE64_SHA256, bodyText, ignored, invalid, isEmail, matches, parse, safeMap, signature, toTicket, withPrefix } from "../common/inbound";
import { checkTimestamp } from "../common/timestamps";
import type { VerifyFailure, WebhookSource } from "../types";

async function verify(headers: Headers, body: Uint8Array, secret: string, now: number): Promise<VerifyFailure | null> {
  const offered = headers.get("x-front-signature")?.trim();
  const timestamp = headers.get("x-front-request-timestamp")?.trim();
  if (!offered) return "missing signature";
  if (!timestamp) return "missing timestamp";
  if (!/^\d{1,16}$/.test(timestamp)) return "malformed timestamp";
  const value = Number(timestamp);
  const seconds = timestamp.length >= 12 ? Math.floor(value / 1000) : value;
  const stale = checkTimestamp(seconds, now);
  if (stale) return stale;
  if (!BASE64_SHA256.test(offered)) return "malformed signature";
  return matches(offered, await signature("SHA-256", secret, withPrefix(`${timestamp}:`, body), "base64"));
}

const INBOUND_TYPES = new Set(["inbound", "inbound_received"]);
/** Seconds a first message may trail the conversation's creation. */
const FIRST_MESSAGE_SLACK = 2;

const messageSchema = z.looseObject({
  id: z.string().min(1),
  is_inbound: z.boolean(),
  created_at: z.number().nullish(),
  subject: z.string().nullish(),
  body: z.string().nullish(),
  text: z.string().nullish(),
  recipients: z.array(
    z.looseObject({
      handle: z.string(),
      role: z.string(),
      name: z.string().nullish(),
    }),
  ),
  attachments: z
    .array(
      z.looseObject({
        filename: z.string().nullish(),
        url: z.string().nullish(),
        content_type: z.string().nullish(),
        size: z.number().nullish(),
        metadata: z.looseObject({ is_inline: z.boolean().nullish() }).nullish(),
      }),
    )
    .nullish(),
});

const eventSchema = z.looseObject({
  type: z.string(),
  conversation: z.looseObject({
    id: z.string().min(1),
    subject: z.string().nullish(),
    created_at: z.number().nullish(),
    tags: z.array(z.looseObject({ name: z.string() })).nullish(),
  }),
  source: z
    .looseObject({
      data: z.union([z.array(z.looseObject({ id: z.string() })), z.looseObject({ id: z.string() })]).nullish(),
    })
    .nullish(),
  target: z.looseObject({ data: messageSchema }),
});

function mapPayload(payload: unknown) {
  const head = parse(z.looseObject({ type: z.string().min(1) }), payload);
  if (!head.ok) return head.result;
  const type = head.data.type;
  if (type === "sync") return ignored("Front webhook validation request");
  if (!INBOUND_TYPES.has(type)) return ignored(`Front event ${type} is not triaged`);

  const p = parse(eventSchema, payload);
  if (!p.ok) return p.result;
  const { conversation, target, source } = p.data;
  const message = target.data;
  if (!message.is_inbound) return ignored("outbound message");

  const fromIndex = message.recipients.findIndex((r) => r.role === "from");
  if (fromIndex === -1) return invalid({ path: "target.data.recipients", message: 'no recipient with role "from"' });
  const from = message.recipients[fromIndex]!;
  const handle = from.handle.trim();

  const first = conversation.created_at == null || message.created_at == null || message.created_at <= conversation.created_at + FIRST_MESSAGE_SLACK;

  const inbox = Array.isArray(source?.data) ? source.data[0]?.id : source?.data?.id;
  return toTicket({
    id: first ? conversation.id : `${conversation.id}:msg:${message.id}`,
    conversationId: conversation.id,
    subject: conversation.subject || message.subject,
    body: message.text?.trim() ? bodyText(message.text, false) : bodyText(message.body, true),
    // SMS, WhatsApp and other channels have a phone number or a user id as the handle.
    email: isEmail(handle) ? handle : null,
    emailPath: `target.data.recipients.${fromIndex}.handle`,
    placeholder: ["front", "contact", handle],
    name: from.name || (isEmail(handle) ? handle.split("@")[0] : handle),
    tags: conversation.tags?.map((t) => t.name),
    createdAt: message.created_at,
    refs: { messageId: message.id, inboxId: inbox },
    attachments: message.attachments?.map((f) => ({
      name: f.filename,
      contentType: f.content_type,
      size: f.size,
      url: f.url,
      inline: f.metadata?.is_inline ?? false,
    })),
  });
}

export const front: WebhookSource = {
  // Saving an app webhook sends a signed `sync` request; Front expects the
  // x-front-challenge value back in a 200 answer.
  challenge: (headers) => headers.get("x-front-challenge"),
  id: "front",
  name: "Front",
  deliveryIdHeader: null,
  verify: (d, secret) => verify(d.headers, d.body, secret, d.now),
  map: safeMap(mapPayload),
};
