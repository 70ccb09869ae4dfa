// Zendesk Support: a public reply or an internal note is a comment added by
// updating the ticket (PUT /api/v2/tickets/{id}, `ticket.comment.public`).
// Auth: a person's delegated OAuth access token as `Bearer` when the delivery
// path passes one (`oauth_access_token`: the comment is then authored by that
// person), otherwise the shared API token as Basic `{email}/token:{api_token}`.
// `oauth_client_id` / `oauth_client_secret` are the account's OAuth client for
// per-person connections (worker/delegation); never sent on API calls.
// https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/
// https://developer.zendesk.com/api-reference/ticketing/introduction/#idempotency
// Triage write-back is the same update: `additional_tags` adds to the ticket's
// tags without replacing them, `priority` is one of low/normal/high/urgent.
// https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-ticket
// https://developer.zendesk.com/documentation/ticketing/managing-tickets/adding-tags-to-tickets-without-overwriting-existing-tags/
import { basicAuth, type CallContext, callVendor, requireCredentials, seg } from "../common/vendor-http";
import type { OutboundConnector, OutboundResult, OutboundTarget, TriageFields, TriageWritten } from "../types";

const VENDOR = "Zendesk";

interface ZendeskUpdateResponse {
  ticket?: { id?: number; tags?: string[]; priority?: string | null };
  audit?: { id?: number; events?: { id?: number; type?: string }[] };
}

function authorization(ctx: CallContext): string {
  const bearer = ctx.credentials.oauth_access_token;
  if (bearer) return `Bearer ${bearer}`;
  const c = requireCredentials(VENDOR, ctx.credentials, ["email", "api_token"] as const);
  return basicAuth(`${c.email}/token`, c.api_token);
}

async function addComment(ctx: CallContext, target: OutboundTarget, body: string, isPublic: boolean): Promise<OutboundResult> {
  const res = await callVendor<ZendeskUpdateResponse>(
    ctx,
    {
      method: "PUT",
      path: `/api/v2/tickets/${seg(target.conversationId)}`,
      headers: {
        authorization: authorization(ctx),
        // Zendesk replays the stored response for a repeated key instead of acting twice.
        "idempotency-key": ctx.idempotencyKey,
      },
      json: { ticket: { comment: { body, public: isPublic } } },
    },
    { vendor: VENDOR },
  );
  // The update answers with the audit that recorded it; its Comment event is our comment.
  const comment = res?.audit?.events?.find((e) => e.type === "Comment" && e.id != null);
  const id = comment?.id ?? res?.audit?.id ?? res?.ticket?.id ?? target.conversationId;
  return { remoteId: String(id) };
}

async function writeTriage(ctx: CallContext, target: OutboundTarget, fields: TriageFields): Promise<TriageWritten> {
  const ticket: Record<string, unknown> = {};
  if (fields.tags.length) ticket.additional_tags = fields.tags;
  if (fields.priority) ticket.priority = fields.priority;
  const res = await callVendor<ZendeskUpdateResponse>(
    ctx,
    {
      method: "PUT",
      path: `/api/v2/tickets/${seg(target.conversationId)}`,
      headers: { authorization: authorization(ctx), "idempotency-key": ctx.idempotencyKey },
      json: { ticket },
    },
    { vendor: VENDOR },
  );
  return {
    remoteId: String(res?.ticket?.id ?? target.conversationId),
    tags: Array.isArray(res?.ticket?.tags) ? res.ticket.tags : fields.tags,
    priority: res?.ticket?.priority ?? fields.priority,
  };
}

export const zendesk: OutboundConnector = {
  id: "zendesk",
  name: "Zendesk",
  credentialFields: [
    { key: "email", label: "Agent email", secret: false, placeholder: "agent@example.com" },
    { key: "api_token", label: "API token", secret: true },
    { key: "oauth_client_id", label: "OAuth client ID (optional: per-person connections)", secret: false, placeholder: "support_triage" },
    { key: "oauth_client_secret", label: "OAuth client secret (optional)", secret: true },
  ],
  defaultBaseUrl: "https://{subdomain}.zendesk.com",
  postReply: (ctx, target, body) => addComment(ctx, target, body, true),
  postInternalNote: (ctx, target, note) => addComment(ctx, target, note, false),
  triageFields: ["tags", "priority"],
  writeTriage,
};
