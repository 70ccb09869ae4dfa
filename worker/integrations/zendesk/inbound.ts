// Zendesk event webhooks (a webhook subscribed to Zendesk events, not a trigger).
//
// Signing (developer.zendesk.com "Verifying webhook authenticity"):
//   X-Zendesk-Webhook-Signature = base64(HMAC-SHA256(signing secret as UTF-8 bytes,
//   X-Zendesk-Webhook-Signature-Timestamp + raw body)), the timestamp in RFC 3339.
// Delivery id: every request carries x-zendesk-webhook-invocation-id
// ("Anatomy of a webhook request"); it is logged, dedupe uses the ticket id.
//
// Payloads (developer.zendesk.com/api-reference/webhooks/event-types/ticket-events):
//   { type: "zen:event-type:ticket.created", account_id, id, time, subject: "zen:ticket:<id>",
//     zendesk_event_version, detail: { id, subject, description, priority, requester_id,
//     tags, created_at, updated_at, status, via: { channel }, … }, event: {} }
//   ticket.comment_added adds event.comment { id, body, is_public, author { id, is_staff, name } }.
// Ids arrive as strings ("35436"); priority and status may be upper case ("LOW").
//
// The requester's email address is NOT in event payloads: `detail` only has
// `requester_id` (and a comment only its author's id and name). We use the
// placeholder `requester-<id>@zendesk.invalid` and the name "Zendesk user <id>"
// (the comment author's name where the event has one). The outbound connector
// replies on the ticket, so the address is never mailed; refs.requesterId keeps
// the real id for a later lookup (GET /api/v2/users/<id>).
//
// `detail` may come trimmed (Zendesk's own examples send ticket.created with
// only id, status, via and timestamps). Only what the decision needs is
// required: the ticket id, for comment_added the comment, and its id once it
// is to be triaged. A ticket.created without `description` takes the event's
// comment or else the subject as its text; with none of them it is ignored
// (nothing to triage; the customer's later comments still are). Without
// `requester_id` the requester is a placeholder per ticket
// (`ticket-requester-<ticket>@zendesk.invalid`), and a public comment counts as
// the customer's when its author is explicitly not staff (is_staff: false).
import { z } from "zod";
import type { Priority } from "../../domain/types";
import { BASE64_SHA256, bodyText, idSchema, ignored, invalid, matches, parse, safeMap, signature, toTicket, withPrefix } from "../common/inbound";
import { checkTimestamp } from "../common/timestamps";
import type { VerifyFailure, WebhookSource } from "../types";

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

async function verify(headers: Headers, body: Uint8Array, secret: string, now: number): Promise<VerifyFailure | null> {
  const offered = headers.get("x-zendesk-webhook-signature")?.trim();
  const timestamp = headers.get("x-zendesk-webhook-signature-timestamp")?.trim();
  if (!offered) return "missing signature";
  if (!timestamp) return "missing timestamp";
  if (!RFC3339.test(timestamp)) return "malformed timestamp";
  const ms = Date.parse(timestamp.replace(/(\.\d{3})\d+/, "$1"));
  if (!Number.isFinite(ms)) return "malformed timestamp";
  const stale = checkTimestamp(Math.floor(ms / 1000), now);
  if (stale) return stale;
  if (!BASE64_SHA256.test(offered)) return "malformed signature";
  return matches(offered, await signature("SHA-256", secret, withPrefix(timestamp, body), "base64"));
}

const PRIORITIES: Record<string, Priority> = { low: "low", normal: "normal", high: "high", urgent: "urgent" };

const detailSchema = z.looseObject({
  id: idSchema,
  subject: z.string().nullish(),
  description: z.string().nullish(),
  priority: z.string().nullish(),
  requester_id: idSchema.nullish(),
  tags: z.array(z.string()).nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
});

const envelopeSchema = z.looseObject({
  type: z.string().regex(/^zen:event-type:/, "not a Zendesk event type (zen:event-type:…)"),
});

const commentSchema = z.looseObject({
  id: idSchema.nullish(),
  body: z.string().nullish(),
  is_public: z.boolean().nullish(),
  author: z
    .looseObject({
      id: idSchema.nullish(),
      is_staff: z.boolean().nullish(),
      name: z.string().nullish(),
    })
    .nullish(),
  /**
   * Zendesk's event payloads do not list a comment's files (each comes as its own
   * attachment_linked_to_comment event, not triaged); a payload built from the
   * API's comment object does, in its Attachment shape, and those are kept as metadata.
   */
  attachments: z
    .array(
      z.looseObject({
        file_name: z.string().nullish(),
        content_type: z.string().nullish(),
        content_url: z.string().nullish(),
        size: z.number().nullish(),
        inline: z.boolean().nullish(),
      }),
    )
    .nullish(),
});
type Comment = z.output<typeof commentSchema>;

/** A comment's files as metadata. */
const attachmentsOf = (comment: Comment | null | undefined) =>
  comment?.attachments?.map((f) => ({ name: f.file_name, contentType: f.content_type, size: f.size, url: f.content_url, inline: f.inline }));

const ticketEventSchema = z.looseObject({
  detail: detailSchema,
  event: z.looseObject({ comment: commentSchema.nullish() }).nullish(),
});

function mapPayload(payload: unknown) {
  const envelope = parse(envelopeSchema, payload);
  if (!envelope.ok) return envelope.result;
  const type = envelope.data.type;

  if (type === "zen:event-type:ticket.created") {
    const p = parse(ticketEventSchema, payload);
    if (!p.ok) return p.result;
    const d = p.data.detail;
    const comment = p.data.event?.comment;
    const body = bodyText(d.description, false) || (comment?.is_public !== false ? bodyText(comment?.body, false) : "") || bodyText(d.subject, false);
    if (!body) return ignored("ticket.created without a description, a comment or a subject: nothing to triage");
    const requester = d.requester_id;
    return toTicket({
      id: d.id,
      conversationId: d.id,
      subject: d.subject,
      body,
      emailPath: "detail.requester_id",
      placeholder: requester ? ["zendesk", "requester", requester] : ["zendesk", "ticket-requester", d.id],
      name: requester ? `Zendesk user ${requester}` : `Zendesk requester of ticket ${d.id}`,
      priority: PRIORITIES[d.priority?.toLowerCase() ?? ""],
      tags: d.tags ?? undefined,
      createdAt: d.created_at,
      refs: { requesterId: requester },
      attachments: comment?.is_public !== false ? attachmentsOf(comment) : undefined,
    });
  }

  if (type === "zen:event-type:ticket.comment_added") {
    const p = parse(ticketEventSchema, payload);
    if (!p.ok) return p.result;
    const d = p.data.detail;
    const comment = p.data.event?.comment;
    if (!comment) return invalid({ path: "event.comment", message: "a comment_added event without its comment" });
    if (comment.is_public === false) return ignored("private comment (internal note)");
    const author = comment.author;
    if (author?.is_staff) return ignored("comment by an agent");
    if (d.requester_id) {
      if (author?.id !== d.requester_id) return ignored("comment by someone other than the requester");
    } else if (author?.is_staff !== false) {
      return ignored("no requester_id and no is_staff: cannot tell whether the customer wrote the comment");
    }
    // The comment that opens a ticket also raises comment_added; ticket.created
    // already carries it as `description`. A ticket not updated since it was
    // created is in that state.
    if (d.created_at && d.created_at === d.updated_at) return ignored("first comment of a new ticket (sent as ticket.created)");
    if (comment.id == null) return invalid({ path: "event.comment.id", message: "the comment's id is missing (it keys the new message)" });
    const requester = d.requester_id ?? author?.id;
    return toTicket({
      id: `${d.id}:msg:${comment.id}`,
      conversationId: d.id,
      subject: d.subject,
      body: bodyText(comment.body, false),
      emailPath: "detail.requester_id",
      placeholder: requester ? ["zendesk", "requester", requester] : ["zendesk", "ticket-requester", d.id],
      name: author?.name || (requester ? `Zendesk user ${requester}` : `Zendesk requester of ticket ${d.id}`),
      priority: PRIORITIES[d.priority?.toLowerCase() ?? ""],
      tags: d.tags ?? undefined,
      createdAt: d.updated_at,
      refs: { requesterId: requester ?? undefined },
      attachments: attachmentsOf(comment),
    });
  }

  return ignored(`Zendesk event ${type.slice("zen:event-type:".length)} is not triaged`);
}

export const zendesk: WebhookSource = {
  id: "zendesk",
  name: "Zendesk",
  deliveryIdHeader: "x-zendesk-webhook-invocation-id",
  verify: (d, secret) => verify(d.headers, d.body, secret, d.now),
  map: safeMap(mapPayload),
};
