// The knowledge store: the one writer of `knowledge_articles`, its full-text
// index `knowledge_fts` (same rowid, written in the same batch) and
// `knowledge_syncs`. Articles come from a person (the Knowledge page or the
// API: source `manual`) or from a help desk's sync; a sync rewrites only what
// changed (content hash) and deletes what the help desk no longer lists.

import { auditInsert } from "../audit/audit-trail";
import { getDb } from "../db/client";
import type { ArticleDraft } from "../domain/knowledge";
import { type ArticleInput, KNOWLEDGE_LIMITS, type KnowledgeArticle, type KnowledgeArticleSummary, type KnowledgeSyncView } from "../domain/knowledge";
import { type ArticleRecord, articleRecord, reindexStatements, upsertStatements } from "./records";
import { indexSemantic, type SemanticEnv, semanticEnabled, unindexSemantic } from "./semantic";

function deleteStatements(db: D1Database, accountId: string, id: string): D1PreparedStatement[] {
  return [
    db.prepare("delete from knowledge_fts where rowid = (select rowid from knowledge_articles where id = ?1 and account_id = ?2)").bind(id, accountId),
    db.prepare("delete from knowledge_articles where id = ?1 and account_id = ?2").bind(id, accountId),
  ];
}

/** D1 batches are transactions; a few hundred statements each keeps one well under the limits. */
async function runInChunks(db: D1Database, statements: D1PreparedStatement[], size = 300) {
  for (let i = 0; i < statements.length; i += size) await db.batch(statements.slice(i, i + size));
}

const SUMMARY_COLUMNS = "id, source, kind, title, url, language, tags, updated_at as updatedAt";

type SummaryRow = Omit<KnowledgeArticleSummary, "tags"> & { tags: string };
const summary = (r: SummaryRow): KnowledgeArticleSummary => ({ ...r, tags: JSON.parse(r.tags) as string[] });

/** Adds an article by hand (the Knowledge page or the API). Audited. */
export async function addArticle(env: Env & SemanticEnv, accountId: string, input: ArticleInput, actor: string): Promise<KnowledgeArticle> {
  const externalId = crypto.randomUUID();
  const record = await articleRecord(accountId, "manual", {
    externalId,
    kind: input.kind ?? "article",
    title: input.title,
    body: input.body,
    format: input.format ?? (/<\/?[a-z][\s\S]*>/i.test(input.body) ? "html" : "markdown"),
    url: input.url ?? null,
    language: input.language ?? null,
    tags: input.tags ?? [],
  });
  await env.DB.batch([
    ...upsertStatements(env.DB, record),
    auditInsertStatement(env, accountId, actor, "knowledge.article_added", { id: record.id, title: record.title, language: record.language }),
  ]);
  await alsoSemantic(env, accountId, [record]);
  const article = await getArticle(env, accountId, record.id);
  if (!article) throw new Error("the article was not saved");
  return article;
}

function auditInsertStatement(env: Env, accountId: string, actor: string, action: string, after: Record<string, unknown>) {
  const query = auditInsert(getDb(env), { accountId, actor, action, after, artifact: `knowledge/${String(after.id ?? "")}` }).toSQL();
  return env.DB.prepare(query.sql).bind(...query.params);
}

/** Deletes one of the account's articles; false when it has none by that id. Audited. */
export async function deleteArticle(env: Env & SemanticEnv, accountId: string, id: string, actor: string): Promise<boolean> {
  const found = await env.DB.prepare("select title, source from knowledge_articles where id = ?1 and account_id = ?2")
    .bind(id, accountId)
    .first<{ title: string; source: string }>();
  if (!found) return false;
  await env.DB.batch([...deleteStatements(env.DB, accountId, id), auditInsertStatement(env, accountId, actor, "knowledge.article_deleted", { id, ...found })]);
  await alsoUnindex(env, [id]);
  return true;
}

export async function getArticle(env: Env, accountId: string, id: string): Promise<KnowledgeArticle | null> {
  const row = await env.DB.prepare(`select ${SUMMARY_COLUMNS}, body from knowledge_articles where id = ?1 and account_id = ?2`)
    .bind(id, accountId)
    .first<SummaryRow & { body: string }>();
  return row ? { ...summary(row), body: row.body } : null;
}

/** A page of articles, newest change first; `cursor` is the previous page's `next`. */
export async function listArticles(
  env: Env,
  accountId: string,
  opts: { cursor?: string | null; limit?: number; source?: string | null } = {},
): Promise<{ articles: KnowledgeArticleSummary[]; next: string | null; total: number }> {
  const limit = Math.min(Math.max(opts.limit ?? KNOWLEDGE_LIMITS.pageSize, 1), KNOWLEDGE_LIMITS.pageSize);
  const after = decodeCursor(opts.cursor);
  const source = opts.source ?? null;
  const rows = await env.DB.prepare(
    `select ${SUMMARY_COLUMNS}, rowid from knowledge_articles
     where account_id = ?1 and (?2 is null or source = ?2) and (?3 is null or (updated_at, rowid) < (?3, ?4))
     order by updated_at desc, rowid desc limit ?5`,
  )
    .bind(accountId, source, after?.updatedAt ?? null, after?.rowid ?? 0, limit + 1)
    .all<SummaryRow & { rowid: number }>();
  const page = rows.results.slice(0, limit);
  const last = page.at(-1);
  const total = await env.DB.prepare("select count(*) as n from knowledge_articles where account_id = ?1 and (?2 is null or source = ?2)")
    .bind(accountId, source)
    .first<{ n: number }>();
  return {
    articles: page.map(({ rowid: _rowid, ...r }) => summary(r)),
    next: rows.results.length > limit && last ? encodeCursor(last.updatedAt, last.rowid) : null,
    total: total?.n ?? 0,
  };
}

function encodeCursor(updatedAt: string, rowid: number): string {
  return btoa(JSON.stringify([updatedAt, rowid])).replace(/=+$/, "");
}

/** Whether a string is a cursor listArticles gave out: the API refuses any other rather than start again at the first page. */
export function isArticleCursor(cursor: string): boolean {
  return decodeCursor(cursor) !== null;
}

function decodeCursor(cursor: string | null | undefined): { updatedAt: string; rowid: number } | null {
  if (!cursor) return null;
  try {
    const [updatedAt, rowid] = JSON.parse(atob(cursor)) as [unknown, unknown];
    if (typeof updatedAt === "string" && typeof rowid === "number") return { updatedAt, rowid };
  } catch {
    // fall through
  }
  return null;
}

export type SyncCounts = { seen: number; added: number; updated: number; unchanged: number; deleted: number };

/**
 * Makes the account's copy of one source match what the source lists now:
 * new and changed articles are (re)indexed, unchanged ones left alone, and
 * those the source no longer lists are deleted.
 */
export async function replaceSource(env: Env & SemanticEnv, accountId: string, source: string, drafts: ArticleDraft[]): Promise<SyncCounts> {
  const existing = await env.DB.prepare("select id, content_hash as hash from knowledge_articles where account_id = ?1 and source = ?2")
    .bind(accountId, source)
    .all<{ id: string; hash: string }>();
  const had = new Map(existing.results.map((r) => [r.id, r.hash]));
  const counts: SyncCounts = { seen: 0, added: 0, updated: 0, unchanged: 0, deleted: 0 };
  const statements: D1PreparedStatement[] = [];
  const changed: ArticleRecord[] = [];
  const gone: string[] = [];
  const seen = new Set<string>();
  for (const draft of drafts) {
    const record = await articleRecord(accountId, source, draft);
    if (seen.has(record.id)) continue;
    seen.add(record.id);
    counts.seen++;
    const hash = had.get(record.id);
    if (hash === record.contentHash) counts.unchanged++;
    else {
      if (hash === undefined) counts.added++;
      else counts.updated++;
      statements.push(...upsertStatements(env.DB, record));
      changed.push(record);
    }
  }
  for (const id of had.keys()) {
    if (seen.has(id)) continue;
    counts.deleted++;
    statements.push(...deleteStatements(env.DB, accountId, id));
    gone.push(id);
  }
  await runInChunks(env.DB, statements);
  await alsoSemantic(env, accountId, changed);
  await alsoUnindex(env, gone);
  return counts;
}

/**
 * The semantic index follows D1 on a best-effort basis: full-text search
 * already has the change, so a Workers AI or Vectorize failure is logged, not
 * raised. Rows remember whether their current version is embedded, and the
 * scheduled sync embeds what is not yet (backfillSemantic): articles that
 * predate the bindings, and those whose embedding failed.
 */
async function alsoSemantic(env: Env & SemanticEnv, accountId: string, articles: { id: string; title: string; body: string }[]) {
  if (!semanticEnabled(env) || !articles.length) return;
  try {
    await indexSemantic(env, accountId, articles);
    await env.DB.prepare("update knowledge_articles set embedded = 1 where account_id = ?1 and id in (select value from json_each(?2))")
      .bind(accountId, JSON.stringify(articles.map((a) => a.id)))
      .run();
  } catch (err) {
    console.warn("semantic index update failed", err instanceof Error ? err.message : String(err));
  }
}

async function alsoUnindex(env: SemanticEnv, ids: string[]) {
  try {
    await unindexSemantic(env, ids);
  } catch (err) {
    console.warn("semantic index delete failed", err instanceof Error ? err.message : String(err));
  }
}

/** Embeds up to `limit` of the account's articles not in the semantic index yet; how many it embedded (0 without the bindings). */
export async function backfillSemantic(env: Env & SemanticEnv, accountId: string, limit = 200): Promise<number> {
  if (!semanticEnabled(env)) return 0;
  const rows = await env.DB.prepare("select id, title, body from knowledge_articles where account_id = ?1 and embedded = 0 limit ?2")
    .bind(accountId, limit)
    .all<{ id: string; title: string; body: string }>();
  await alsoSemantic(env, accountId, rows.results);
  return rows.results.length;
}

/**
 * Rebuilds the topics and full-text rows of up to `limit` of the account's
 * articles that have no stored topics: those written before the column
 * existed, or after a migration cleared it because the topic lexicon changed
 * (worker/knowledge/topics.ts). Run by the scheduled sync; until then search
 * reads such an article's topics from its body. Returns how many it rebuilt.
 */
export async function reindexTopics(env: Env, accountId: string, limit = 200): Promise<number> {
  const rows = await env.DB.prepare("select id, title, body, tags from knowledge_articles where account_id = ?1 and topics is null limit ?2")
    .bind(accountId, limit)
    .all<{ id: string; title: string; body: string; tags: string }>();
  await runInChunks(
    env.DB,
    rows.results.flatMap((r) => reindexStatements(env.DB, { ...r, accountId, tags: JSON.parse(r.tags) as string[] })),
  );
  return rows.results.length;
}

/** Records how a source's last sync went (shown on the Knowledge page). */
export async function recordSync(
  env: Env,
  accountId: string,
  source: string,
  result: { counts: SyncCounts | null; error: string | null; status: "ok" | "failed" },
) {
  await env.DB.prepare(
    `insert into knowledge_syncs (account_id, source, status, counts, error, finished_at) values (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
     on conflict (account_id, source) do update set status = excluded.status, counts = excluded.counts, error = excluded.error, finished_at = excluded.finished_at`,
  )
    .bind(accountId, source, result.status, JSON.stringify(result.counts ?? {}), result.error)
    .run();
}

export async function listSyncs(env: Env, accountId: string): Promise<KnowledgeSyncView[]> {
  const rows = await env.DB.prepare(
    "select source, status, counts, error, finished_at as finishedAt from knowledge_syncs where account_id = ?1 order by source",
  )
    .bind(accountId)
    .all<Omit<KnowledgeSyncView, "counts"> & { counts: string }>();
  return rows.results.map((r) => ({ ...r, counts: JSON.parse(r.counts) as Record<string, number> }));
}
