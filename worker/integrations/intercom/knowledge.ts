// Intercom knowledge: Help Center articles, each published language version
// on its own. GET /articles (paged: `page`, `per_page` up to 250,
// `pages.total_pages`) lists them with the default language's title, body
// (HTML), state and url at the top and every language in
// `translated_content` (`{ fr: { title, body, state, url, updated_at } }`);
// a language whose `state` is "draft" is left out, its siblings stay.
// Intercom has no API for saved replies (macros), so none are imported.
// Pinned to the same REST API version as the outbound connector.
// https://developers.intercom.com/docs/references/2.11/rest-api/api.intercom.io/articles/listarticles
// https://developers.intercom.com/docs/references/2.11/rest-api/api.intercom.io/articles/article
// https://developers.intercom.com/docs/build-an-integration/learn-more/rest-apis/pagination/
import { allPages, isoFromUnix, languageOf, type Page } from "../common/knowledge";
import { type CallContext, callVendor, requireCredentials } from "../common/vendor-http";
import type { ImportedArticle, KnowledgeSource } from "../types";
import { INTERCOM_VERSION } from "./outbound";

const VENDOR = "Intercom";
const PER_PAGE = 100;

interface ArticleContent {
  title?: string;
  body?: string | null;
  state?: string;
  url?: string | null;
  updated_at?: number;
}

interface IntercomArticle extends ArticleContent {
  id?: string | number;
  default_locale?: string;
  translated_content?: Record<string, ArticleContent | string | null> | null;
}

interface ArticleList {
  data?: IntercomArticle[];
  pages?: { page?: number; total_pages?: number };
}

/** The article's published language versions: the default one first. */
function versions(a: IntercomArticle): [string, ArticleContent][] {
  const locale = a.default_locale ?? "en";
  const out: [string, ArticleContent][] = [[locale, a]];
  for (const [key, content] of Object.entries(a.translated_content ?? {})) {
    if (key === "type" || key === locale || !content || typeof content !== "object") continue;
    out.push([key, content]);
  }
  return out.filter(([, c]) => c.state === "published");
}

export const intercom: KnowledgeSource = {
  label: "Help Center articles",
  async *list(ctx: CallContext) {
    const c = requireCredentials(VENDOR, ctx.credentials, ["access_token"] as const);
    const headers = { authorization: `Bearer ${c.access_token}`, "intercom-version": INTERCOM_VERSION };
    const page = async (path: string): Promise<Page<IntercomArticle>> => {
      const res = await callVendor<ArticleList>(ctx, { method: "GET", path, headers }, { vendor: VENDOR });
      const n = res?.pages?.page ?? 1;
      const more = n < (res?.pages?.total_pages ?? 1);
      return { items: res?.data ?? [], next: more ? `/articles?page=${n + 1}&per_page=${PER_PAGE}` : null };
    };
    for await (const a of allPages(VENDOR, `/articles?page=1&per_page=${PER_PAGE}`, page)) {
      if (a.id == null) continue;
      for (const [locale, content] of versions(a)) {
        const item: ImportedArticle = {
          externalId: `article:${a.id}:${locale}`,
          kind: "article",
          title: content.title ?? "",
          body: content.body ?? "",
          format: "html",
          url: content.url ?? null,
          language: languageOf(locale),
          tags: [],
          updatedAt: isoFromUnix(content.updated_at),
        };
        yield item;
      }
    }
  },
};
