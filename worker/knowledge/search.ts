// Search over an account's knowledge in the Worker. Full text (SQLite FTS5
// with BM25, in D1 locally and deployed: worker/knowledge/full-text.ts)
// always; semantic search (semantic.ts) joins in when the Worker has the AI
// and VECTORIZE bindings, and the two rankings are merged by reciprocal rank.
import type { KnowledgeHit } from "../domain/knowledge";
import { type ReadQuery, type SearchOptions, searchIndex } from "./full-text";
import { type SemanticEnv, semanticSearch } from "./semantic";

export { MATCH_THRESHOLD } from "./full-text";

/** D1 as a ReadQuery. */
function d1Reader(db: D1Database): ReadQuery {
  return async <T>(sql: string, params: unknown[]) =>
    (
      await db
        .prepare(sql)
        .bind(...params)
        .all<T>()
    ).results;
}

/**
 * The account's best articles for a question: full text, merged with
 * semantic search where the bindings exist (reciprocal rank fusion; a hit's
 * score is the better of its two).
 */
export async function searchKnowledge(env: Env & SemanticEnv, accountId: string, question: string, opts: SearchOptions = {}): Promise<KnowledgeHit[]> {
  const limit = opts.limit ?? 5;
  const [text, semantic] = await Promise.all([
    searchIndex(d1Reader(env.DB), accountId, question, { ...opts, limit }),
    semanticSearch(env, accountId, question, limit),
  ]);
  if (!semantic) return text;
  const fused = new Map<string, { hit: KnowledgeHit; rrf: number }>();
  const add = (hits: KnowledgeHit[]) =>
    hits.forEach((hit, i) => {
      const seen = fused.get(hit.id);
      const rrf = 1 / (60 + i + 1);
      if (seen) fused.set(hit.id, { hit: { ...seen.hit, score: Math.max(seen.hit.score, hit.score) }, rrf: seen.rrf + rrf });
      else fused.set(hit.id, { hit, rrf });
    });
  add(text);
  add(semantic);
  return [...fused.values()]
    .sort((a, b) => b.rrf - a.rrf)
    .slice(0, limit)
    .map((f) => f.hit);
}
