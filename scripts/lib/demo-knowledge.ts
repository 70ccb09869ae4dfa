// The demo account's knowledge base (data/knowledge/demo/*.jsonl) as the
// store's records and as SQL: `npm start` seeds it (scripts/seed-knowledge.ts)
// and `npm run eval` searches it. The SQL is what worker/knowledge/store.ts
// runs, captured from its own statements, so the seed indexes articles exactly
// as the Worker does.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ArticleDraft } from "../../worker/domain/knowledge";
import { type ArticleRecord, articleRecord, type Preparer, upsertStatements } from "../../worker/knowledge/records";
import { sqlTuple } from "./sql";

const DEMO_KNOWLEDGE = "data/knowledge/demo";

/** Demo articles keep a `manual` source (as if added on the Knowledge page) and their slug as the external id. */
const DEMO_KNOWLEDGE_SOURCE = "manual";

interface DemoEntry {
  id: string;
  kind: "article" | "saved_reply";
  title: string;
  body: string;
  url: string | null;
  language: string;
  tags: string[];
}

export function readJsonl<T>(file: string): T[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export function demoDrafts(): ArticleDraft[] {
  return ["articles.jsonl", "saved-replies.jsonl"].flatMap((f) =>
    readJsonl<DemoEntry>(join(DEMO_KNOWLEDGE, f)).map((e) => ({
      externalId: e.id,
      kind: e.kind,
      title: e.title,
      body: e.body,
      format: e.kind === "article" ? ("markdown" as const) : ("text" as const),
      url: e.url,
      language: e.language,
      tags: e.tags,
    })),
  );
}

export async function demoRecords(accountId: string): Promise<ArticleRecord[]> {
  return Promise.all(demoDrafts().map((d) => articleRecord(accountId, DEMO_KNOWLEDGE_SOURCE, d)));
}

/**
 * `count` made-up articles for the bench (5,000 articles with the demo's
 * vocabulary): each one a demo article's paragraphs reshuffled, with words
 * from other articles mixed in, so terms are spread as in a real help center.
 */
export function syntheticDrafts(count: number): ArticleDraft[] {
  const base = demoDrafts();
  const words = base.flatMap((d) => d.body.split(/\s+/)).filter((w) => /^[\p{L}]{4,}$/u.test(w));
  let seed = 7;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  return Array.from({ length: count }, (_, i) => {
    const d = base[i % base.length]!;
    const paragraphs = d.body.split(/\n\n+/).sort(() => random() - 0.5);
    const extra = Array.from({ length: 40 }, () => words[Math.floor(random() * words.length)]).join(" ");
    return { ...d, externalId: `synthetic-${i}`, title: `${d.title} (${i})`, body: `${paragraphs.join("\n\n")}\n\n${extra}`, url: null };
  });
}

/** Statements that render themselves as SQL text with their values inlined. */
function recordingDb(): Preparer<{ toSql(): string }> {
  return {
    prepare: (sql: string) => ({
      bind: (...values: unknown[]) => ({
        toSql: () => `${sql.replace(/\?(\d+)/g, (_, i: string) => sqlTuple([values[Number(i) - 1] as string | number | null]).slice(1, -1))};`,
      }),
    }),
  };
}

/** Articles as SQL upserts (idempotent: a re-seed rewrites the same rows); the demo knowledge base by default. */
export async function knowledgeSql(accountId: string, drafts: ArticleDraft[] = demoDrafts()): Promise<string> {
  const db = recordingDb();
  const lines: string[] = [];
  for (const draft of drafts) lines.push(...upsertStatements(db, await articleRecord(accountId, DEMO_KNOWLEDGE_SOURCE, draft)).map((s) => s.toSql()));
  return `${lines.join("\n")}\n`;
}
