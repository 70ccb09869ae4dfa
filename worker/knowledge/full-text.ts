// Full-text search over an account's knowledge: SQLite FTS5 with BM25, the
// same in D1 (locally and deployed) and in node:sqlite (`npm run eval`).
// `score` (0 to 1) says how much of the question an article covers:
// docs/knowledge.md explains it, and the drafter answers from an article only
// from MATCH_THRESHOLD on.
import type { KnowledgeHit, KnowledgeKind } from "../domain/knowledge";
import { conceptTerms, matchExpression, scopeToken, searchTerms, termsIn } from "./text";

/**
 * An article covers a question "well" from this score on. Chosen on the tuning
 * questions (data/knowledge/questions.dev.jsonl): at 0.4 the best hit was a
 * right article for 28 of the 31 questions above it and no unanswerable
 * question reached it; 0.5 answered 8 fewer questions for one fewer miss.
 */
export const MATCH_THRESHOLD = 0.4;

/**
 * An article that shares no title word with the question scores at most
 * BODY_ONLY_CAP (below MATCH_THRESHOLD) unless its body has at least
 * BODY_ONLY_MIN_WORDS of the question's words. Both chosen on the tuning questions.
 */
const BODY_ONLY_CAP = 0.35;
const BODY_ONLY_MIN_WORDS = 10;

/**
 * Search reads this many hits by BM25 and reorders them by the topics their
 * whole body shares with the question (TOPIC_REORDER_WEIGHT), before it keeps
 * the best `limit`. Both chosen on the tuning questions (docs/knowledge.md).
 */
const REORDER_POOL = 10;
const TOPIC_REORDER_WEIGHT = 0.3;

/** Runs one read query: D1 in the Worker, node:sqlite in `npm run eval`. */
export type ReadQuery = <T>(sql: string, params: unknown[]) => Promise<T[]>;

export interface SearchOptions {
  limit?: number;
  /**
   * The asker's language: only a tie-break. A hit in it moves ahead of better
   * hits within 10 % of its BM25 rank (a translation before its original);
   * a stronger boost ranked same-language articles on other topics first.
   */
  language?: string | null;
}

interface Row {
  id: string;
  title: string;
  url: string | null;
  language: string;
  kind: KnowledgeKind;
  text: string;
  snippet: string;
  rank: number;
  /** The body's topics (records.ts); null for rows stored before they were. */
  topics: string | null;
}

/**
 * The index is searched first and joined to the articles afterwards: joined
 * the other way round, SQLite would run the full-text query once per article
 * row. The scope token already confines the match to the account; the
 * account filter after the join is a second lock. BM25 weights per column:
 * scope (never ranked), title, body, tags, topics.
 */
const SQL = `with hits as (
    select rowid, snippet(knowledge_fts, 2, '', '', '…', 24) as snippet, bm25(knowledge_fts, 0.0, 4.0, 1.0, 2.0, 3.0) as rank
    from knowledge_fts where knowledge_fts match ?1 order by rank limit ?3)
  select a.id, a.title, a.url, a.language, a.kind, substr(a.body, 1, 20000) as text, a.topics, hits.snippet, hits.rank
  from hits join knowledge_articles a on a.rowid = hits.rowid
  where a.account_id = ?2
  order by hits.rank`;

/** Full-text search: the best `limit` articles of the account for a question, best first. */
export async function searchIndex(read: ReadQuery, accountId: string, question: string, opts: SearchOptions = {}): Promise<KnowledgeHit[]> {
  const limit = opts.limit ?? 5;
  const terms = searchTerms(question);
  const topics = conceptTerms(question);
  const match = matchExpression(scopeToken(accountId), terms, topics);
  if (!match) return [];
  const rows = await read<Row>(SQL, [match, accountId, Math.max(limit, REORDER_POOL)]);
  const best = byTopics(rows, topics).slice(0, limit);
  return preferLanguage(best, opts.language).map((row) => ({
    id: row.id,
    title: row.title,
    url: row.url,
    snippet: row.snippet,
    score: coverage(terms, row.title, row.text),
    language: row.language,
    kind: row.kind,
  }));
}

/**
 * BM25 reads the topics of an article's title and first paragraph only; a
 * question often names the problem in the words of a later section ("someone
 * who has left", "503 Service Unavailable"). So the hits BM25 ranks best are
 * reordered by their BM25 rank relative to the best one (1 for the best) plus
 * TOPIC_REORDER_WEIGHT times the share of the question's topics the whole
 * body mentions: a body topic lifts an article past close rivals, never from
 * the bottom of the list to the top.
 */
function byTopics(rows: Row[], asked: readonly string[]): Row[] {
  const bestRank = rows[0]?.rank;
  if (!asked.length || !bestRank) return rows;
  const key = (row: Row) => {
    const topics = new Set(row.topics === null ? conceptTerms(row.text) : row.topics.split(" "));
    return row.rank / bestRank + (TOPIC_REORDER_WEIGHT * asked.filter((t) => topics.has(t)).length) / asked.length;
  };
  return rows
    .map((row) => ({ row, key: key(row) }))
    .sort((a, b) => b.key - a.key)
    .map((r) => r.row);
}

/** Rows are best first (BM25 rank: negative, lower is better); a row in `language` overtakes rows in other languages less than 10 % better. */
function preferLanguage(rows: Row[], language: string | null | undefined): Row[] {
  if (!language) return rows;
  const ordered = [...rows];
  for (let i = 1; i < ordered.length; i++) {
    const row = ordered[i]!;
    if (row.language !== language) continue;
    let j = i;
    while (j > 0 && ordered[j - 1]!.language !== language && ordered[j - 1]!.rank >= row.rank * 1.1) j--;
    if (j < i) ordered.splice(j, 0, ...ordered.splice(i, 1));
  }
  return ordered;
}

/**
 * How much of the question an article covers, 0 to 1: the share of the
 * article title's words the question uses (a title names the problem an
 * article solves) and how many more of the question's words its body has
 * (six or more count fully). An article whose title shares no word with the
 * question stays below MATCH_THRESHOLD unless ten or more body words match: a
 * long question shares six ordinary words with many long articles, and on the
 * tuning questions such body-only matches were mostly questions the
 * knowledge base does not answer.
 */
function coverage(terms: readonly string[], title: string, body: string): number {
  const titleTerms = searchTerms(title);
  const asked = new Set(terms);
  const titleShare = titleTerms.length ? titleTerms.filter((t) => asked.has(t)).length / titleTerms.length : 0;
  const inBody = termsIn(body);
  const bodyHits = terms.filter((t) => !titleTerms.includes(t) && inBody.has(t)).length;
  const score = 0.6 * titleShare + 0.4 * Math.min(1, bodyHits / 6);
  const titleless = titleShare === 0 && bodyHits < BODY_ONLY_MIN_WORDS;
  return Math.round((titleless ? Math.min(score, BODY_ONLY_CAP) : score) * 100) / 100;
}
