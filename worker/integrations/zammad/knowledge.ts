// Zammad knowledge: published knowledge base answers in each of their
// languages, and the active text modules. Auth as the outbound connector
// (`Token token=…`); the token's user needs knowledge_base.reader (or
// editor) for the answers.
// Answers: POST /api/v1/knowledge_bases/init answers the knowledge bases as an
// assets bundle (`KnowledgeBase`, `KnowledgeBaseLocale`, `KnowledgeBaseAnswer`,
// `KnowledgeBaseAnswerTranslation`, keyed by id), without bodies. An answer is
// published when `published_at` is set and past and `archived_at` is not
// (internal answers, for agents only, are left out). Each published answer is
// then read with GET /api/v1/knowledge_bases/{kb}/answers/{id}?include_contents={content ids},
// which adds `KnowledgeBaseAnswerTranslationContent` (`body`, HTML). A
// translation's `kb_locale_id` names a KnowledgeBaseLocale, whose
// `system_locale_id` is one of GET /api/v1/locales (`locale`: "de-de"); the
// public link is /help/{locale}/{category id}/{answer id}.
// Text modules: GET /api/v1/text_modules (paged with `page` / `per_page`; an
// empty page ends the list), `active`, `content` HTML, `keywords`.
// https://docs.zammad.org/en/latest/api/knowledgebase.html
// https://docs.zammad.org/en/latest/api/knowledgebase/answers.html
// https://docs.zammad.org/en/latest/api/intro.html#pagination
// https://github.com/zammad/zammad/blob/develop/app/controllers/text_modules_controller.rb
import { allPages, isoFromString, languageOf, latest, type Page, stringList } from "../common/knowledge";
import { type CallContext, callVendor, requireCredentials, seg } from "../common/vendor-http";
import type { ImportedArticle, KnowledgeSource } from "../types";

const VENDOR = "Zammad";
const PER_PAGE = 100;

interface Answer {
  id?: number;
  category_id?: number;
  published_at?: string | null;
  archived_at?: string | null;
  translation_ids?: number[];
  tags?: string[];
  updated_at?: string;
}

interface Translation {
  id?: number;
  title?: string;
  kb_locale_id?: number;
  content_id?: number;
  updated_at?: string;
}

interface Assets {
  KnowledgeBase?: Record<string, { id?: number; active?: boolean; answer_ids?: number[] }>;
  KnowledgeBaseLocale?: Record<string, { id?: number; system_locale_id?: number }>;
  KnowledgeBaseAnswer?: Record<string, Answer>;
  KnowledgeBaseAnswerTranslation?: Record<string, Translation>;
  KnowledgeBaseAnswerTranslationContent?: Record<string, { id?: number; body?: string }>;
}

interface TextModule {
  id?: number;
  name?: string;
  content?: string | null;
  keywords?: string | null;
  active?: boolean;
  updated_at?: string;
}

function isPublished(a: Answer, now: number): boolean {
  const at = a.published_at ? Date.parse(a.published_at) : Number.NaN;
  return at <= now && !a.archived_at;
}

async function* answers(ctx: CallContext, headers: Record<string, string>): AsyncGenerator<ImportedArticle> {
  const get = <T>(path: string) => callVendor<T>(ctx, { method: "GET", path, headers }, { vendor: VENDOR });
  const init = await callVendor<Assets>(ctx, { method: "POST", path: "/api/v1/knowledge_bases/init", headers }, { vendor: VENDOR });
  const systemLocales = new Map(((await get<{ id?: number; locale?: string }[]>("/api/v1/locales")) ?? []).map((l) => [l.id, l.locale]));
  const kbLocale = (id: number | undefined) => systemLocales.get(init?.KnowledgeBaseLocale?.[String(id)]?.system_locale_id);
  const portal = ctx.baseUrl.trim().replace(/\/+$/, "");
  const now = Date.now();

  for (const kb of Object.values(init?.KnowledgeBase ?? {})) {
    if (kb.id == null || kb.active === false) continue;
    for (const answerId of kb.answer_ids ?? []) {
      const answer = init?.KnowledgeBaseAnswer?.[String(answerId)];
      if (!answer || !isPublished(answer, now)) continue;
      const translations = (answer.translation_ids ?? []).flatMap((id) => init?.KnowledgeBaseAnswerTranslation?.[String(id)] ?? []);
      const contentIds = translations.flatMap((t) => (t.content_id == null ? [] : [t.content_id]));
      if (!contentIds.length) continue;
      const full = await get<{ assets?: Assets }>(`/api/v1/knowledge_bases/${seg(kb.id)}/answers/${seg(answerId)}?include_contents=${contentIds.join(",")}`);
      const contents = full?.assets?.KnowledgeBaseAnswerTranslationContent ?? {};
      for (const t of translations) {
        const locale = kbLocale(t.kb_locale_id);
        const body = contents[String(t.content_id)]?.body;
        if (!locale || body == null) continue;
        yield {
          externalId: `answer:${answerId}:${locale}`,
          kind: "article",
          title: t.title ?? "",
          body,
          format: "html",
          url: `${portal}/help/${seg(locale)}/${seg(answer.category_id ?? 0)}/${seg(answerId)}`,
          language: languageOf(locale),
          tags: stringList(answer.tags),
          updatedAt: latest(isoFromString(t.updated_at), isoFromString(answer.updated_at)),
        };
      }
    }
  }
}

async function* textModules(ctx: CallContext, headers: Record<string, string>): AsyncGenerator<ImportedArticle> {
  const page = async (path: string): Promise<Page<TextModule>> => {
    const res = await callVendor<TextModule[]>(ctx, { method: "GET", path, headers }, { vendor: VENDOR });
    const items = Array.isArray(res) ? res : [];
    const n = Number(new URLSearchParams(path.split("?")[1]).get("page"));
    // The instance may cap per_page below what we ask: only an empty page ends the list.
    return { items, next: items.length === 0 ? null : `/api/v1/text_modules?page=${n + 1}&per_page=${PER_PAGE}` };
  };
  for await (const m of allPages(VENDOR, `/api/v1/text_modules?page=1&per_page=${PER_PAGE}`, page)) {
    if (m.id == null || m.active === false || !m.content?.trim()) continue;
    yield {
      externalId: `text-module:${m.id}`,
      kind: "saved_reply",
      title: m.name ?? "",
      body: m.content,
      format: "html",
      url: null,
      language: null,
      tags: (m.keywords ?? "").split(/[\s,]+/).filter(Boolean),
      updatedAt: isoFromString(m.updated_at),
    };
  }
}

export const zammad: KnowledgeSource = {
  label: "Knowledge base answers and text modules",
  async *list(ctx) {
    const c = requireCredentials(VENDOR, ctx.credentials, ["token"] as const);
    const headers = { authorization: `Token token=${c.token}` };
    yield* answers(ctx, headers);
    yield* textModules(ctx, headers);
  },
};
