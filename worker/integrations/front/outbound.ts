// Front Core API: a reply is a message appended to the conversation
// (POST /conversations/{id}/messages, 202 Accepted with a `message_uid`; the
// message itself is created asynchronously); an internal note is a comment
// (POST /conversations/{id}/comments, 201 with the comment).
// https://dev.frontapp.com/reference/create-message-reply
// https://dev.frontapp.com/reference/add-comment
import { type CallContext, callVendor, escapeHtml, requireCredentials, seg, textToHtmlParagraphs } from "../common/vendor-http";
import type { OutboundConnector } from "../types";

const VENDOR = "Front";

function auth(ctx: CallContext) {
  const c = requireCredentials(VENDOR, ctx.credentials, ["api_token"] as const);
  const authorId = ctx.credentials.author_id?.trim();
  return { headers: { authorization: `Bearer ${c.api_token}` }, authorId: authorId || undefined };
}

export const front: OutboundConnector = {
  id: "front",
  name: "Front",
  credentialFields: [
    { key: "api_token", label: "API token", secret: true },
    { key: "author_id", label: "Author teammate ID (optional; default: the token's owner)", secret: false, placeholder: "tea_123" },
  ],
  defaultBaseUrl: "https://api2.frontapp.com",
  async postReply(ctx, target, body) {
    const { headers, authorId } = auth(ctx);
    const res = await callVendor<{ status?: string; message_uid?: string }>(
      ctx,
      {
        method: "POST",
        path: `/conversations/${seg(target.conversationId)}/messages`,
        headers,
        json: {
          ...(authorId ? { author_id: authorId } : {}),
          body: textToHtmlParagraphs(body),
          text: body,
          // Front archives the conversation on send by default; leave that to the team.
          options: { archive: false },
        },
      },
      { vendor: VENDOR },
    );
    return { remoteId: String(res?.message_uid ?? target.conversationId) };
  },
  async postInternalNote(ctx, target, note) {
    const { headers, authorId } = auth(ctx);
    // Comment bodies are Markdown: escaping &, <, > keeps any HTML in the note inert.
    const res = await callVendor<{ id?: string }>(
      ctx,
      {
        method: "POST",
        path: `/conversations/${seg(target.conversationId)}/comments`,
        headers,
        json: { ...(authorId ? { author_id: authorId } : {}), body: escapeHtml(note) },
      },
      { vendor: VENDOR },
    );
    return { remoteId: String(res?.id ?? target.conversationId) };
  },
};
