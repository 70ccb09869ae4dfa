// Freshdesk knowledge: solution articles and shared canned responses. Auth as
// the outbound connector: Basic with the API key and "X".
// Solutions: GET /api/v2/solutions/categories → /categories/{id}/folders →
// /folders/{id}/articles; status 2 is published (1 draft); a folder visible
// to agents only (`visibility` 3) is left out, a customer could not open its
// links. `description` is the HTML body; the portal link is
// /support/solutions/articles/{id} on the helpdesk domain. Freshdesk lists
// articles in the helpdesk's primary language without naming it: null,
// detected on import.
// Canned responses: GET /api/v2/canned_response_folders (a `personal` folder
// is one agent's own and is left out) → /canned_response_folders/{id}/responses,
// `content_html`.
// Lists are paged with `page` / `per_page` (at most 100); a `Link` header
// with rel="next" names the next page, and its absence ends the list.
// https://developers.freshdesk.com/api/#solutions
// https://developers.freshdesk.com/api/#solution_article_attributes
// https://developers.freshdesk.com/api/#canned-responses
// https://developers.freshdesk.com/api/#pagination
import { allPages, isoFromString, nextPath, type Page, stringList } from "../common/knowledge";
import { basicAuth, type CallContext, callVendorRaw, requireCredentials, seg } from "../common/vendor-http";
import type { ImportedArticle, KnowledgeSource } from "../types";

const VENDOR = "Freshdesk";
const AGENTS_ONLY = 3;
const PUBLISHED = 2;

interface Article {
  id?: number;
  title?: string;
  description?: string | null;
  status?: number;
  tags?: string[];
  updated_at?: string;
}

interface CannedResponse {
  id?: number;
  title?: string;
  content?: string | null;
  content_html?: string | null;
  updated_at?: string;
}

/** The rel="next" target of a Link header. */
function linkNext(header: string | null): string | null {
  for (const part of (header ?? "").split(",")) {
    const m = /<([^>]+)>\s*;.*\brel="?next"?/i.exec(part);
    if (m) return m[1]!;
  }
  return null;
}

/** Every item of a paged Freshdesk list. */
function list<T>(ctx: CallContext, path: string): AsyncGenerator<T> {
  const c = requireCredentials(VENDOR, ctx.credentials, ["api_key"] as const);
  const headers = { authorization: basicAuth(c.api_key, "X") };
  const first = `${path}${path.includes("?") ? "&" : "?"}per_page=100&page=1`;
  return allPages(VENDOR, first, async (p): Promise<Page<T>> => {
    const res = await callVendorRaw<T[]>(ctx, { method: "GET", path: p, headers }, { vendor: VENDOR });
    return { items: Array.isArray(res.body) ? res.body : [], next: nextPath(ctx.baseUrl, linkNext(res.headers.get("link"))) };
  });
}

async function* articles(ctx: CallContext): AsyncGenerator<ImportedArticle> {
  const portal = ctx.baseUrl.trim().replace(/\/+$/, "");
  for await (const category of list<{ id?: number }>(ctx, "/api/v2/solutions/categories")) {
    if (category.id == null) continue;
    for await (const folder of list<{ id?: number; visibility?: number }>(ctx, `/api/v2/solutions/categories/${seg(category.id)}/folders`)) {
      if (folder.id == null || folder.visibility === AGENTS_ONLY) continue;
      for await (const a of list<Article>(ctx, `/api/v2/solutions/folders/${seg(folder.id)}/articles`)) {
        if (a.id == null || a.status !== PUBLISHED) continue;
        yield {
          externalId: `article:${a.id}`,
          kind: "article",
          title: a.title ?? "",
          body: a.description ?? "",
          format: "html",
          url: `${portal}/support/solutions/articles/${seg(a.id)}`,
          language: null,
          tags: stringList(a.tags),
          updatedAt: isoFromString(a.updated_at),
        };
      }
    }
  }
}

async function* cannedResponses(ctx: CallContext): AsyncGenerator<ImportedArticle> {
  for await (const folder of list<{ id?: number; personal?: boolean }>(ctx, "/api/v2/canned_response_folders")) {
    if (folder.id == null || folder.personal === true) continue;
    for await (const r of list<CannedResponse>(ctx, `/api/v2/canned_response_folders/${seg(folder.id)}/responses`)) {
      const html = r.content_html?.trim() ? r.content_html : null;
      if (r.id == null || !(html ?? r.content)?.trim()) continue;
      yield {
        externalId: `canned:${r.id}`,
        kind: "saved_reply",
        title: r.title ?? "",
        body: html ?? r.content ?? "",
        format: html ? "html" : "text",
        url: null,
        language: null,
        tags: [],
        updatedAt: isoFromString(r.updated_at),
      };
    }
  }
}

export const freshdesk: KnowledgeSource = {
  label: "Solution articles and canned responses",
  async *list(ctx) {
    yield* articles(ctx);
    yield* cannedResponses(ctx);
  },
};
