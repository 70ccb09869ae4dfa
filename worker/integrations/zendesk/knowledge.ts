// Zendesk knowledge: Guide (Help Center) articles in every help-center locale
// and the shared macros' reply text. Auth: the shared API token as Basic
// `{email}/token:{api_token}` (an import is the account's, never a person's).
// Articles: GET /api/v2/help_center/locales, then per locale
// GET /api/v2/help_center/{locale}/articles (cursor pagination: `page[size]`,
// `meta.has_more`, `links.next`); `draft` is per translation, so a draft
// translation is left out while its published siblings stay.
// Macros: GET /api/v2/macros?active=true (offset `next_page` as well as
// cursor); the reply is the `comment_value_html` or `comment_value` action
// (the latter a string, or `[channel, text]`). Personal macros
// (`restriction.type` "User") are not shared and are left out, as are macros
// that only change fields.
// https://developer.zendesk.com/api-reference/help_center/help-center-api/articles/#list-articles
// https://developer.zendesk.com/api-reference/help_center/help-center-api/locales/#list-all-enabled-locales-and-default-locale
// https://developer.zendesk.com/api-reference/ticketing/business-rules/macros/#list-macros
// https://developer.zendesk.com/api-reference/ticketing/business-rules/macros/#actions
// https://developer.zendesk.com/api-reference/introduction/pagination/
import { allPages, isoFromString, languageOf, nextPath, type Page, stringList } from "../common/knowledge";
import { basicAuth, type CallContext, callVendor, requireCredentials, seg } from "../common/vendor-http";
import type { ImportedArticle, KnowledgeSource } from "../types";

const VENDOR = "Zendesk";

interface ZendeskList {
  next_page?: string | null;
  meta?: { has_more?: boolean };
  links?: { next?: string | null };
}

interface ZendeskArticle {
  id?: number;
  title?: string;
  body?: string | null;
  html_url?: string;
  locale?: string;
  label_names?: string[];
  draft?: boolean;
  updated_at?: string;
}

interface ZendeskMacro {
  id?: number;
  title?: string;
  active?: boolean;
  restriction?: { type?: string } | null;
  actions?: { field?: string; value?: unknown }[];
  updated_at?: string;
}

function headers(ctx: CallContext) {
  const c = requireCredentials(VENDOR, ctx.credentials, ["email", "api_token"] as const);
  return { authorization: basicAuth(`${c.email}/token`, c.api_token) };
}

/** One page of a Zendesk list, either pagination style. */
async function page<T>(ctx: CallContext, path: string, key: string): Promise<Page<T>> {
  const res = await callVendor<ZendeskList & Record<string, unknown>>(ctx, { method: "GET", path, headers: headers(ctx) }, { vendor: VENDOR });
  const items = Array.isArray(res?.[key]) ? (res[key] as T[]) : [];
  const next = res?.meta ? (res.meta.has_more ? res.links?.next : null) : res?.next_page;
  return { items, next: nextPath(ctx.baseUrl, next) };
}

async function* articles(ctx: CallContext): AsyncGenerator<ImportedArticle> {
  const res = await callVendor<{ locales?: string[] }>(
    ctx,
    { method: "GET", path: "/api/v2/help_center/locales.json", headers: headers(ctx) },
    { vendor: VENDOR },
  );
  for (const locale of stringList(res?.locales)) {
    const first = `/api/v2/help_center/${seg(locale)}/articles.json?page[size]=100`;
    for await (const a of allPages(VENDOR, first, (path) => page<ZendeskArticle>(ctx, path, "articles"))) {
      if (a.id == null || a.draft === true) continue;
      yield {
        externalId: `article:${a.id}:${a.locale ?? locale}`,
        kind: "article",
        title: a.title ?? "",
        body: a.body ?? "",
        format: "html",
        url: a.html_url ?? null,
        language: languageOf(a.locale ?? locale),
        tags: stringList(a.label_names),
        updatedAt: isoFromString(a.updated_at),
      };
    }
  }
}

/** The reply text a macro adds to the ticket, if it adds one. */
function replyOf(m: ZendeskMacro): { body: string; format: "html" | "text" } | null {
  const actions = m.actions ?? [];
  const html = actions.find((a) => a.field === "comment_value_html")?.value;
  if (typeof html === "string" && html.trim()) return { body: html, format: "html" };
  const text = actions.find((a) => a.field === "comment_value")?.value;
  const value = Array.isArray(text) ? text.at(-1) : text;
  return typeof value === "string" && value.trim() ? { body: value, format: "text" } : null;
}

async function* macros(ctx: CallContext): AsyncGenerator<ImportedArticle> {
  for await (const m of allPages(VENDOR, "/api/v2/macros.json?active=true&per_page=100", (path) => page<ZendeskMacro>(ctx, path, "macros"))) {
    const reply = replyOf(m);
    if (m.id == null || m.active === false || m.restriction?.type === "User" || !reply) continue;
    yield {
      externalId: `macro:${m.id}`,
      kind: "saved_reply",
      title: m.title ?? "",
      ...reply,
      url: null,
      language: null,
      tags: [],
      updatedAt: isoFromString(m.updated_at),
    };
  }
}

export const zendesk: KnowledgeSource = {
  label: "Guide articles and macros",
  async *list(ctx) {
    yield* articles(ctx);
    yield* macros(ctx);
  },
};
