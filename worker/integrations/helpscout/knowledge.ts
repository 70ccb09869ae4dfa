// Help Scout knowledge: Docs articles and every mailbox's saved replies.
// Docs API v1 is its own service (https://docsapi.helpscout.net/v1) with its
// own key: Basic auth, the user's Docs API key as user name and "X" as
// password (the optional `docs_api_key` credential; without it no Docs
// articles are imported). Public collections only (a private one is
// "viewable only in admin": a customer could not open the link), then
// GET /collections/{id}/articles?status=published (paged: `page`, `pages`),
// whose ArticleRefs carry no text, so each article is read with
// GET /articles/{id}. Docs articles have no language field: null, detected on
// import.
// Saved replies through the Mailbox API 2.0 with the app's OAuth token (as the
// outbound connector gets it): GET /v2/mailboxes (paged: `page.totalPages`),
// GET /v2/mailboxes/{id}/saved-replies (one unpaged list of previews; chat-only
// replies are left out by default), GET /v2/mailboxes/{id}/saved-replies/{id}
// for the text.
// https://developer.helpscout.com/docs-api/
// https://developer.helpscout.com/docs-api/collections/list/
// https://developer.helpscout.com/docs-api/articles/list/
// https://developer.helpscout.com/docs-api/articles/get/
// https://developer.helpscout.com/mailbox-api/endpoints/mailboxes/list/
// https://developer.helpscout.com/mailbox-api/endpoints/inboxes/saved_Replies/saved-replies-list
// https://developer.helpscout.com/mailbox-api/endpoints/inboxes/saved_Replies/saved-replies-get/
import { allPages, isoFromString, latest, type Page, stringList } from "../common/knowledge";
import { basicAuth, type CallContext, callVendor, seg } from "../common/vendor-http";
import type { ImportedArticle, KnowledgeSource } from "../types";
import { authorized } from "./outbound";

const VENDOR = "Help Scout Docs";

/**
 * The Docs API beside the Mailbox API base: https://api.helpscout.net (the only
 * host the connector settings accept) → https://docsapi.helpscout.net/v1; any
 * other base (the local fake, `npm start`) serves it under `<base>/docsapi/v1`.
 */
export function docsBaseUrl(mailboxBaseUrl: string): string {
  const base = mailboxBaseUrl.trim().replace(/\/+$/, "");
  return /^https:\/\/api\.helpscout\.net$/i.test(base) ? "https://docsapi.helpscout.net/v1" : `${base}/docsapi/v1`;
}

interface DocsList<T> {
  page?: number;
  pages?: number;
  items?: T[];
}

interface DocsArticle {
  id?: string;
  status?: string;
  name?: string;
  text?: string;
  publicUrl?: string;
  keywords?: string[];
  updatedAt?: string | null;
  lastPublishedAt?: string | null;
}

type Auth = { authorization: string };

async function docsPage<T>(ctx: CallContext, headers: Auth, path: string, key: string): Promise<Page<T>> {
  const res = await callVendor<Record<string, DocsList<T>>>(ctx, { method: "GET", path, headers }, { vendor: VENDOR });
  const list = res?.[key];
  const page = list?.page ?? 1;
  const more = typeof list?.pages === "number" && page < list.pages;
  return { items: list?.items ?? [], next: more ? path.replace(/([?&]page=)\d+/, `$1${page + 1}`) : null };
}

async function* docsArticles(mailboxCtx: CallContext): AsyncGenerator<ImportedArticle> {
  const key = mailboxCtx.credentials.docs_api_key?.trim();
  if (!key) return;
  const ctx = { ...mailboxCtx, baseUrl: docsBaseUrl(mailboxCtx.baseUrl) };
  const auth = { authorization: basicAuth(key, "X") };
  for await (const c of allPages(VENDOR, "/collections?visibility=public&page=1", (p) => docsPage<{ id?: string }>(ctx, auth, p, "collections"))) {
    if (!c.id) continue;
    const first = `/collections/${seg(c.id)}/articles?status=published&pageSize=100&page=1`;
    for await (const ref of allPages(VENDOR, first, (p) => docsPage<DocsArticle>(ctx, auth, p, "articles"))) {
      if (!ref.id || ref.status !== "published") continue;
      const res = await callVendor<{ article?: DocsArticle }>(ctx, { method: "GET", path: `/articles/${seg(ref.id)}`, headers: auth }, { vendor: VENDOR });
      const a = res?.article;
      if (a?.status !== "published") continue;
      yield {
        externalId: `docs:${ref.id}`,
        kind: "article",
        title: a.name ?? ref.name ?? "",
        body: a.text ?? "",
        format: "html",
        url: a.publicUrl ?? ref.publicUrl ?? null,
        language: null,
        tags: stringList(a.keywords),
        updatedAt: latest(isoFromString(a.updatedAt), isoFromString(a.lastPublishedAt)),
      };
    }
  }
}

interface Mailboxes {
  _embedded?: { mailboxes?: { id?: number }[] };
  page?: { number?: number; totalPages?: number };
}

async function* savedReplies(ctx: CallContext): AsyncGenerator<ImportedArticle> {
  const mailboxPage = async (path: string): Promise<Page<{ id?: number }>> => {
    const res = (await authorized<Mailboxes>(ctx, { method: "GET", path })).body;
    const n = res?.page?.number ?? 1;
    return { items: res?._embedded?.mailboxes ?? [], next: n < (res?.page?.totalPages ?? 1) ? `/v2/mailboxes?page=${n + 1}` : null };
  };
  for await (const mailbox of allPages("Help Scout", "/v2/mailboxes?page=1", mailboxPage)) {
    if (mailbox.id == null) continue;
    const path = `/v2/mailboxes/${seg(mailbox.id)}/saved-replies`;
    const list = (await authorized<{ id?: number }[]>(ctx, { method: "GET", path })).body;
    for (const ref of Array.isArray(list) ? list : []) {
      if (ref.id == null) continue;
      const r = (await authorized<{ name?: string; text?: string }>(ctx, { method: "GET", path: `${path}/${seg(ref.id)}` })).body;
      if (!r?.text?.trim()) continue;
      yield {
        externalId: `saved-reply:${ref.id}`,
        kind: "saved_reply",
        title: r.name ?? "",
        body: r.text,
        format: "html",
        url: null,
        language: null,
        tags: [],
        updatedAt: null,
      };
    }
  }
}

export const helpscout: KnowledgeSource = {
  label: "Docs articles and saved replies",
  async *list(ctx) {
    yield* docsArticles(ctx);
    yield* savedReplies(ctx);
  },
};
