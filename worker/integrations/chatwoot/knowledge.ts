// Chatwoot knowledge: help-center articles of every portal in every locale the
// portal offers, and the account's canned responses. Auth as the outbound
// connector: the `api_access_token` header, the `account_id` credential.
// Portals: GET /api/v1/accounts/{account_id}/portals (`payload`; an archived
// portal is left out), locales in `config.allowed_locales[].code`. Articles:
// GET …/portals/{slug}/articles?locale={code}&status=published&page={n}
// (`payload`, Markdown `content`, `status` draft/published/archived, `meta.tags`,
// `updated_at` in unix seconds); the page size is the server's, so an empty
// page (or one with nothing new) ends the list, and any article not published
// is left out even if a server ignores the filter. The public link is
// /hc/{portal slug}/articles/{article slug}.
// Canned responses: GET /api/v1/accounts/{account_id}/canned_responses (one
// unpaged list; `short_code` is the title, `content` the text). Chatwoot has no
// personal canned responses: all are shared by the account.
// https://developers.chatwoot.com/api-reference/help-center/list-all-portals-in-an-account
// https://developers.chatwoot.com/api-reference/canned-responses/list-all-canned-responses-in-an-account
// https://github.com/chatwoot/chatwoot/blob/develop/app/controllers/api/v1/accounts/articles_controller.rb
import { allPages, isoFromString, isoFromUnix, languageOf, type Page, stringList } from "../common/knowledge";
import { type CallContext, callVendor, requireCredentials, seg } from "../common/vendor-http";
import type { ImportedArticle, KnowledgeSource } from "../types";

const VENDOR = "Chatwoot";

interface Portal {
  slug?: string;
  archived?: boolean;
  config?: { allowed_locales?: { code?: string }[]; default_locale?: string };
}

interface Article {
  id?: number;
  slug?: string;
  title?: string;
  content?: string | null;
  status?: string;
  locale?: string;
  meta?: { tags?: string[] } | null;
  updated_at?: number;
}

interface CannedResponse {
  id?: number;
  short_code?: string;
  content?: string | null;
  updated_at?: string;
}

function localesOf(p: Portal): string[] {
  const codes = (p.config?.allowed_locales ?? []).flatMap((l) => (l.code ? [l.code] : []));
  return codes.length ? codes : [p.config?.default_locale ?? "en"];
}

async function* articles(ctx: CallContext, account: string, headers: Record<string, string>): AsyncGenerator<ImportedArticle> {
  const get = <T>(path: string) => callVendor<T>(ctx, { method: "GET", path, headers }, { vendor: VENDOR });
  const portals = (await get<{ payload?: Portal[] }>(`${account}/portals`))?.payload ?? [];
  const site = ctx.baseUrl.trim().replace(/\/+$/, "");
  for (const portal of portals) {
    if (!portal.slug || portal.archived === true) continue;
    for (const locale of localesOf(portal)) {
      const base = `${account}/portals/${seg(portal.slug)}/articles?locale=${encodeURIComponent(locale)}&status=published`;
      const seen = new Set<number>();
      const page = async (path: string): Promise<Page<Article>> => {
        const items = (await get<{ payload?: Article[] }>(path))?.payload ?? [];
        const fresh = items.filter((a) => a.id != null && !seen.has(a.id));
        for (const a of fresh) seen.add(a.id!);
        const n = Number(new URLSearchParams(path.split("?")[1]).get("page"));
        return { items: fresh, next: fresh.length ? `${base}&page=${n + 1}` : null };
      };
      for await (const a of allPages(VENDOR, `${base}&page=1`, page)) {
        if (a.status !== "published") continue;
        yield {
          externalId: `article:${a.id}`,
          kind: "article",
          title: a.title ?? "",
          body: a.content ?? "",
          format: "markdown",
          url: a.slug ? `${site}/hc/${seg(portal.slug)}/articles/${seg(a.slug)}` : null,
          language: languageOf(a.locale ?? locale),
          tags: stringList(a.meta?.tags),
          updatedAt: isoFromUnix(a.updated_at),
        };
      }
    }
  }
}

async function* cannedResponses(ctx: CallContext, account: string, headers: Record<string, string>): AsyncGenerator<ImportedArticle> {
  const list = await callVendor<CannedResponse[]>(ctx, { method: "GET", path: `${account}/canned_responses`, headers }, { vendor: VENDOR });
  for (const r of Array.isArray(list) ? list : []) {
    if (r.id == null || !r.content?.trim()) continue;
    yield {
      externalId: `canned:${r.id}`,
      kind: "saved_reply",
      title: r.short_code ?? "",
      body: r.content,
      format: "text",
      url: null,
      language: null,
      tags: [],
      updatedAt: isoFromString(r.updated_at),
    };
  }
}

export const chatwoot: KnowledgeSource = {
  label: "Help-center articles and canned responses",
  async *list(ctx) {
    const c = requireCredentials(VENDOR, ctx.credentials, ["api_access_token", "account_id"] as const);
    const account = `/api/v1/accounts/${seg(c.account_id)}`;
    const headers = { api_access_token: c.api_access_token };
    yield* articles(ctx, account, headers);
    yield* cannedResponses(ctx, account, headers);
  },
};
