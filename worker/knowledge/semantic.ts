// Semantic search, when the Worker runs on Cloudflare with the `AI` and
// `VECTORIZE` bindings (docs/deploy.md): each article is embedded with a
// multilingual Workers AI model (bge-m3: a German question finds an English
// article) and kept in Vectorize under the account's namespace, so a query
// only ever sees its own account's vectors. Neither binding has a local
// simulation; without them this module does nothing and search is full text
// only. Tests drive it with fakes of both bindings.
import type { KnowledgeHit, KnowledgeKind } from "../domain/knowledge";

export interface SemanticEnv {
  AI?: Ai;
  VECTORIZE?: Vectorize;
}

/** Multilingual, 1024 dimensions: create the index with `--dimensions=1024 --metric=cosine`. */
const EMBEDDING_MODEL = "@cf/baai/bge-m3";

/** Text embedded per article: the title and the start of the body (the model reads about 8,000 tokens). */
const EMBED_CHARS = 4_000;

/** Cosine similarity from which a semantic hit counts as covering the question (bge-m3 scores related texts above about 0.5). */
const SIMILARITY_FLOOR = 0.45;

export function semanticEnabled(env: SemanticEnv): env is Required<SemanticEnv> {
  return !!env.AI && !!env.VECTORIZE;
}

async function embed(ai: Ai, texts: string[]): Promise<number[][]> {
  const out = (await ai.run(EMBEDDING_MODEL, { text: texts })) as { data?: number[][] };
  if (!Array.isArray(out?.data) || out.data.length !== texts.length) throw new Error(`${EMBEDDING_MODEL} answered without one embedding per text`);
  return out.data;
}

/** Embeds and stores articles (batches of 50); a no-op without the bindings. */
export async function indexSemantic(env: SemanticEnv, accountId: string, articles: { id: string; title: string; body: string }[]): Promise<void> {
  if (!semanticEnabled(env) || !articles.length) return;
  for (let i = 0; i < articles.length; i += 50) {
    const batch = articles.slice(i, i + 50);
    const vectors = await embed(
      env.AI,
      batch.map((a) => `${a.title}\n\n${a.body}`.slice(0, EMBED_CHARS)),
    );
    await env.VECTORIZE.upsert(batch.map((a, j) => ({ id: a.id, values: vectors[j]!, namespace: accountId })));
  }
}

export async function unindexSemantic(env: SemanticEnv, ids: string[]): Promise<void> {
  if (!semanticEnabled(env) || !ids.length) return;
  for (let i = 0; i < ids.length; i += 100) await env.VECTORIZE.deleteByIds(ids.slice(i, i + 100));
}

/**
 * The account's nearest articles to a question, or null without the
 * bindings. Hits are read back from D1 by id and account, so a stray vector
 * can never surface another account's article.
 */
export async function semanticSearch(env: Env & SemanticEnv, accountId: string, question: string, limit: number): Promise<KnowledgeHit[] | null> {
  if (!semanticEnabled(env)) return null;
  const [vector] = await embed(env.AI, [question.slice(0, EMBED_CHARS)]);
  const found = await env.VECTORIZE.query(vector!, { topK: limit, namespace: accountId });
  const matches = found.matches.filter((m) => m.score >= SIMILARITY_FLOOR);
  if (!matches.length) return [];
  const rows = await env.DB.prepare(
    `select id, title, url, language, kind, substr(body, 1, 200) as snippet from knowledge_articles
     where account_id = ?1 and id in (select value from json_each(?2))`,
  )
    .bind(accountId, JSON.stringify(matches.map((m) => m.id)))
    .all<{ id: string; title: string; url: string | null; language: string; kind: KnowledgeKind; snippet: string }>();
  const byId = new Map(rows.results.map((r) => [r.id, r]));
  return matches.flatMap((m) => {
    const r = byId.get(m.id);
    return r ? [{ ...r, score: Math.round(Math.min(1, m.score) * 100) / 100 }] : [];
  });
}
