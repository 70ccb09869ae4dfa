// Retrieval quality on labelled questions written against the demo knowledge
// base: recall@3 and MRR per language, with the Worker's own indexing and
// search code (worker/knowledge/records.ts, full-text.ts) on SQLite's FTS5 in
// node:sqlite, the engine D1 runs. `dev` (questions.dev.jsonl,
// questions.dev2.jsonl, questions.dev3.jsonl … questions.dev7.jsonl) is for tuning; `eval`
// (questions.eval.jsonl) is held out and only ever reported.
import { readdirSync, readFileSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { MATCH_THRESHOLD, searchIndex } from "../../worker/knowledge/full-text";
import { upsertStatements } from "../../worker/knowledge/records";
import { demoRecords, readJsonl } from "./demo-knowledge";

interface Question {
  id: string;
  lang: string;
  question: string;
  relevant: string[];
}

const ACCOUNT = "eval";
/** Every migration, in order: the knowledge tables as D1 has them. */
const MIGRATIONS = readdirSync("drizzle")
  .filter((f) => f.endsWith(".sql"))
  .sort()
  .map((f) => `drizzle/${f}`);

/**
 * The question files of each set: seven for tuning (the second, written later, has more
 * non-English and unanswerable questions; the third to sixth are English only and the
 * seventh German, Spanish and French, each written before search was run on it), one held out.
 */
const SETS = {
  dev: [
    "data/knowledge/questions.dev.jsonl",
    "data/knowledge/questions.dev2.jsonl",
    "data/knowledge/questions.dev3.jsonl",
    "data/knowledge/questions.dev4.jsonl",
    "data/knowledge/questions.dev5.jsonl",
    "data/knowledge/questions.dev6.jsonl",
    "data/knowledge/questions.dev7.jsonl",
  ],
  eval: ["data/knowledge/questions.eval.jsonl"],
} as const;

async function demoIndex() {
  const db = new DatabaseSync(":memory:");
  for (const migration of MIGRATIONS) for (const part of readFileSync(migration, "utf8").split("--> statement-breakpoint")) db.exec(part);
  // The Worker's own statements, run on node:sqlite.
  const nodeSqlite = {
    prepare: (sql: string) => ({
      bind:
        (...values: unknown[]) =>
        () =>
          db.prepare(sql).run(...(values as never[])),
    }),
  };
  const records = await demoRecords(ACCOUNT);
  for (const record of records) for (const run of upsertStatements(nodeSqlite, record)) run();
  return { db, byId: new Map(records.map((r) => [r.id, r.externalId])) };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export async function scoreRetrieval(set: "dev" | "eval") {
  const questions = SETS[set].flatMap((file) => readJsonl<Question>(file));
  const { db, byId } = await demoIndex();
  const read = async <T>(sql: string, params: unknown[]) => db.prepare(sql).all(...(params as never[])) as T[];
  const times: number[] = [];
  const rows: { q: Question; ranked: string[]; firstRelevant: number; top: number; topScores: number[] }[] = [];
  for (const q of questions) {
    const start = performance.now();
    const hits = await searchIndex(read, ACCOUNT, q.question, { language: q.lang, limit: 10 });
    times.push(performance.now() - start);
    const ranked = hits.map((h) => byId.get(h.id)!);
    const firstRelevant = ranked.findIndex((id) => q.relevant.includes(id));
    rows.push({ q, ranked, firstRelevant, top: hits[0]?.score ?? 0, topScores: hits.slice(0, 3).map((h) => h.score) });
  }
  const answerable = rows.filter((r) => r.q.relevant.length);
  const unanswerable = rows.filter((r) => !r.q.relevant.length);
  // The questions the drafter would answer from the best hit: it reaches the threshold.
  const quoted = rows.filter((r) => r.top >= MATCH_THRESHOLD);
  const measure = (rs: typeof rows) => ({
    questions: rs.length,
    recall_at_3: round(rs.filter((r) => r.firstRelevant >= 0 && r.firstRelevant < 3).length / Math.max(1, rs.length)),
    mrr: round(rs.reduce((s, r) => s + (r.firstRelevant >= 0 ? 1 / (r.firstRelevant + 1) : 0), 0) / Math.max(1, rs.length)),
  });
  const languages = [...new Set(rows.map((r) => r.q.lang))].sort();
  times.sort((a, b) => a - b);
  return {
    set: SETS[set].join(" + "),
    articles: byId.size,
    ...measure(answerable),
    by_language: Object.fromEntries(languages.map((l) => [l, measure(answerable.filter((r) => r.q.lang === l))])),
    // How the drafter's threshold splits answerable from unanswerable questions.
    grounded_answer: {
      answerable_above_threshold: round(answerable.filter((r) => r.top >= MATCH_THRESHOLD).length / Math.max(1, answerable.length)),
      unanswerable_above_threshold: round(unanswerable.filter((r) => r.top >= MATCH_THRESHOLD).length / Math.max(1, unanswerable.length)),
      unanswerable_questions: unanswerable.length,
      // Of the questions the drafter would answer from the best hit (it reaches the threshold), how many quote a right article.
      quoted_right_article: round(quoted.filter((r) => r.firstRelevant === 0).length / Math.max(1, quoted.length)),
    },
    search_p50_ms: round(times[Math.floor(times.length * 0.5)] ?? 0),
    misses:
      set === "dev"
        ? answerable.filter((r) => r.firstRelevant < 0 || r.firstRelevant >= 3).map((r) => ({ id: r.q.id, got: r.ranked.slice(0, 3), want: r.q.relevant }))
        : undefined,
    // Unanswerable tuning questions whose best hit still reaches MATCH_THRESHOLD: the drafter would quote it.
    false_matches:
      set === "dev"
        ? unanswerable.filter((r) => r.top >= MATCH_THRESHOLD).map((r) => ({ id: r.q.id, got: r.ranked.slice(0, 3), scores: r.topScores }))
        : undefined,
  };
}
