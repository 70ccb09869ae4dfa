// Zammad: both are ticket articles (POST /api/v1/ticket_articles): an email
// article to the requester for the reply, an internal note for the note.
// Auth: `Authorization: Token token={access token}`.
// https://docs.zammad.org/en/latest/api/ticket/articles.html
// https://docs.zammad.org/en/latest/api/intro.html#authentication
import { type CallContext, callVendor, numericOr, requireCredentials } from "../common/vendor-http";
import { type OutboundConnector, OutboundError, type OutboundResult, type OutboundTarget } from "../types";

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

export const zammad: OutboundConnector = {
  id: "zammad",
  name: "Zammad",
  credentialFields: [{ key: "token", label: "Access token (Profile › Token Access, permission ticket.agent)", secret: true }],
  defaultBaseUrl: "https://{your-zammad}",
  postReply: (ctx, target, body) => createArticle(ctx, target, body, "email"),
  postInternalNote: (ctx, target, note) => createArticle(ctx, target, note, "note"),
};
