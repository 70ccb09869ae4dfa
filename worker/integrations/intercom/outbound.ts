// Intercom: an admin reply on a conversation, `message_type: "comment"` for the
// customer-visible reply and `"note"` for an internal note. The answer is the
// conversation; its last conversation part is what we created.
// https://developers.intercom.com/docs/references/rest-api/api.intercom.io/conversations/replyconversation
// Triage write-back: tags only. A conversation is tagged by tag id
// (POST /conversations/{id}/tags `{ id, admin_id }`), so each tag is first
// created or found by name with POST /tags `{ name }` (Intercom answers with
// the existing tag when the name is taken). Setting a conversation's priority
// is documented only for the Preview API version, not the pinned 2.11, so we
// do not write it.
// https://developers.intercom.com/docs/references/2.11/rest-api/api.intercom.io/tags/createtag
// https://developers.intercom.com/docs/references/2.11/rest-api/api.intercom.io/tags/attachtagtoconversation
import { type CallContext, callVendor, requireCredentials, seg, textToHtmlParagraphs } from "../common/vendor-http";
import { type OutboundConnector, OutboundError, type OutboundResult, type OutboundTarget, type TriageFields, type TriageWritten } from "../types";

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

async function writeTriage(ctx: CallContext, target: OutboundTarget, fields: TriageFields): Promise<TriageWritten> {
  const c = requireCredentials(VENDOR, ctx.credentials, ["access_token", "admin_id"] as const);
  const headers = { authorization: `Bearer ${c.access_token}`, "intercom-version": INTERCOM_VERSION };
  for (const name of fields.tags) {
    const tag = await callVendor<{ id?: string | number }>(ctx, { method: "POST", path: "/tags", headers, json: { name } }, { vendor: VENDOR });
    if (tag?.id == null) throw new OutboundError(`${VENDOR} answered POST /tags without a tag id`, null, false);
    await callVendor(
      ctx,
      { method: "POST", path: `/conversations/${seg(target.conversationId)}/tags`, headers, json: { id: String(tag.id), admin_id: c.admin_id } },
      { vendor: VENDOR },
    );
  }
  return { remoteId: target.conversationId, tags: fields.tags, priority: null };
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
  triageFields: ["tags"],
  writeTriage,
};
