// Intercom webhooks (developers.intercom.com "Webhooks", "Webhook models").
//
// Signing: X-Hub-Signature: sha1=<hex HMAC-SHA1(secret, raw body)>, the secret
// being the app's client secret. No timestamp header. The notification's own
// `id` ("notif_…") sits in the body, so there is no delivery id header.
//
// Payload: a notification envelope
//   { type: "notification_event", app_id, id: "notif_…", topic, created_at,
//     data: { type: "notification_event_data", item: <conversation | ticket> } }
// Conversation: { type: "conversation", id, created_at (unix s), title, priority: "priority" | "not_priority",
//   source { id, subject, body (HTML), author { type: "user" | "lead" | "admin" | "bot", id, name, email } },
//   contacts { contacts: [{ type: "contact", id, external_id }] }, tags { tags: [{ id, name }] },
//   conversation_parts { conversation_parts: [{ id, part_type, body (HTML), created_at, author { … } }] } }
// Ticket: { type: "ticket", id, ticket_id, category: "Customer" | "Back-office" | "Tracker",
//   ticket_attributes { _default_title_, _default_description_ }, contacts { contacts: [...] },
//   ticket_parts { ticket_parts: [...] }, created_at }
//
// Triaged topics: conversation.user.created and ticket.created (new tickets,
// id = conversation/ticket id) and conversation.user.replied (new customer
// message, id = `<conversation>:msg:<part>`). Admin replies, notes, assignments
// and the setup "ping" are ignored. The replying admin's id is not in these
// payloads (the outbound connector takes it from its credentials);
// refs.kind tells it whether to reply on /conversations or /tickets.
import { z } from "zod";
import type { Priority } from "../../domain/types";
import { bodyText, idSchema, ignored, invalid, parse, safeMap, toTicket, verifyHubSha1 } from "../common/inbound";
import type { WebhookSource } from "../types";

const INTERCOM_TOPICS = ["conversation.user.created", "conversation.user.replied", "ticket.created"] as const;

/** Author types of contacts (the customer side); admins, bots and teams are not. */
const CUSTOMER_TYPES = new Set(["user", "lead", "contact"]);

const authorSchema = z.looseObject({
  type: z.string(),
  id: idSchema.nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
});

const partSchema = z.looseObject({
  id: idSchema,
  part_type: z.string().nullish(),
  body: z.string().nullish(),
  created_at: z.number().nullish(),
  author: authorSchema,
});

const contactsSchema = z.looseObject({
  contacts: z.array(z.looseObject({ id: idSchema, email: z.string().nullish() })),
});

const tagsSchema = z.looseObject({ tags: z.array(z.looseObject({ name: z.string() })) });

const envelopeSchema = z.looseObject({
  type: z.literal("notification_event"),
  topic: z.string().min(1),
  data: z.looseObject({ item: z.unknown() }),
});

const conversationSchema = z.looseObject({
  type: z.literal("conversation"),
  id: idSchema,
  created_at: z.number().nullish(),
  title: z.string().nullish(),
  priority: z.string().nullish(),
  source: z.looseObject({
    subject: z.string().nullish(),
    body: z.string().nullish(),
    author: authorSchema,
  }),
  contacts: contactsSchema.nullish(),
  tags: tagsSchema.nullish(),
  conversation_parts: z.looseObject({ conversation_parts: z.array(partSchema) }).nullish(),
});

const ticketSchema = z.looseObject({
  type: z.literal("ticket"),
  id: idSchema,
  ticket_id: idSchema.nullish(),
  category: z.string().nullish(),
  created_at: z.number().nullish(),
  ticket_attributes: z.looseObject({
    _default_title_: z.string().nullish(),
    _default_description_: z.string().nullish(),
  }),
  contacts: contactsSchema,
  ticket_parts: z.looseObject({ ticket_parts: z.array(partSchema) }).nullish(),
  tags: tagsSchema.nullish(),
});

/** Intercom only flags a conversation as priority or not. */
const priorityOf = (value: string | null | undefined): Priority | undefined => (value === "priority" ? "high" : undefined);

/** Shifts zod paths under `data.item`, where the item sits in the notification. */
function underItem(result: ReturnType<typeof invalid>) {
  if (result.kind !== "invalid") return result;
  return invalid(...result.fields.map((f) => ({ path: f.path === "(root)" ? "data.item" : `data.item.${f.path}`, message: f.message })));
}

function mapPayload(payload: unknown) {
  const envelope = parse(envelopeSchema, payload);
  if (!envelope.ok) return envelope.result;
  const { topic, data } = envelope.data;
  if (!(INTERCOM_TOPICS as readonly string[]).includes(topic)) return ignored(`Intercom topic ${topic} is not triaged`);

  if (topic === "ticket.created") {
    const p = parse(ticketSchema, data.item);
    if (!p.ok) return underItem(p.result);
    const t = p.data;
    if (t.category && t.category !== "Customer") return ignored(`${t.category} ticket (no customer to answer)`);
    const contact = t.contacts.contacts[0];
    if (!contact) return invalid({ path: "data.item.contacts.contacts", message: "the ticket has no contact" });
    const customerPart = t.ticket_parts?.ticket_parts.find((part) => CUSTOMER_TYPES.has(part.author.type) && part.body);
    const title = t.ticket_attributes._default_title_;
    const body = bodyText(t.ticket_attributes._default_description_, true) || bodyText(customerPart?.body, true) || bodyText(title, true);
    if (!body) return invalid({ path: "data.item.ticket_attributes._default_description_", message: "the ticket has neither a description nor a title" });
    const partEmail = t.ticket_parts?.ticket_parts.find((part) => CUSTOMER_TYPES.has(part.author.type) && part.author.email);
    const email = contact.email ?? partEmail?.author.email;
    return toTicket({
      id: t.id,
      conversationId: t.id,
      subject: title ? bodyText(title, true) : null,
      body,
      email,
      emailPath: contact.email ? "data.item.contacts.contacts.0.email" : "data.item.ticket_parts.ticket_parts.author.email",
      placeholder: ["intercom", "contact", contact.id],
      name: partEmail?.author.name ?? customerPart?.author.name,
      tags: t.tags?.tags.map((tag) => tag.name),
      createdAt: t.created_at,
      refs: { kind: "ticket", contactId: contact.id, ticketNumber: t.ticket_id ?? undefined },
    });
  }

  const p = parse(conversationSchema, data.item);
  if (!p.ok) return underItem(p.result);
  const c = p.data;
  const subject = c.title || (c.source.subject ? bodyText(c.source.subject, true) : null);

  if (topic === "conversation.user.created") {
    const author = c.source.author;
    if (!CUSTOMER_TYPES.has(author.type)) return ignored(`conversation started by ${author.type === "admin" ? "an admin" : `a ${author.type}`}`);
    return toTicket({
      id: c.id,
      conversationId: c.id,
      subject,
      body: bodyText(c.source.body, true),
      email: author.email ?? c.contacts?.contacts[0]?.email,
      emailPath: "data.item.source.author.email",
      placeholder: author.id ? ["intercom", "contact", author.id] : undefined,
      name: author.name,
      priority: priorityOf(c.priority),
      tags: c.tags?.tags.map((tag) => tag.name),
      createdAt: c.created_at,
      refs: { kind: "conversation", contactId: author.id ?? c.contacts?.contacts[0]?.id },
    });
  }

  // conversation.user.replied: the newest part written by the contact.
  const parts = c.conversation_parts?.conversation_parts ?? [];
  const replies = parts.map((part, index) => ({ part, index })).filter(({ part }) => CUSTOMER_TYPES.has(part.author.type) && (part.body ?? "").trim() !== "");
  const newest = replies.sort((a, b) => (a.part.created_at ?? 0) - (b.part.created_at ?? 0) || a.index - b.index).at(-1);
  if (!newest) return invalid({ path: "data.item.conversation_parts.conversation_parts", message: "no part written by the contact in a user reply" });
  const { part, index } = newest;
  return toTicket({
    id: `${c.id}:msg:${part.id}`,
    conversationId: c.id,
    subject,
    body: bodyText(part.body, true),
    email: part.author.email ?? c.contacts?.contacts[0]?.email,
    emailPath: `data.item.conversation_parts.conversation_parts.${index}.author.email`,
    placeholder: part.author.id ? ["intercom", "contact", part.author.id] : undefined,
    name: part.author.name,
    priority: priorityOf(c.priority),
    tags: c.tags?.tags.map((tag) => tag.name),
    createdAt: part.created_at,
    refs: { kind: "conversation", contactId: part.author.id ?? c.contacts?.contacts[0]?.id },
  });
}

export const intercom: WebhookSource = {
  id: "intercom",
  name: "Intercom",
  deliveryIdHeader: null,
  verify: (d, secret) => verifyHubSha1(d.headers, d.body, secret),
  map: safeMap(mapPayload),
};
