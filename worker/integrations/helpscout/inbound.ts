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
// A conversation without threads (the official PHP SDK's webhook test body:
// `threads` is then their count, `primaryCustomer` only an id) is completed by
// intake through the Mailbox API (GET /v2/conversations/<id>/threads, the
// outbound app's OAuth token): the map answers `fetch`, see worker/intake/intake.ts.
//
// Triaged: convo.created (new ticket) and convo.customer.reply.created (new
// customer message, id = `<conversation>:msg:<thread>`). The conversation's
// first customer thread is keyed by the conversation id in BOTH events, so one
// message delivered as both makes one task; refs.messageId (the thread id) lets
// intake's same-message check catch it too.
// refs.customerId: the outbound reply (POST /v2/conversations/<id>/reply) needs it.
import { z } from "zod";
import { BASE64_SHA1, bodyText, fullName, idSchema, ignored, invalid, matches, parse, safeMap, signature, toTicket } from "../common/inbound";
import { seg } from "../common/vendor-http";
import { type MapResult, type OutboundContext, OutboundError, type VerifyFailure, type WebhookSource } from "../types";
import { authorized } from "./outbound";

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
  /** A thread's files: { id, filename, mimeType, size, width, height, _links { data, web } } (metadata kept, never fetched). */
  _embedded: z
    .looseObject({
      attachments: z
        .array(
          z.looseObject({
            filename: z.string().nullish(),
            mimeType: z.string().nullish(),
            size: z.number().nullish(),
            _links: z.looseObject({ web: z.looseObject({ href: z.string() }).nullish(), data: z.looseObject({ href: z.string() }).nullish() }).nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
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
  _embedded: z.looseObject({ threads: z.array(threadSchema).nullish() }).nullish(),
  threads: z.union([z.number(), z.array(threadSchema)]).nullish(),
});
type Conversation = z.output<typeof conversationSchema>;

/** One page of GET /v2/conversations/<id>/threads (50 a page, newest first; `_embedded` absent when empty). */
const threadPageSchema = z.looseObject({
  _embedded: z.looseObject({ threads: z.array(threadSchema) }).nullish(),
  page: z.looseObject({ totalPages: z.number().int().nonnegative() }).nullish(),
});

/** Pages read at most for a conversation's first customer thread (its oldest pages come last). */
const MAX_THREAD_PAGES = 4;

/** A published thread written by the customer (an email, or a chat/phone message from them). */
function isCustomerThread(t: Thread): boolean {
  if (t.state && t.state !== "published") return false;
  if (t.type === "customer") return true;
  return ["chat", "beaconchat", "phone"].includes(t.type) && t.createdBy?.type === "customer";
}

const nameOf = (p: Person | null | undefined) => fullName(p?.first ?? p?.firstName, p?.last ?? p?.lastName);

/**
 * The conversation's threads through the Mailbox API: the first page (the
 * newest), and for the first customer thread also the last pages, oldest
 * first, until one has a customer thread. Returned newest first, as embedded,
 * with whether the conversation's first customer thread is among them for sure.
 */
async function fetchThreads(ctx: OutboundContext, conversationId: string, want: "first" | "newest"): Promise<{ threads: Thread[]; firstKnown: boolean }> {
  const pageOf = async (n: number) => {
    const res = await authorized(ctx, { method: "GET", path: `/v2/conversations/${seg(conversationId)}/threads?page=${n}` });
    const page = threadPageSchema.safeParse(res.body);
    if (!page.success) throw new OutboundError(`Help Scout answered the threads of conversation ${conversationId} in an unexpected shape`, res.status, false);
    return { threads: page.data._embedded?.threads ?? [], pages: page.data.page?.totalPages ?? 1 };
  };
  const first = await pageOf(1);
  const pages = new Map([[1, first.threads]]);
  let firstKnown = first.pages <= 1;
  if (want === "first") {
    for (let n = first.pages; n > 1 && pages.size < MAX_THREAD_PAGES; n--) {
      const page = await pageOf(n);
      pages.set(n, page.threads);
      // Every page older than this one was read: its oldest customer thread is the first.
      if (page.threads.some(isCustomerThread) || n === 2) {
        firstKnown = true;
        break;
      }
    }
  }
  return { threads: [...pages.entries()].sort(([a], [b]) => a - b).flatMap(([, threads]) => threads), firstKnown };
}

function mapPayload(payload: unknown, headers: Headers): MapResult {
  const event = headers.get("x-helpscout-event")?.trim();
  if (!event) return invalid({ path: "(header) X-HelpScout-Event", message: "missing: Help Scout names the event in this header" });
  if (!(HELPSCOUT_EVENTS as readonly string[]).includes(event)) return ignored(`Help Scout event ${event} is not triaged`);

  const p = parse(conversationSchema, payload);
  if (!p.ok) return p.result;
  const c = p.data;
  const isReply = event === "convo.customer.reply.created";
  if (c._embedded?.threads) return mapConversation(c, isReply, c._embedded.threads, "_embedded.threads");
  if (Array.isArray(c.threads)) return mapConversation(c, isReply, c.threads, "threads");
  return {
    kind: "fetch",
    missing: "the conversation's threads",
    complete: async (ctx) => {
      const fetched = await fetchThreads(ctx, c.id, isReply ? "newest" : "first");
      return mapConversation(c, isReply, fetched.threads, "(fetched threads)", fetched.firstKnown);
    },
  };
}

/**
 * The ticket from the conversation and its threads (newest first, as Help
 * Scout lists them). `firstKnown`: the threads surely include the
 * conversation's first customer thread (all of them, or its oldest pages).
 */
function mapConversation(c: Conversation, isReply: boolean, threads: Thread[], threadsPath: string, firstKnown = true): MapResult {
  // Order by time, oldest first; without timestamps fall back to Help Scout's newest-first order.
  const ordered = threads
    .map((t, index) => ({ t, index, at: Date.parse(t.createdAt ?? "") }))
    .sort((a, b) => (Number.isFinite(a.at) && Number.isFinite(b.at) && a.at !== b.at ? a.at - b.at : b.index - a.index))
    .map((x) => x.t)
    .filter(isCustomerThread);

  const thread = isReply ? ordered.at(-1) : ordered[0];
  if (!thread) {
    if (isReply) return invalid({ path: threadsPath, message: "no customer thread in a customer reply" });
    return ignored("conversation started by an agent (no customer thread)");
  }

  const primary = c.primaryCustomer ?? c.customer;
  const author = thread.customer ?? (thread.createdBy?.type === "customer" ? thread.createdBy : null);
  const customerId = primary?.id ?? author?.id;
  if (!customerId) return invalid({ path: "primaryCustomer.id", message: "the customer id is missing (the reply needs it)" });
  const requester = author?.email ? author : primary;
  const threadPath = `${threadsPath}.${threads.indexOf(thread)}`;
  const authorPath = `${threadPath}.${thread.customer ? "customer" : "createdBy"}.email`;
  const tags = (c.tags ?? []).map((t) => (typeof t === "string" ? t : (t.tag ?? t.name)));

  return toTicket({
    // The first customer thread is the conversation itself, whichever event brought it.
    id: !isReply || (thread === ordered[0] && firstKnown) ? c.id : `${c.id}:msg:${thread.id}`,
    conversationId: c.id,
    subject: c.subject,
    body: bodyText(thread.body, true),
    email: requester?.email,
    emailPath: requester === primary ? (c.primaryCustomer ? "primaryCustomer.email" : "customer.email") : authorPath,
    name: nameOf(requester) || nameOf(primary),
    tags: tags.filter((t): t is string => !!t),
    createdAt: isReply ? thread.createdAt : (c.createdAt ?? thread.createdAt),
    refs: { customerId, conversationNumber: c.number != null ? String(c.number) : undefined, messageId: thread.id },
    attachments: thread._embedded?.attachments?.map((f) => ({
      name: f.filename,
      contentType: f.mimeType,
      size: f.size,
      url: f._links?.web?.href ?? f._links?.data?.href,
    })),
  });
}

export const helpscout: WebhookSource = {
  id: "helpscout",
  name: "Help Scout",
  deliveryIdHeader: null,
  verify: (d, secret) => verify(d.headers, d.body, secret),
  map: safeMap(mapPayload),
};
