// Zammad: both are ticket articles (POST /api/v1/ticket_articles): an email
// article to the requester for the reply, an internal note for the note.
// Auth: `Authorization: Token token={access token}`.
// https://docs.zammad.org/en/latest/api/ticket/articles.html
// https://docs.zammad.org/en/latest/api/intro.html#authentication
// Triage write-back: one POST /api/v1/tags/add `{ item, object: "Ticket", o_id }`
// per tag (adds, creating the tag if the token's user may), then the priority
// by name with PUT /api/v1/tickets/{id} `{ priority: "3 high" }`. Zammad's
// default priorities are "1 low", "2 normal" and "3 high": urgent becomes
// "3 high". An instance that renamed its priorities answers 422 (not retried).
// https://docs.zammad.org/en/latest/api/ticket/tags.html
// https://docs.zammad.org/en/latest/api/ticket/index.html#update
import { type CallContext, callVendor, numericOr, requireCredentials, seg } from "../common/vendor-http";
import { type OutboundConnector, OutboundError, type OutboundResult, type OutboundTarget, type TriageFields, type TriageWritten } from "../types";

const VENDOR = "Zammad";

async function createArticle(ctx: CallContext, target: OutboundTarget, body: string, kind: "email" | "note"): Promise<OutboundResult> {
  const c = requireCredentials(VENDOR, ctx.credentials, ["token"] as const);
  if (kind === "email" && !target.requesterEmail) throw new OutboundError(`${VENDOR} email reply needs the requester email`, null, false);
  const res = await callVendor<{ id?: number }>(
    ctx,
    {
      method: "POST",
      path: "/api/v1/ticket_articles",
      headers: { authorization: `Token token=${c.token}` },
      json: {
        ticket_id: numericOr(target.conversationId),
        body,
        content_type: "text/plain",
        type: kind,
        internal: kind === "note",
        ...(kind === "email" ? { to: target.requesterEmail } : {}),
      },
    },
    { vendor: VENDOR },
  );
  return { remoteId: String(res?.id ?? target.conversationId) };
}

const PRIORITY = { low: "1 low", normal: "2 normal", high: "3 high", urgent: "3 high" } as const;

async function writeTriage(ctx: CallContext, target: OutboundTarget, fields: TriageFields): Promise<TriageWritten> {
  const c = requireCredentials(VENDOR, ctx.credentials, ["token"] as const);
  const headers = { authorization: `Token token=${c.token}` };
  const ticketId = numericOr(target.conversationId);
  for (const item of fields.tags) {
    await callVendor(ctx, { method: "POST", path: "/api/v1/tags/add", headers, json: { item, object: "Ticket", o_id: ticketId } }, { vendor: VENDOR });
  }
  let priority: string | null = null;
  if (fields.priority) {
    priority = PRIORITY[fields.priority];
    await callVendor(ctx, { method: "PUT", path: `/api/v1/tickets/${seg(target.conversationId)}`, headers, json: { priority } }, { vendor: VENDOR });
  }
  return { remoteId: String(ticketId), tags: fields.tags, priority };
}

export const zammad: OutboundConnector = {
  id: "zammad",
  name: "Zammad",
  credentialFields: [{ key: "token", label: "Access token (Profile › Token Access, permission ticket.agent)", secret: true }],
  defaultBaseUrl: "https://{your-zammad}",
  postReply: (ctx, target, body) => createArticle(ctx, target, body, "email"),
  postInternalNote: (ctx, target, note) => createArticle(ctx, target, note, "note"),
  triageFields: ["tags", "priority"],
  writeTriage,
};
