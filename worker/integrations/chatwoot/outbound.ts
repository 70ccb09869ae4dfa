// Chatwoot Application API: one endpoint for both, an outgoing message
// (`private: false`) is the reply and a private message is the internal note.
// Auth: the user's access token in the `api_access_token` header.
// https://www.chatwoot.com/developers/api/#tag/Messages/operation/create-a-new-message-in-a-conversation
// Triage write-back: labels and priority. POST …/conversations/{id}/labels
// `{ labels }` REPLACES the conversation's labels, so they are read first
// (GET …/labels, `payload`) and ours merged in. Priority with
// POST …/conversations/{id}/toggle_priority `{ priority }`: urgent, high,
// medium (our normal) or low.
// https://developers.chatwoot.com/api-reference/conversation-labels/add-labels
// https://developers.chatwoot.com/api-reference/conversation-labels/list-labels
// https://developers.chatwoot.com/api-reference/conversations/toggle-priority
import { type CallContext, callVendor, mergeTags, requireCredentials, seg } from "../common/vendor-http";
import { type OutboundConnector, OutboundError, type OutboundResult, type OutboundTarget, type TriageFields, type TriageWritten } from "../types";

const VENDOR = "Chatwoot";

/** The conversation's API path and the auth header. */
function conversation(ctx: CallContext, target: OutboundTarget): { path: string; headers: Record<string, string> } {
  const c = requireCredentials(VENDOR, ctx.credentials, ["api_access_token"] as const);
  const accountId = (target.refs.accountId || ctx.credentials.account_id || ctx.credentials.accountId || "").trim();
  if (!accountId) throw new OutboundError(`${VENDOR} needs an account id (refs.accountId or the account_id credential)`, null, false);
  return { path: `/api/v1/accounts/${seg(accountId)}/conversations/${seg(target.conversationId)}`, headers: { api_access_token: c.api_access_token } };
}

async function createMessage(ctx: CallContext, target: OutboundTarget, content: string, isPrivate: boolean): Promise<OutboundResult> {
  const { path, headers } = conversation(ctx, target);
  const res = await callVendor<{ id?: number | string }>(
    ctx,
    {
      method: "POST",
      path: `${path}/messages`,
      headers,
      json: { content, message_type: "outgoing", private: isPrivate, content_type: "text" },
    },
    { vendor: VENDOR },
  );
  return { remoteId: String(res?.id ?? target.conversationId) };
}

const PRIORITY = { low: "low", normal: "medium", high: "high", urgent: "urgent" } as const;

async function writeTriage(ctx: CallContext, target: OutboundTarget, fields: TriageFields): Promise<TriageWritten> {
  const { path, headers } = conversation(ctx, target);
  let tags: string[] = [];
  if (fields.tags.length) {
    const current = await callVendor<{ payload?: string[] }>(ctx, { method: "GET", path: `${path}/labels`, headers }, { vendor: VENDOR });
    const labels = mergeTags(Array.isArray(current?.payload) ? current.payload : [], fields.tags);
    const res = await callVendor<{ payload?: string[] }>(ctx, { method: "POST", path: `${path}/labels`, headers, json: { labels } }, { vendor: VENDOR });
    tags = Array.isArray(res?.payload) ? res.payload : labels;
  }
  let priority: string | null = null;
  if (fields.priority) {
    priority = PRIORITY[fields.priority];
    await callVendor(ctx, { method: "POST", path: `${path}/toggle_priority`, headers, json: { priority } }, { vendor: VENDOR });
  }
  return { remoteId: target.conversationId, tags, priority };
}

export const chatwoot: OutboundConnector = {
  id: "chatwoot",
  name: "Chatwoot",
  credentialFields: [
    { key: "api_access_token", label: "Access token (Profile settings)", secret: true },
    { key: "account_id", label: "Account ID", secret: false, placeholder: "1" },
  ],
  defaultBaseUrl: "https://app.chatwoot.com",
  postReply: (ctx, target, body) => createMessage(ctx, target, body, false),
  postInternalNote: (ctx, target, note) => createMessage(ctx, target, note, true),
  triageFields: ["tags", "priority"],
  writeTriage,
};
