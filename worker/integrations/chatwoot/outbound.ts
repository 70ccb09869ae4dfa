// Chatwoot Application API: one endpoint for both, an outgoing message
// (`private: false`) is the reply and a private message is the internal note.
// Auth: the user's access token in the `api_access_token` header.
// https://www.chatwoot.com/developers/api/#tag/Messages/operation/create-a-new-message-in-a-conversation
import { type CallContext, callVendor, requireCredentials, seg } from "../common/vendor-http";
import { type OutboundConnector, OutboundError, type OutboundResult, type OutboundTarget } from "../types";

const VENDOR = "Chatwoot";

async function createMessage(ctx: CallContext, target: OutboundTarget, content: string, isPrivate: boolean): Promise<OutboundResult> {
  const c = requireCredentials(VENDOR, ctx.credentials, ["api_access_token"] as const);
  const accountId = (target.refs.accountId || ctx.credentials.account_id || ctx.credentials.accountId || "").trim();
  if (!accountId) throw new OutboundError(`${VENDOR} needs an account id (refs.accountId or the account_id credential)`, null, false);
  const res = await callVendor<{ id?: number | string }>(
    ctx,
    {
      method: "POST",
      path: `/api/v1/accounts/${seg(accountId)}/conversations/${seg(target.conversationId)}/messages`,
      headers: { api_access_token: c.api_access_token },
      json: { content, message_type: "outgoing", private: isPrivate, content_type: "text" },
    },
    { vendor: VENDOR },
  );
  return { remoteId: String(res?.id ?? target.conversationId) };
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
};
