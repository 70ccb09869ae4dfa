// One article as stored and indexed: converted to text, its language read,
// its id and content hash computed, and the statements that write it and its
// full-text row. No Worker types, so the seed and `npm run eval` (Node) index
// articles with exactly this code; worker/knowledge/store.ts runs it on D1.
import { detectLanguage } from "../agent/models/language";
import { sha256Hex } from "../crypto/hashing";
import { type ArticleDraft, KNOWLEDGE_LIMITS, type KnowledgeKind } from "../domain/knowledge";

import { conceptTerms, scopeToken, toPlainText } from "./text";

/** The part of D1's API the statements need: D1Database has it, and so do the seed's recorder and node:sqlite's adapter. */
export interface Preparer<S> {
  prepare(sql: string): { bind(...values: unknown[]): S };
}

/** What is stored and indexed for one article. */
export interface ArticleRecord {
  id: string;
  accountId: string;
  source: string;
  externalId: string;
  kind: KnowledgeKind;
  title: string;
  body: string;
  url: string | null;
  language: string;
  tags: string[];
  contentHash: string;
  scope: string;
}

/**
 * Converts and identifies an article: plain text, its language (the source's,
 * else detected), a content hash, and an id stable across syncs (derived from
 * account, source and the source's own id). Also used by the seed script.
 */
export async function articleRecord(accountId: string, source: string, draft: ArticleDraft): Promise<ArticleRecord> {
  const title = draft.title.trim().slice(0, KNOWLEDGE_LIMITS.titleChars);
  const body = toPlainText(draft.body, draft.format).slice(0, KNOWLEDGE_LIMITS.bodyChars);
  const language = normalizeLanguage(draft.language) ?? detectLanguage(`${title}\n${body}`).language;
  const tags = [...new Set(draft.tags.map((t) => t.trim()).filter(Boolean))].slice(0, KNOWLEDGE_LIMITS.tags);
  const id = `kb_${(await sha256Hex(`${accountId}\n${source}\n${draft.externalId}`)).slice(0, 20)}`;
  const contentHash = await sha256Hex(JSON.stringify([draft.kind, title, body, draft.url, language, tags]));
  return {
    id,
    accountId,
    source,
    externalId: draft.externalId,
    kind: draft.kind,
    title,
    body,
    url: draft.url,
    language,
    tags,
    contentHash,
    scope: scopeToken(accountId),
  };
}

/** "de-DE", "pt_BR", "de" → "de"; anything else → null. */
function normalizeLanguage(value: string | null): string | null {
  const code = value?.toLowerCase().match(/^([a-z]{2})(?:[-_].*)?$/)?.[1];
  return code ?? null;
}

/** What an article is indexed by beyond its words: the topics search matches on, and those it reorders by. */
interface Indexed {
  id: string;
  scope: string;
  title: string;
  body: string;
  tags: readonly string[];
}

/** The topics of the whole body, stored beside the article (`knowledge_articles.topics`). */
function bodyTopics(body: string): string {
  return conceptTerms(body).join(" ");
}

/**
 * The article's full-text row. Its topics are read from the title, tags and
 * first paragraph, which name what the article is about: a long body mentions
 * every topic in passing, and matching on those put articles about something
 * else first. The topics of the whole body are stored beside the article
 * instead, where search uses them only to reorder its best hits (full-text.ts).
 */
function ftsInsert<S>(db: Preparer<S>, a: Indexed): S {
  return db
    .prepare(
      "insert into knowledge_fts (rowid, scope, title, body, tags, concepts) select rowid, ?2, title, body, ?3, ?4 from knowledge_articles where id = ?1",
    )
    .bind(a.id, a.scope, a.tags.join(" "), conceptTerms(`${a.title}\n${a.tags.join(" ")}\n${a.body.split(/\n\n/)[0]}`).join(" "));
}

function ftsDelete<S>(db: Preparer<S>, id: string): S {
  return db.prepare("delete from knowledge_fts where rowid = (select rowid from knowledge_articles where id = ?1)").bind(id);
}

/** The statements that write one article and its index row (insert or replace). */
export function upsertStatements<S>(db: Preparer<S>, r: ArticleRecord): S[] {
  return [
    ftsDelete(db, r.id),
    db
      .prepare(
        `insert into knowledge_articles (id, account_id, source, external_id, kind, title, body, url, language, tags, content_hash, topics)
         values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         on conflict (id) do update set kind = excluded.kind, title = excluded.title, body = excluded.body, url = excluded.url,
           language = excluded.language, tags = excluded.tags, content_hash = excluded.content_hash, topics = excluded.topics, embedded = 0,
           updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
      )
      .bind(r.id, r.accountId, r.source, r.externalId, r.kind, r.title, r.body, r.url, r.language, JSON.stringify(r.tags), r.contentHash, bodyTopics(r.body)),
    ftsInsert(db, r),
  ];
}

/**
 * The statements that rebuild a stored article's topics and full-text row
 * without touching the article itself (its content hash, its embedding): for
 * rows written before the topics were stored, or after the topic lexicon
 * changed (a migration sets `topics` to null; store.ts `reindexTopics`).
 */
export function reindexStatements<S>(db: Preparer<S>, a: Omit<Indexed, "scope"> & { accountId: string }): S[] {
  return [
    ftsDelete(db, a.id),
    db.prepare("update knowledge_articles set topics = ?2 where id = ?1").bind(a.id, bodyTopics(a.body)),
    ftsInsert(db, { ...a, scope: scopeToken(a.accountId) }),
  ];
}
