// Freshdesk API v2: POST /api/v2/tickets/{id}/reply for the reply and
// POST /api/v2/tickets/{id}/notes (`private: true`) for the note; both take an
// HTML `body` and answer 201 with the created conversation entry.
// Auth: Basic with the API key as user and "X" as password.
// https://developers.freshdesk.com/api/#reply_ticket
// https://developers.freshdesk.com/api/#add_note_to_a_ticket
import { basicAuth, type CallContext, callVendor, requireCredentials, seg, textToHtmlBreaks } from "../common/vendor-http";
import type { OutboundConnector, OutboundResult, OutboundTarget } from "../types";

const VENDOR = "Freshdesk";

async function post(ctx: CallContext, target: OutboundTarget, kind: "reply" | "notes", json: Record<string, unknown>): Promise<OutboundResult> {
  const c = requireCredentials(VENDOR, ctx.credentials, ["api_key"] as const);
  const res = await callVendor<{ id?: number }>(
    ctx,
    { method: "POST", path: `/api/v2/tickets/${seg(target.conversationId)}/${kind}`, headers: { authorization: basicAuth(c.api_key, "X") }, json },
    { vendor: VENDOR },
  );
  return { remoteId: String(res?.id ?? target.conversationId) };
}

export const freshdesk: OutboundConnector = {
  id: "freshdesk",
  name: "Freshdesk",
  credentialFields: [{ key: "api_key", label: "API key (Profile settings)", secret: true }],
  defaultBaseUrl: "https://{domain}.freshdesk.com",
  postReply: (ctx, target, body) => post(ctx, target, "reply", { body: textToHtmlBreaks(body) }),
  postInternalNote: (ctx, target, note) => post(ctx, target, "notes", { body: textToHtmlBreaks(note), private: true }),
};
