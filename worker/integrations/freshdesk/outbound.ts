// Freshdesk API v2: POST /api/v2/tickets/{id}/reply for the reply and
// POST /api/v2/tickets/{id}/notes (`private: true`) for the note; both take an
// HTML `body` and answer 201 with the created conversation entry.
// Auth: Basic with the API key as user and "X" as password.
// https://developers.freshdesk.com/api/#reply_ticket
// https://developers.freshdesk.com/api/#add_note_to_a_ticket
// Triage write-back: PUT /api/v2/tickets/{id} with `tags` and `priority`
// (1 low, 2 medium, 3 high, 4 urgent). `tags` REPLACES the ticket's tags, so
// the ticket is read first (GET /api/v2/tickets/{id}) and ours are merged in;
// a tag an agent adds between the two calls can be lost (Freshdesk has no
// add-tags call in API v2).
// https://developers.freshdesk.com/api/#update_ticket
// https://developers.freshdesk.com/api/#view_a_ticket
import { basicAuth, type CallContext, callVendor, mergeTags, requireCredentials, seg, textToHtmlBreaks } from "../common/vendor-http";
import type { OutboundConnector, OutboundResult, OutboundTarget, TriageFields, TriageWritten } from "../types";

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

const PRIORITY = { low: 1, normal: 2, high: 3, urgent: 4 } as const;

interface FreshdeskTicket {
  id?: number;
  tags?: string[];
  priority?: number;
}

async function writeTriage(ctx: CallContext, target: OutboundTarget, fields: TriageFields): Promise<TriageWritten> {
  const c = requireCredentials(VENDOR, ctx.credentials, ["api_key"] as const);
  const headers = { authorization: basicAuth(c.api_key, "X") };
  const path = `/api/v2/tickets/${seg(target.conversationId)}`;
  const json: Record<string, unknown> = {};
  if (fields.tags.length) {
    const current = await callVendor<FreshdeskTicket>(ctx, { method: "GET", path, headers }, { vendor: VENDOR });
    json.tags = mergeTags(Array.isArray(current?.tags) ? current.tags : [], fields.tags);
  }
  if (fields.priority) json.priority = PRIORITY[fields.priority];
  const res = await callVendor<FreshdeskTicket>(ctx, { method: "PUT", path, headers, json }, { vendor: VENDOR });
  return {
    remoteId: String(res?.id ?? target.conversationId),
    tags: Array.isArray(res?.tags) ? res.tags : ((json.tags as string[] | undefined) ?? []),
    priority: res?.priority ?? (json.priority as number | undefined) ?? null,
  };
}

export const freshdesk: OutboundConnector = {
  id: "freshdesk",
  name: "Freshdesk",
  credentialFields: [{ key: "api_key", label: "API key (Profile settings)", secret: true }],
  defaultBaseUrl: "https://{domain}.freshdesk.com",
  postReply: (ctx, target, body) => post(ctx, target, "reply", { body: textToHtmlBreaks(body) }),
  postInternalNote: (ctx, target, note) => post(ctx, target, "notes", { body: textToHtmlBreaks(note), private: true }),
  triageFields: ["tags", "priority"],
  writeTriage,
};
