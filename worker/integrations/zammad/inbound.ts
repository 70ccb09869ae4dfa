// Zammad trigger webhooks (admin-docs.zammad.org "Webhook", "Webhook payload").
//
// Signing: with a signature token set on the webhook, X-Hub-Signature:
// sha1=<hex HMAC-SHA1(token, raw body)>. X-Zammad-Delivery is a unique random
// id per delivery; X-Zammad-Trigger names the trigger. No timestamp.
//
// Payload (default, not customized): { ticket, article }
//   ticket: { id, number, title, state, priority: { id, name: "1 low" | "2 normal" | "3 high" },
//     customer: { id, email, firstname, lastname, … }, customer_id, tags?, created_at,
//     article_count, article_ids, … }
//   article: { id, ticket_id, body, content_type: "text/html" | "text/plain", from: "Name <email>",
//     sender: "Customer" | "Agent" | "System", internal, type, created_at, created_by { … },
//     attachments: [{ id, filename, size (a string of bytes), url (needs a sign-in),
//       preferences { "Content-Type", "Content-Disposition": "inline" for an inline image, "Content-ID" } }] }
// Attachments are kept as metadata (name, type, size, link), never fetched.
// (Older payloads send priority as the plain name; both are read.)
//
// Triaged: a customer article that is the ticket's first (the lowest of
// article_ids, else article_count 1) is a new ticket (id = ticket id); a later customer
// article is a new customer message (id = `<ticket>:msg:<article>`). Internal,
// Agent and System articles, and ticket updates without an article, are ignored.
import { z } from "zod";
import type { Priority } from "../../domain/types";
import { bodyText, fullName, idSchema, ignored, parse, safeMap, toTicket, verifyHubSha1 } from "../common/inbound";
import type { WebhookSource } from "../types";

const userSchema = z.looseObject({
  id: idSchema.nullish(),
  email: z.string().nullish(),
  firstname: z.string().nullish(),
  lastname: z.string().nullish(),
});

const payloadSchema = z.looseObject({
  ticket: z.looseObject({
    id: idSchema,
    number: idSchema.nullish(),
    title: z.string().nullish(),
    priority: z.union([z.looseObject({ name: z.string() }), z.string()]).nullish(),
    customer: userSchema.nullish(),
    customer_id: idSchema.nullish(),
    tags: z.array(z.string()).nullish(),
    created_at: z.string().nullish(),
    article_count: z.number().int().nullish(),
    article_ids: z.array(z.number().int()).nullish(),
  }),
  article: z
    .looseObject({
      id: z.number().int().nonnegative(),
      body: z.string(),
      content_type: z.string().nullish(),
      from: z.string().nullish(),
      sender: z.string(),
      internal: z.boolean(),
      created_at: z.string().nullish(),
      attachments: z
        .array(
          z.looseObject({
            filename: z.string().nullish(),
            size: z.union([z.string(), z.number()]).nullish(),
            url: z.string().nullish(),
            preferences: z.record(z.string(), z.unknown()).nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
});

/** Zammad's default priorities are "1 low", "2 normal", "3 high"; admins can add more. */
function priorityOf(value: { name: string } | string | null | undefined): Priority | undefined {
  const name = (typeof value === "string" ? value : value?.name)?.trim().toLowerCase();
  if (!name) return undefined;
  if (/urgent|critical/.test(name)) return "urgent";
  if (/\bhigh\b/.test(name)) return "high";
  if (/\bnormal\b|\bmedium\b/.test(name)) return "normal";
  if (/\blow\b/.test(name)) return "low";
  const level = /^(\d+)\b/.exec(name)?.[1];
  if (!level) return undefined;
  return (["low", "normal", "high"] as const)[Number(level) - 1] ?? (Number(level) >= 4 ? "urgent" : undefined);
}

/** `"Emily Adams" <emily@example.com>` → its parts. */
function parseFrom(from: string | null | undefined): { name?: string; email?: string } {
  if (!from) return {};
  const angled = /^\s*"?([^"<]*?)"?\s*<([^<>\s]+)>\s*$/.exec(from);
  if (angled) return { name: angled[1]?.trim() || undefined, email: angled[2] };
  return /^\S+@\S+$/.test(from.trim()) ? { email: from.trim() } : { name: from.trim() };
}

function mapPayload(payload: unknown) {
  const p = parse(payloadSchema, payload);
  if (!p.ok) return p.result;
  const { ticket: t, article: a } = p.data;
  if (!a) return ignored("ticket update without an article");
  if (a.internal) return ignored("internal article (note)");
  if (a.sender !== "Customer") return ignored(`article by ${a.sender === "Agent" ? "an agent" : a.sender}`);

  // article_ids is read first: a payload built after a quick second article still
  // shows which article came first; article_count alone would then say 2.
  const ids = t.article_ids ?? [];
  const first = ids.length ? ids.every((id) => a.id <= id) : t.article_count != null ? t.article_count <= 1 : true;
  const from = parseFrom(a.from);
  const customerEmail = t.customer?.email?.trim();
  const customerId = t.customer?.id ?? t.customer_id;
  return toTicket({
    id: first ? t.id : `${t.id}:msg:${a.id}`,
    conversationId: t.id,
    subject: t.title,
    body: bodyText(a.body, (a.content_type ?? "").toLowerCase().startsWith("text/html")),
    email: customerEmail || from.email,
    emailPath: customerEmail ? "ticket.customer.email" : "article.from",
    placeholder: customerId ? ["zammad", "customer", customerId] : undefined,
    name: fullName(t.customer?.firstname, t.customer?.lastname) || from.name,
    priority: priorityOf(t.priority),
    tags: t.tags ?? undefined,
    createdAt: first ? (t.created_at ?? a.created_at) : a.created_at,
    refs: { ticketNumber: t.number ?? undefined, customerId: customerId ?? undefined },
    attachments: a.attachments?.map((f) => {
      const pref = (key: string) => (typeof f.preferences?.[key] === "string" ? (f.preferences[key] as string) : null);
      return {
        name: f.filename,
        contentType: pref("Content-Type") ?? pref("Mime-Type"),
        size: f.size,
        url: f.url,
        inline: pref("Content-Disposition")?.toLowerCase().startsWith("inline") ?? false,
      };
    }),
  });
}

export const zammad: WebhookSource = {
  id: "zammad",
  name: "Zammad",
  deliveryIdHeader: "X-Zammad-Delivery",
  verify: (d, secret) => verifyHubSha1(d.headers, d.body, secret),
  map: safeMap(mapPayload),
};
