// Front knowledge: articles of the external (customer-facing) knowledge bases
// in each of their locales, and the company's message templates. Auth as the
// outbound connector: the API token as Bearer (knowledge bases take no OAuth).
// GET /knowledge_bases (`_results`, `type` internal/external; an internal one
// is for teammates only and is left out) → GET /knowledge_bases/{id}/articles
// (`_results` with `locales`, no content) → per locale
// GET /knowledge_base_articles/{id}/locales/{locale}/content (`name`, `status`
// draft/published, `content` HTML, `keywords`). The API names no public
// address for a knowledge base (its domain is set in the app), so `url` is null.
// Templates: GET /message_templates, the company's shared ones (`name`, `body`
// HTML). Every list is paged with `_pagination.next`, a full URL.
// https://dev.frontapp.com/reference/knowledge-bases
// https://dev.frontapp.com/reference/list-knowledge-bases
// https://dev.frontapp.com/reference/list-articles-in-a-knowledge-base
// https://dev.frontapp.com/reference/get-knowledge-base-article-with-content-in-specified-locale
// https://dev.frontapp.com/reference/list-message-templates
// https://dev.frontapp.com/docs/pagination
import { allPages, isoFromUnix, languageOf, nextPath, type Page, stringList } from "../common/knowledge";
import { type CallContext, callVendor, requireCredentials, seg } from "../common/vendor-http";
import type { ImportedArticle, KnowledgeSource } from "../types";

const VENDOR = "Front";

interface FrontList<T> {
  _pagination?: { next?: string | null };
  _results?: T[];
}

interface ArticleContent {
  name?: string;
  status?: string;
  content?: string | null;
  keywords?: string[];
  locale?: string;
  updated_at?: number;
}

interface Template {
  id?: string;
  name?: string;
  subject?: string | null;
  body?: string | null;
}

function list<T>(ctx: CallContext, headers: Record<string, string>, first: string): AsyncGenerator<T> {
  return allPages(VENDOR, first, async (path): Promise<Page<T>> => {
    const res = await callVendor<FrontList<T>>(ctx, { method: "GET", path, headers }, { vendor: VENDOR });
    return { items: res?._results ?? [], next: nextPath(ctx.baseUrl, res?._pagination?.next) };
  });
}

async function* articles(ctx: CallContext, headers: Record<string, string>): AsyncGenerator<ImportedArticle> {
  for await (const kb of list<{ id?: string; type?: string }>(ctx, headers, "/knowledge_bases?limit=100")) {
    if (!kb.id || kb.type !== "external") continue;
    for await (const ref of list<{ id?: string; locales?: string[] }>(ctx, headers, `/knowledge_bases/${seg(kb.id)}/articles?limit=100`)) {
      if (!ref.id) continue;
      for (const locale of stringList(ref.locales)) {
        const path = `/knowledge_base_articles/${seg(ref.id)}/locales/${seg(locale)}/content`;
        const a = await callVendor<ArticleContent>(ctx, { method: "GET", path, headers }, { vendor: VENDOR });
        if (a?.status !== "published") continue;
        yield {
          externalId: `article:${ref.id}:${locale}`,
          kind: "article",
          title: a.name ?? "",
          body: a.content ?? "",
          format: "html",
          url: null,
          language: languageOf(a.locale ?? locale),
          tags: stringList(a.keywords),
          updatedAt: isoFromUnix(a.updated_at),
        };
      }
    }
  }
}

async function* templates(ctx: CallContext, headers: Record<string, string>): AsyncGenerator<ImportedArticle> {
  for await (const t of list<Template>(ctx, headers, "/message_templates?limit=100")) {
    if (!t.id || !t.body?.trim()) continue;
    yield {
      externalId: `template:${t.id}`,
      kind: "saved_reply",
      title: t.name ?? t.subject ?? "",
      body: t.body,
      format: "html",
      url: null,
      language: null,
      tags: [],
      updatedAt: null,
    };
  }
}

export const front: KnowledgeSource = {
  label: "Knowledge base articles and message templates",
  async *list(ctx) {
    const c = requireCredentials(VENDOR, ctx.credentials, ["api_token"] as const);
    const headers = { authorization: `Bearer ${c.api_token}` };
    yield* articles(ctx, headers);
    yield* templates(ctx, headers);
  },
};
