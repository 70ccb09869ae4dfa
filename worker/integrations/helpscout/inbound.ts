// Help Scout webhooks (developer.helpscout.com/webhooks).
//
// Signing: X-HelpScout-Signature = base64(HMAC-SHA1(secret, raw body)). The
// scheme has no timestamp, so there is no replay window to enforce; dedupe on
// the ticket id keeps a replay from creating a second task.
// X-HelpScout-Event names the event; there is no delivery id header.
//
// Payload: the Mailbox API 2.0 conversation object for convo.* events:
//   { id, number, subject, preview, status, createdAt, createdBy { id, type, email, first, last },
//     primaryCustomer { id, type: "customer", first, last, email }, tags: [{ id, color, tag }],
//     _embedded: { threads: [{ id, type: "customer" | "message" | "note" | "lineitem" | "chat" | "phone",
//       state, body (HTML), createdAt, createdBy { id, type: "customer" | "user", … }, customer { … } }] } }
// Threads come newest first. Payloads of the legacy format (threads[] at the
// top level, customer { firstName, lastName }, tags as strings) are read too.
//
// Triaged: convo.created (new ticket, id = conversation id) and
// convo.customer.reply.created (new customer message, id = `<conversation>:msg:<thread>`).
// refs.customerId: the outbound reply (POST /v2/conversations/<id>/reply) needs it.
import { z } from "zod";
import { BASE64_SHA1, bodyText, fullName, idSchema, ignored, invalid, matches, parse, safeMap, signature, toTicket } from "../common/inbound";
import type { VerifyFailure, WebhookSource } from "../types";

async function verify(headers: Headers, body: Uint8Array, secret: string): Promise<VerifyFailure | null> {
  const offered = headers.get("x-helpscout-signature")?.trim();
  if (!offered) return "missing signature";
  if (!BASE64_SHA1.test(offered)) return "malformed signature";
  return matches(offered, await signature("SHA-1", secret, body, "base64"));
}

const HELPSCOUT_EVENTS = ["convo.created", "convo.customer.reply.created"] as const;

const personSchema = z.looseObject({
  id: idSchema.nullish(),
  type: z.string().nullish(),
  email: z.string().nullish(),
  first: z.string().nullish(),
  last: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
});
type Person = z.output<typeof personSchema>;

const threadSchema = z.looseObject({
  id: idSchema,
  type: z.string(),
  state: z.string().nullish(),
  body: z.string().nullish(),
  createdAt: z.string().nullish(),
  createdBy: personSchema.nullish(),
  customer: personSchema.nullish(),
});
type Thread = z.output<typeof threadSchema>;

const conversationSchema = z.looseObject({
  id: idSchema,
  number: z.number().int().nullish(),
  subject: z.string().nullish(),
  createdAt: z.string().nullish(),
  primaryCustomer: personSchema.nullish(),
  customer: personSchema.nullish(),
  tags: z.array(z.union([z.string(), z.looseObject({ tag: z.string().nullish(), name: z.string().nullish() })])).nullish(),
  _embedded: z.looseObject({ threads: z.array(threadSchema) }).nullish(),
  threads: z.union([z.number(), z.array(threadSchema)]).nullish(),
});

/** A published thread written by the customer (an email, or a chat/phone message from them). */
function isCustomerThread(t: Thread): boolean {
  if (t.state && t.state !== "published") return false;
  if (t.type === "customer") return true;
  return ["chat", "beaconchat", "phone"].includes(t.type) && t.createdBy?.type === "customer";
}

const nameOf = (p: Person | null | undefined) => fullName(p?.first ?? p?.firstName, p?.last ?? p?.lastName);

function mapPayload(payload: unknown, headers: Headers) {
  const event = headers.get("x-helpscout-event")?.trim();
  if (!event) return invalid({ path: "(header) X-HelpScout-Event", message: "missing: Help Scout names the event in this header" });
  if (!(HELPSCOUT_EVENTS as readonly string[]).includes(event)) return ignored(`Help Scout event ${event} is not triaged`);

  const p = parse(conversationSchema, payload);
  if (!p.ok) return p.result;
  const c = p.data;
  const threads = c._embedded?.threads ?? (Array.isArray(c.threads) ? c.threads : null);
  if (!threads) return invalid({ path: "_embedded.threads", message: "the conversation's threads are missing" });

  // Order by time, oldest first; without timestamps fall back to Help Scout's newest-first order.
  const ordered = threads
    .map((t, index) => ({ t, index, at: Date.parse(t.createdAt ?? "") }))
    .sort((a, b) => (Number.isFinite(a.at) && Number.isFinite(b.at) && a.at !== b.at ? a.at - b.at : b.index - a.index))
    .map((x) => x.t)
    .filter(isCustomerThread);

  const isReply = event === "convo.customer.reply.created";
  const thread = isReply ? ordered.at(-1) : ordered[0];
  if (!thread) {
    if (isReply) return invalid({ path: "_embedded.threads", message: "no customer thread in a customer reply" });
    return ignored("conversation started by an agent (no customer thread)");
  }

  const primary = c.primaryCustomer ?? c.customer;
  const author = thread.customer ?? (thread.createdBy?.type === "customer" ? thread.createdBy : null);
  const customerId = primary?.id ?? author?.id;
  if (!customerId) return invalid({ path: "primaryCustomer.id", message: "the customer id is missing (the reply needs it)" });
  const requester = author?.email ? author : primary;
  const threadPath = `${c._embedded ? "_embedded.threads" : "threads"}.${threads.indexOf(thread)}`;
  const authorPath = `${threadPath}.${thread.customer ? "customer" : "createdBy"}.email`;
  const tags = (c.tags ?? []).map((t) => (typeof t === "string" ? t : (t.tag ?? t.name)));

  return toTicket({
    id: isReply ? `${c.id}:msg:${thread.id}` : c.id,
    conversationId: c.id,
    subject: c.subject,
    body: bodyText(thread.body, true),
    email: requester?.email,
    emailPath: requester === primary ? (c.primaryCustomer ? "primaryCustomer.email" : "customer.email") : authorPath,
    name: nameOf(requester) || nameOf(primary),
    tags: tags.filter((t): t is string => !!t),
    createdAt: isReply ? thread.createdAt : (c.createdAt ?? thread.createdAt),
    refs: { customerId, conversationNumber: c.number != null ? String(c.number) : undefined },
  });
}

export const helpscout: WebhookSource = {
  id: "helpscout",
  name: "Help Scout",
  deliveryIdHeader: null,
  verify: (d, secret) => verify(d.headers, d.body, secret),
  map: safeMap(mapPayload),
};
