// Front Core API: a reply is a message appended to the conversation
// (POST /conversations/{id}/messages, 202 Accepted with a `message_uid`; the
// message itself is created asynchronously); an internal note is a comment
// (POST /conversations/{id}/comments, 201 with the comment).
// https://dev.frontapp.com/reference/create-message-reply
// https://dev.frontapp.com/reference/add-comment
// Triage write-back: tags only (Front conversations have no priority field).
// Tags are attached by id (POST /conversations/{id}/tags `{ tag_ids }`, 204,
// adds without removing others), so the company's tags are listed first
// (GET /tags, paginated) and a missing one is created (POST /tags `{ name }`).
// https://dev.frontapp.com/reference/add-conversation-tag
// https://dev.frontapp.com/reference/list-tags
// https://dev.frontapp.com/reference/create-tag
import { type CallContext, callVendor, escapeHtml, requireCredentials, seg, textToHtmlParagraphs } from "../common/vendor-http";
import { type OutboundConnector, OutboundError, type OutboundTarget, type TriageFields, type TriageWritten } from "../types";

const VENDOR = "Front";

function auth(ctx: CallContext) {
  const c = requireCredentials(VENDOR, ctx.credentials, ["api_token"] as const);
  const authorId = ctx.credentials.author_id?.trim();
  return { headers: { authorization: `Bearer ${c.api_token}` }, authorId: authorId || undefined };
}

/** Pages of GET /tags we read before creating what is missing (100 tags a page). */
const MAX_TAG_PAGES = 10;

interface FrontTag {
  id?: string;
  name?: string;
}

async function tagIds(ctx: CallContext, headers: Record<string, string>, names: string[]): Promise<string[]> {
  const byName = new Map<string, string>();
  let path: string | null = "/tags?limit=100";
  for (let page = 0; path && page < MAX_TAG_PAGES; page++) {
    const res: { _results?: FrontTag[]; _pagination?: { next?: string | null } } | null = await callVendor(
      ctx,
      { method: "GET", path, headers },
      { vendor: VENDOR },
    );
    for (const t of res?._results ?? []) if (t.id && t.name) byName.set(t.name.toLowerCase(), t.id);
    // `next` is a full URL on the API host: keep only its path and query, under our base URL.
    const next: string | null | undefined = res?._pagination?.next;
    path = next ? nextPath(next) : null;
  }
  const ids: string[] = [];
  for (const name of names) {
    let id = byName.get(name.toLowerCase());
    if (!id) {
      const created = await callVendor<FrontTag>(ctx, { method: "POST", path: "/tags", headers, json: { name } }, { vendor: VENDOR });
      if (!created?.id) throw new OutboundError(`${VENDOR} answered POST /tags without a tag id`, null, false);
      id = created.id;
    }
    ids.push(id);
  }
  return ids;
}

function nextPath(next: string): string | null {
  try {
    const u = new URL(next);
    return u.pathname.endsWith("/tags") ? `/tags${u.search}` : null;
  } catch {
    return null;
  }
}

async function writeTriage(ctx: CallContext, target: OutboundTarget, fields: TriageFields): Promise<TriageWritten> {
  const { headers } = auth(ctx);
  if (!fields.tags.length) return { remoteId: target.conversationId, tags: [], priority: null };
  const tag_ids = await tagIds(ctx, headers, fields.tags);
  await callVendor(ctx, { method: "POST", path: `/conversations/${seg(target.conversationId)}/tags`, headers, json: { tag_ids } }, { vendor: VENDOR });
  return { remoteId: target.conversationId, tags: fields.tags, priority: null };
}

export const front: OutboundConnector = {
  id: "front",
  name: "Front",
  credentialFields: [
    { key: "api_token", label: "API token", secret: true },
    { key: "author_id", label: "Author teammate ID (optional; default: the token's owner)", secret: false, placeholder: "tea_123" },
  ],
  defaultBaseUrl: "https://api2.frontapp.com",
  triageFields: ["tags"],
  writeTriage,
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
