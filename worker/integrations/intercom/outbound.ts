// Intercom: an admin reply on a conversation, `message_type: "comment"` for the
// customer-visible reply and `"note"` for an internal note. The answer is the
// conversation; its last conversation part is what we created.
// https://developers.intercom.com/docs/references/rest-api/api.intercom.io/conversations/replyconversation
import { type CallContext, callVendor, requireCredentials, seg, textToHtmlParagraphs } from "../common/vendor-http";
import type { OutboundConnector, OutboundResult, OutboundTarget } from "../types";

const VENDOR = "Intercom";
/** Pinned REST API version (sent on every call so a workspace default change cannot alter the shapes). */
export const INTERCOM_VERSION = "2.11";

interface ConversationResponse {
  id?: string;
  conversation_parts?: { conversation_parts?: { id?: string; part_type?: string }[] };
}

async function reply(ctx: CallContext, target: OutboundTarget, text: string, messageType: "comment" | "note"): Promise<OutboundResult> {
  const c = requireCredentials(VENDOR, ctx.credentials, ["access_token", "admin_id"] as const);
  const res = await callVendor<ConversationResponse>(
    ctx,
    {
      method: "POST",
      path: `/conversations/${seg(target.conversationId)}/reply`,
      headers: { authorization: `Bearer ${c.access_token}`, "intercom-version": INTERCOM_VERSION },
      // Bodies are HTML: the text is escaped, never interpreted.
      json: { message_type: messageType, type: "admin", admin_id: c.admin_id, body: textToHtmlParagraphs(text) },
    },
    { vendor: VENDOR },
  );
  const parts = res?.conversation_parts?.conversation_parts ?? [];
  const part = [...parts].reverse().find((p) => p.id && (p.part_type === messageType || p.part_type === undefined)) ?? parts.at(-1);
  return { remoteId: String(part?.id ?? res?.id ?? target.conversationId) };
}

export const intercom: OutboundConnector = {
  id: "intercom",
  name: "Intercom",
  credentialFields: [
    { key: "access_token", label: "Access token", secret: true },
    { key: "admin_id", label: "Admin ID (replies are sent as this teammate)", secret: false, placeholder: "1234567" },
  ],
  defaultBaseUrl: "https://api.intercom.io",
  postReply: (ctx, target, body) => reply(ctx, target, body, "comment"),
  postInternalNote: (ctx, target, note) => reply(ctx, target, note, "note"),
};
