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
//   contacts { type: "contact.list", contacts: [{ type: "contact", id, external_id }] }, tags { tags: [{ id, name }] },
//   conversation_parts { conversation_parts: [{ id, part_type, body (HTML), created_at, author { … } }] } }
// Also read: `contacts` as a bare array of contacts, and the API 1.x shape
// (webhook models 1.x) with `conversation_message` { subject, body, author { type, id } }
// instead of `source` and the customer as `user` { type, id, name, email } (email often "").
// Ticket: { type: "ticket", id, ticket_id, category: "Customer" | "Back-office" | "Tracker",
//   ticket_attributes { _default_title_, _default_description_ }, contacts { contacts: [...] } (or an array),
//   ticket_parts { ticket_parts: [...] }, created_at }
//
// Triaged topics: conversation.user.created and ticket.created (new tickets,
// id = conversation/ticket id), conversation.user.replied and
// ticket.contact.replied (a customer's reply on a ticket) as new customer
// messages, id = `<conversation or ticket>:msg:<part>`. Admin replies, notes,
// assignments and the setup "ping" are ignored. The replying admin's id is not
// in these payloads (the outbound connector takes it from its credentials);
// refs.kind tells it whether to reply on /conversations or /tickets.
import { z } from "zod";
import type { Priority } from "../../domain/types";
import { bodyText, idSchema, ignored, invalid, parse, safeMap, toTicket, verifyHubSha1 } from "../common/inbound";
import type { WebhookSource } from "../types";

const INTERCOM_TOPICS = ["conversation.user.created", "conversation.user.replied", "ticket.created", "ticket.contact.replied"] as const;

/** Author types of contacts (the customer side); admins, bots and teams are not. */
const CUSTOMER_TYPES = new Set(["user", "lead", "contact"]);

const authorSchema = z.looseObject({
  type: z.string(),
  id: idSchema.nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
});

/** Files on a message or part: { type: "upload", name, url, content_type, filesize, width, height } (kept as metadata, never fetched). */
const attachmentsSchema = z
  .array(
    z.looseObject({
      name: z.string().nullish(),
      url: z.string().nullish(),
      content_type: z.string().nullish(),
      filesize: z.number().nullish(),
    }),
  )
  .nullish();

const attachmentsOf = (files: z.output<typeof attachmentsSchema>) =>
  files?.map((f) => ({ name: f.name, contentType: f.content_type, size: f.filesize, url: f.url }));

const partSchema = z.looseObject({
  id: idSchema,
  part_type: z.string().nullish(),
  body: z.string().nullish(),
  created_at: z.number().nullish(),
  author: authorSchema,
  attachments: attachmentsSchema,
});

const contactSchema = z.looseObject({ id: idSchema, email: z.string().nullish() });

/** The list object of API 2.x ({ type: "contact.list", contacts: [...] }) or a bare array; read as the array. */
const contactsSchema = z.union([z.looseObject({ contacts: z.array(contactSchema) }).transform((list) => list.contacts), z.array(contactSchema)]);

/** The opening message: `source` (2.x) or `conversation_message` (1.x). */
const messageSchema = z.looseObject({
  subject: z.string().nullish(),
  body: z.string().nullish(),
  author: authorSchema,
  attachments: attachmentsSchema,
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
  source: messageSchema.nullish(),
  conversation_message: messageSchema.nullish(),
  /** 1.x: the customer of the conversation. */
  user: authorSchema.partial().nullish(),
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

type Part = z.output<typeof partSchema>;
type Author = z.output<typeof authorSchema>;
type Conversation = z.output<typeof conversationSchema>;

/** The newest part written by the contact with some text or a file, and its index (for error paths). */
function newestCustomerPart(parts: Part[]): { part: Part; index: number } | undefined {
  const replies = parts
    .map((part, index) => ({ part, index }))
    .filter(({ part }) => CUSTOMER_TYPES.has(part.author.type) && ((part.body ?? "").trim() !== "" || !!part.attachments?.length));
  return replies.sort((a, b) => (a.part.created_at ?? 0) - (b.part.created_at ?? 0) || a.index - b.index).at(-1);
}

/**
 * Who wrote a conversation message: the author's own name and address, else
 * the 1.x `user` (the same person when the ids agree), else the contact.
 */
function customerOf(author: Author, c: Conversation, authorPath: string) {
  const user = c.user && (!author.id || !c.user.id || c.user.id === author.id) ? c.user : null;
  const contact = c.contacts?.find((x) => x.id === author.id) ?? c.contacts?.[0];
  const email = author.email || user?.email || contact?.email;
  const emailPath = author.email ? `${authorPath}.email` : user?.email ? "data.item.user.email" : "data.item.contacts";
  const id = author.id ?? user?.id ?? contact?.id;
  return { email, emailPath, name: author.name || user?.name, id };
}

function mapPayload(payload: unknown) {
  const envelope = parse(envelopeSchema, payload);
  if (!envelope.ok) return envelope.result;
  const { topic, data } = envelope.data;
  if (!(INTERCOM_TOPICS as readonly string[]).includes(topic)) return ignored(`Intercom topic ${topic} is not triaged`);

  if (topic === "ticket.created" || topic === "ticket.contact.replied") {
    const p = parse(ticketSchema, data.item);
    if (!p.ok) return underItem(p.result);
    const t = p.data;
    if (t.category && t.category !== "Customer") return ignored(`${t.category} ticket (no customer to answer)`);
    const contact = t.contacts[0];
    const parts = t.ticket_parts?.ticket_parts ?? [];
    const title = t.ticket_attributes._default_title_;
    const subject = title ? bodyText(title, true) : null;
    const ticketNumber = t.ticket_id ?? undefined;

    if (topic === "ticket.contact.replied") {
      const newest = newestCustomerPart(parts);
      if (!newest) return invalid({ path: "data.item.ticket_parts.ticket_parts", message: "no part written by the contact in a contact reply" });
      const { part, index } = newest;
      const contactId = part.author.id ?? contact?.id;
      return toTicket({
        id: `${t.id}:msg:${part.id}`,
        conversationId: t.id,
        subject,
        body: bodyText(part.body, true),
        email: part.author.email || contact?.email,
        emailPath: part.author.email ? `data.item.ticket_parts.ticket_parts.${index}.author.email` : "data.item.contacts",
        placeholder: contactId ? ["intercom", "contact", contactId] : undefined,
        name: part.author.name,
        tags: t.tags?.tags.map((tag) => tag.name),
        createdAt: part.created_at,
        refs: { kind: "ticket", contactId, ticketNumber },
        attachments: attachmentsOf(part.attachments),
      });
    }

    if (!contact) return invalid({ path: "data.item.contacts", message: "the ticket has no contact" });
    const customerPart = parts.find((part) => CUSTOMER_TYPES.has(part.author.type) && part.body);
    const body = bodyText(t.ticket_attributes._default_description_, true) || bodyText(customerPart?.body, true) || bodyText(title, true);
    if (!body) return invalid({ path: "data.item.ticket_attributes._default_description_", message: "the ticket has neither a description nor a title" });
    const partEmail = parts.find((part) => CUSTOMER_TYPES.has(part.author.type) && part.author.email);
    const email = contact.email ?? partEmail?.author.email;
    return toTicket({
      id: t.id,
      conversationId: t.id,
      subject,
      body,
      email,
      emailPath: contact.email ? "data.item.contacts" : "data.item.ticket_parts.ticket_parts.author.email",
      placeholder: ["intercom", "contact", contact.id],
      name: partEmail?.author.name ?? customerPart?.author.name,
      tags: t.tags?.tags.map((tag) => tag.name),
      createdAt: t.created_at,
      refs: { kind: "ticket", contactId: contact.id, ticketNumber },
      attachments: attachmentsOf(customerPart?.attachments),
    });
  }

  const p = parse(conversationSchema, data.item);
  if (!p.ok) return underItem(p.result);
  const c = p.data;
  const opening = c.source ?? c.conversation_message;
  const openingPath = c.source ? "data.item.source" : "data.item.conversation_message";
  const subject = c.title || (opening?.subject ? bodyText(opening.subject, true) : null);

  if (topic === "conversation.user.created") {
    if (!opening) return invalid({ path: "data.item.source", message: "the conversation has neither `source` nor `conversation_message`" });
    const author = opening.author;
    if (!CUSTOMER_TYPES.has(author.type)) return ignored(`conversation started by ${author.type === "admin" ? "an admin" : `a ${author.type}`}`);
    const who = customerOf(author, c, `${openingPath}.author`);
    return toTicket({
      id: c.id,
      conversationId: c.id,
      subject,
      body: bodyText(opening.body, true),
      email: who.email,
      emailPath: who.emailPath,
      placeholder: who.id ? ["intercom", "contact", who.id] : undefined,
      name: who.name,
      priority: priorityOf(c.priority),
      tags: c.tags?.tags.map((tag) => tag.name),
      createdAt: c.created_at,
      refs: { kind: "conversation", contactId: who.id },
      attachments: attachmentsOf(opening.attachments),
    });
  }

  // conversation.user.replied: the newest part written by the contact.
  const newest = newestCustomerPart(c.conversation_parts?.conversation_parts ?? []);
  if (!newest) return invalid({ path: "data.item.conversation_parts.conversation_parts", message: "no part written by the contact in a user reply" });
  const { part, index } = newest;
  const who = customerOf(part.author, c, `data.item.conversation_parts.conversation_parts.${index}.author`);
  return toTicket({
    id: `${c.id}:msg:${part.id}`,
    conversationId: c.id,
    subject,
    body: bodyText(part.body, true),
    email: who.email,
    emailPath: who.emailPath,
    placeholder: who.id ? ["intercom", "contact", who.id] : undefined,
    name: who.name,
    priority: priorityOf(c.priority),
    tags: c.tags?.tags.map((tag) => tag.name),
    createdAt: part.created_at,
    refs: { kind: "conversation", contactId: who.id },
    attachments: attachmentsOf(part.attachments),
  });
}

export const intercom: WebhookSource = {
  id: "intercom",
  name: "Intercom",
  deliveryIdHeader: null,
  verify: (d, secret) => verifyHubSha1(d.headers, d.body, secret),
  map: safeMap(mapPayload),
};
