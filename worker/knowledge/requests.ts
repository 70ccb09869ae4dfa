// What people ask of an account's knowledge, shared by the REST API
// (worker/http/routes.ts) and the Knowledge page (app/routes/knowledge.tsx):
// the role each needs, validated input in (a 400 naming the field otherwise),
// 404 for anything outside the account. Every member reads and searches;
// admins add, delete and sync.
import { z } from "zod";
import { LANGUAGES, type Language } from "../domain/enums";
import { fieldErrors, HttpError } from "../domain/errors";
import { articleInputSchema, KNOWLEDGE_LIMITS, type KnowledgeArticle, type KnowledgeHit, type KnowledgeSyncView } from "../domain/knowledge";
import { isSourceId, type SourceId } from "../domain/source-ids";
import type { SessionUser } from "../domain/types";
import { actorOf, requireRole } from "../identity/session";
import { listConnectors } from "../integrations/connector-settings";
import { KNOWLEDGE } from "../integrations/registry";
import { searchKnowledge } from "./search";
import type { SemanticEnv } from "./semantic";
import { addArticle, deleteArticle, getArticle, isArticleCursor, listArticles, listSyncs } from "./store";
import { knowledgeSources, type SyncResult, syncAll } from "./sync";
import { toPlainText } from "./text";

type KnowledgeEnv = Env & SemanticEnv;

/** An article's id as records.ts `articleRecord` makes it; anything else is "no such article". */
const ARTICLE_ID = /^kb_[0-9a-f]{20}$/;

/** Search hits per request: a page of answers, never the whole base. */
const SEARCH_LIMIT = { default: 10, max: 20 } as const;

function invalid(path: string, message: string): HttpError {
  return new HttpError(400, "invalid request", { fields: [{ path, message }] });
}

/** An article from a request body (JSON or a form), or a 400 naming each failing field. */
function parseArticleInput(raw: unknown) {
  const parsed = articleInputSchema.strict().safeParse(raw);
  if (!parsed.success) throw new HttpError(400, "invalid article", { fields: fieldErrors(parsed.error, "(body)") });
  return parsed.data;
}

export async function addKnowledgeArticle(env: KnowledgeEnv, user: SessionUser, accountId: string, raw: unknown): Promise<KnowledgeArticle> {
  requireRole(user, accountId, "admin");
  return addArticle(env, accountId, parseArticleInput(raw), actorOf(user));
}

export async function deleteKnowledgeArticle(env: KnowledgeEnv, user: SessionUser, accountId: string, id: string): Promise<void> {
  requireRole(user, accountId, "admin");
  if (!ARTICLE_ID.test(id) || !(await deleteArticle(env, accountId, id, actorOf(user)))) throw notFound(accountId, id);
}

export async function knowledgeArticle(env: Env, user: SessionUser, accountId: string, id: string): Promise<KnowledgeArticle> {
  requireRole(user, accountId, "agent");
  const article = ARTICLE_ID.test(id) ? await getArticle(env, accountId, id) : null;
  if (!article) throw notFound(accountId, id);
  return article;
}

function notFound(accountId: string, id: string): HttpError {
  return new HttpError(404, `no knowledge article "${id}" in account "${accountId}"`);
}

/** Which articles a page lists: `manual` (added by hand or the API) or an imported source. */
const articleSource = z
  .string()
  .refine((s) => s === "manual" || isSourceId(s), "source must be manual or a help desk (zendesk, helpscout, …)")
  .optional();

/** The query of an article list: the `next` of the previous page and an optional source. */
export const articlePageQuery = {
  cursor: z.string().refine(isArticleCursor, "cursor must be the next of a previous page").optional(),
  source: articleSource,
};

/** A page of the account's articles (at most KNOWLEDGE_LIMITS.pageSize), newest change first. */
export async function knowledgePage(env: Env, user: SessionUser, accountId: string, query: { cursor?: string | null; source?: string | null }) {
  requireRole(user, accountId, "agent");
  const parsed = z.object(articlePageQuery).safeParse({ cursor: query.cursor || undefined, source: query.source || undefined });
  if (!parsed.success) throw new HttpError(400, "invalid query", { fields: fieldErrors(parsed.error, "(query)") });
  return listArticles(env, accountId, { cursor: parsed.data.cursor ?? null, source: parsed.data.source ?? null, limit: KNOWLEDGE_LIMITS.pageSize });
}

/** The query of a search: the question, the asker's language (preferred, not required), how many hits. */
export const searchQuery = {
  q: z
    .string({ message: "q is required: the question to search for" })
    .trim()
    .min(1, "q is required: the question to search for")
    .max(KNOWLEDGE_LIMITS.queryChars, `q is at most ${KNOWLEDGE_LIMITS.queryChars} characters`),
  language: z.enum(LANGUAGES, { message: `language must be one of ${LANGUAGES.join(", ")}` }).optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, `limit must be a whole number from 1 to ${SEARCH_LIMIT.max}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, `limit must be a whole number from 1 to ${SEARCH_LIMIT.max}`)
        .max(SEARCH_LIMIT.max, `limit must be a whole number from 1 to ${SEARCH_LIMIT.max}`),
    )
    .optional(),
};

/** The account's best articles for a question, best first; another account's are never among them. */
export async function searchKnowledgeAs(
  env: KnowledgeEnv,
  user: SessionUser,
  accountId: string,
  query: { q: string; language?: Language | null; limit?: number },
): Promise<KnowledgeHit[]> {
  requireRole(user, accountId, "agent");
  const q = query.q.trim();
  if (!q) throw invalid("q", "q is required: the question to search for");
  if (q.length > KNOWLEDGE_LIMITS.queryChars) throw invalid("q", `q is at most ${KNOWLEDGE_LIMITS.queryChars} characters`);
  return searchKnowledge(env, accountId, q, { language: query.language ?? null, limit: query.limit ?? SEARCH_LIMIT.default });
}

/** A help desk the account can import knowledge from, and how its last sync went. */
export interface KnowledgeSourceView {
  source: SourceId;
  /** What it imports, e.g. "Guide articles and macros". */
  label: string;
  /** Switched on with outbound credentials: the schedule and "Sync now" include it. */
  connected: boolean;
  lastSync: KnowledgeSyncView | null;
}

export async function knowledgeSourceViews(env: Env, user: SessionUser, accountId: string): Promise<KnowledgeSourceView[]> {
  requireRole(user, accountId, "agent");
  const [connectors, syncs] = await Promise.all([listConnectors(env, accountId), listSyncs(env, accountId)]);
  const bySource = new Map(connectors.map((c) => [c.source, c]));
  const lastBySource = new Map(syncs.map((s) => [s.source, s]));
  return knowledgeSources().map((source) => {
    const c = bySource.get(source);
    return {
      source,
      label: KNOWLEDGE[source]?.label ?? source,
      connected: !!c?.enabled && !!c.apiBaseUrl && c.credentialsSet.length > 0,
      lastSync: lastBySource.get(source) ?? null,
    };
  });
}

/** "Sync now": every source connected with outbound credentials, one after the other; the others answer `not_connected`. */
export async function syncKnowledgeNow(env: KnowledgeEnv, user: SessionUser, accountId: string): Promise<SyncResult[]> {
  requireRole(user, accountId, "admin");
  return syncAll(env, accountId);
}

// ── uploads (the Knowledge page) ────────────────────────────────────────────

/** File types an upload takes, and how each is read. */
export const UPLOAD_FORMATS = { md: "markdown", markdown: "markdown", html: "html", htm: "html", txt: "text" } as const;

/**
 * An uploaded file as article fields: its format from the extension, its
 * title from the first heading (Markdown `#`, HTML `<title>` or `<h1>`), else
 * from the file name. The store converts the body to text.
 */
export function articleFromFile(fileName: string, content: string): { title: string; body: string; format: "markdown" | "html" | "text" } {
  const ext = fileName.toLowerCase().match(/\.([a-z]+)$/)?.[1] ?? "";
  const format = UPLOAD_FORMATS[ext as keyof typeof UPLOAD_FORMATS];
  if (!format)
    throw invalid(
      "file",
      `upload a ${Object.keys(UPLOAD_FORMATS)
        .map((e) => `.${e}`)
        .join(", ")} file, not "${fileName}"`,
    );
  const heading =
    format === "markdown"
      ? content.match(/^#\s+(.+?)\s*#*\s*$/m)?.[1]
      : format === "html"
        ? toPlainText(content.match(/<title[^>]*>([\s\S]*?)<\/title>/i)?.[1] ?? content.match(/<h1[^>]*>([\s\S]*?)<\/h1>/i)?.[1] ?? "", "html")
        : undefined;
  const fromName = fileName.replace(/\.[a-z]+$/i, "").replace(/[-_]+/g, " ");
  const title = (heading?.replace(/\s+/g, " ").trim() || fromName.trim()).slice(0, KNOWLEDGE_LIMITS.titleChars);
  return { title, body: content, format };
}
