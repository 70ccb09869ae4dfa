// Chatwoot webhooks (account webhooks; chatwoot.com "How to use webhooks",
// github.com/chatwoot/docs webhook-events.md, Chatwoot's webhook API schema).
//
// Signing: a webhook with a secret sends X-Chatwoot-Timestamp (unix seconds),
// X-Chatwoot-Signature: sha256=<hex HMAC-SHA256(secret, `${timestamp}.${raw body}`)>
// and X-Chatwoot-Delivery (a delivery id).
//
// Payloads: the event name is in the body.
//   conversation_created: the conversation (Conversations::EventDataPresenter):
//     { event, id (the display id used in API paths), inbox_id, status, priority, labels,
//       additional_attributes { mail_subject, … }, contact_inbox { … }, created_at (unix s),
//       meta { sender { id, name, email, type: "contact" }, assignee },
//       messages: [last message: { id, content, account_id, message_type: 0 incoming | 1 outgoing
//       | 2 activity | 3 template, private, created_at (unix s), sender_type }] }
//   message_created: { event, id, content, content_type, message_type: "incoming" | "outgoing"
//     | "activity" | "template", private, created_at, sender { id, name, email?, type },
//     conversation { …as above }, inbox { id, name }, account { id, name } }
//
// Triaged: conversation_created with a customer message (new ticket, id =
// conversation id) and message_created for incoming, non-private messages (new
// customer message, id = `<conversation>:msg:<message>`). Outgoing, private,
// activity and template messages are ignored. A conversation_created without
// a customer message yet (a widget conversation opens before its first
// message) is ignored; its first message then arrives as message_created.
// refs.accountId: Chatwoot API paths are /api/v1/accounts/<account>/conversations/<id>.
// refs.messageId: the first message of a conversation is in conversation_created
// AND is sent again as message_created; the same id lets intake drop the second.
import { z } from "zod";
import type { Priority } from "../../domain/types";
import { bodyText, idSchema, ignored, invalid, matches, parse, safeMap, signature, timeSchema, toTicket, withPrefix } from "../common/inbound";
import { checkTimestamp } from "../common/timestamps";
import type { VerifyFailure, WebhookSource } from "../types";

async function verify(headers: Headers, body: Uint8Array, secret: string, now: number): Promise<VerifyFailure | null> {
  const header = headers.get("x-chatwoot-signature")?.trim();
  const timestamp = headers.get("x-chatwoot-timestamp")?.trim();
  if (!header) return "missing signature";
  if (!timestamp) return "missing timestamp";
  if (!/^\d{1,12}$/.test(timestamp)) return "malformed timestamp";
  const stale = checkTimestamp(Number(timestamp), now);
  if (stale) return stale;
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header);
  if (!match) return "malformed signature";
  return matches(match[1]!.toLowerCase(), await signature("SHA-256", secret, withPrefix(`${timestamp}.`, body), "hex"));
}

const PRIORITIES: Record<string, Priority> = { low: "low", medium: "normal", high: "high", urgent: "urgent" };
const MESSAGE_TYPES = ["incoming", "outgoing", "activity", "template"] as const;

/** Chatwoot sends the enum as a number inside a conversation and as a name at the top of message_created. */
const messageTypeSchema = z.union([z.number().int(), z.string()]).transform((v) => (typeof v === "number" ? (MESSAGE_TYPES[v] ?? String(v)) : v));

const senderSchema = z.looseObject({
  id: idSchema.nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  type: z.string().nullish(),
});

/**
 * A message's files (Attachment#push_event_data): { id, message_id, file_type: "image" | "audio" |
 * "video" | "file" | "location" | …, extension, data_url, thumb_url, file_size }. No file name:
 * the last segment of data_url is one. Kept as metadata, never fetched.
 */
const attachmentsSchema = z
  .array(
    z.looseObject({
      file_type: z.string().nullish(),
      extension: z.string().nullish(),
      data_url: z.string().nullish(),
      file_size: z.number().nullish(),
    }),
  )
  .nullish();

/** Media types of the extensions Chatwoot's uploads most often have (it sends the extension, not the type). */
const MEDIA_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  heic: "image/heic",
  pdf: "application/pdf",
  txt: "text/plain",
  csv: "text/csv",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
  mp4: "video/mp4",
};

const attachmentsOf = (files: z.output<typeof attachmentsSchema>) =>
  files
    ?.filter((f) => f.data_url || f.file_size != null)
    .map((f) => ({
      name: null,
      contentType: MEDIA_TYPES[(f.extension ?? f.data_url?.split("?")[0]?.split(".").at(-1) ?? "").replace(/^\./, "").toLowerCase()] ?? null,
      size: f.file_size,
      url: f.data_url,
    }));

const messagesSchema = z.array(
  z.looseObject({
    id: idSchema,
    content: z.string().nullish(),
    account_id: idSchema.nullish(),
    message_type: messageTypeSchema,
    private: z.boolean().nullish(),
    created_at: timeSchema.nullish(),
    attachments: attachmentsSchema,
  }),
);

const conversationSchema = z.looseObject({
  id: idSchema,
  account_id: idSchema.nullish(),
  priority: z.string().nullish(),
  labels: z.array(z.string()).nullish(),
  created_at: timeSchema.nullish(),
  additional_attributes: z.looseObject({ mail_subject: z.string().nullish() }).nullish(),
  meta: z.looseObject({ sender: senderSchema.nullish() }).nullish(),
  messages: messagesSchema.nullish(),
});

const accountSchema = z.looseObject({ id: idSchema }).nullish();

const conversationCreatedSchema = conversationSchema.extend({
  account: accountSchema,
  messages: messagesSchema,
});

const messageCreatedSchema = z.looseObject({
  id: idSchema,
  content: z.string().nullish(),
  message_type: messageTypeSchema,
  private: z.boolean().nullish(),
  created_at: timeSchema.nullish(),
  sender: senderSchema.nullish(),
  attachments: attachmentsSchema,
  conversation: conversationSchema,
  account: accountSchema,
});

function mapPayload(payload: unknown) {
  const head = parse(z.looseObject({ event: z.string().min(1) }), payload);
  if (!head.ok) return head.result;
  const event = head.data.event;

  if (event === "conversation_created") {
    const p = parse(conversationCreatedSchema, payload);
    if (!p.ok) return p.result;
    const c = p.data;
    const index = c.messages.findIndex((m) => m.message_type === "incoming" && !m.private);
    const message = c.messages[index];
    if (!message) return ignored("conversation has no customer message yet (it arrives as message_created)");
    const accountId = c.account?.id ?? c.account_id ?? message.account_id;
    if (!accountId) return invalid({ path: "account.id", message: "the Chatwoot account id is missing" });
    const sender = c.meta?.sender;
    return toTicket({
      id: c.id,
      conversationId: c.id,
      subject: c.additional_attributes?.mail_subject,
      body: bodyText(message.content, false),
      email: sender?.email,
      emailPath: "meta.sender.email",
      placeholder: sender?.id ? ["chatwoot", "contact", sender.id] : undefined,
      name: sender?.name,
      priority: PRIORITIES[c.priority ?? ""],
      tags: c.labels ?? undefined,
      createdAt: c.created_at ?? message.created_at,
      refs: { accountId, messageId: message.id },
      attachments: attachmentsOf(message.attachments),
    });
  }

  if (event === "message_created") {
    const p = parse(messageCreatedSchema, payload);
    if (!p.ok) return p.result;
    const m = p.data;
    if (m.message_type !== "incoming") return ignored(`${m.message_type} message`);
    if (m.private) return ignored("private note");
    const c = m.conversation;
    const accountId = m.account?.id ?? c.account_id ?? c.messages?.find((x) => x.account_id)?.account_id;
    if (!accountId) return invalid({ path: "account.id", message: "the Chatwoot account id is missing" });
    const contact = c.meta?.sender;
    const email = m.sender?.email || contact?.email;
    const senderId = m.sender?.id ?? contact?.id;
    return toTicket({
      id: `${c.id}:msg:${m.id}`,
      conversationId: c.id,
      subject: c.additional_attributes?.mail_subject,
      body: bodyText(m.content, false),
      email,
      emailPath: m.sender?.email ? "sender.email" : "conversation.meta.sender.email",
      placeholder: senderId ? ["chatwoot", "contact", senderId] : undefined,
      name: m.sender?.name || contact?.name,
      priority: PRIORITIES[c.priority ?? ""],
      tags: c.labels ?? undefined,
      createdAt: m.created_at,
      refs: { accountId, messageId: m.id },
      attachments: attachmentsOf(m.attachments),
    });
  }

  return ignored(`Chatwoot event ${event} is not triaged`);
}

export const chatwoot: WebhookSource = {
  id: "chatwoot",
  name: "Chatwoot",
  deliveryIdHeader: "X-Chatwoot-Delivery",
  verify: (d, secret) => verify(d.headers, d.body, secret, d.now),
  map: safeMap(mapPayload),
};
