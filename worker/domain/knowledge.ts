// The team's knowledge as the API, the dashboard and the drafter see it:
// articles and saved replies, search hits and the citations a proposal carries.
import { z } from "zod";
import { LANGUAGES } from "./enums";

export const KNOWLEDGE_KINDS = ["article", "saved_reply"] as const;
export type KnowledgeKind = (typeof KNOWLEDGE_KINDS)[number];

/** Bounds of one article: a help-center article is rarely above 50 KB of text. */
export const KNOWLEDGE_LIMITS = { titleChars: 300, bodyChars: 200_000, tags: 20, tagChars: 60, queryChars: 2_000, pageSize: 50 } as const;

/** An article as a source hands it over (a person, the seed, a help desk's importer), before it is converted and indexed. */
export interface ArticleDraft {
  /** The source's id; with the source, the article's identity across syncs. */
  externalId: string;
  kind: KnowledgeKind;
  title: string;
  /** As the source gives it; worker/knowledge/records.ts turns it into plain text for indexing. */
  body: string;
  format: "html" | "markdown" | "text";
  /** The public link (articles); null for saved replies. */
  url: string | null;
  /** ISO 639-1 code when the source says (locale "de-de" → "de"), else null (detected on import). */
  language: string | null;
  tags: string[];
}

/** An article added by hand or through the API (`POST …/knowledge/articles`). */
export const articleInputSchema = z.object({
  title: z.string().trim().min(1, "a title is required").max(KNOWLEDGE_LIMITS.titleChars),
  body: z.string().trim().min(1, "a body is required").max(KNOWLEDGE_LIMITS.bodyChars, `at most ${KNOWLEDGE_LIMITS.bodyChars} characters`),
  /** Markdown unless it looks like HTML (or says so). */
  format: z.enum(["markdown", "html", "text"]).optional(),
  url: z
    .url({ protocol: /^https?$/, message: "an http(s) URL" })
    .max(2000)
    .nullish(),
  language: z.enum(LANGUAGES, { message: `one of ${LANGUAGES.join(", ")}` }).optional(),
  kind: z.enum(KNOWLEDGE_KINDS).optional(),
  tags: z.array(z.string().trim().min(1).max(KNOWLEDGE_LIMITS.tagChars)).max(KNOWLEDGE_LIMITS.tags).optional(),
});
export type ArticleInput = z.infer<typeof articleInputSchema>;

/** An article as listed (no body: a page of 50 stays small). */
export interface KnowledgeArticleSummary {
  id: string;
  source: string;
  kind: KnowledgeKind;
  title: string;
  url: string | null;
  language: string;
  tags: string[];
  updatedAt: string;
}

export interface KnowledgeArticle extends KnowledgeArticleSummary {
  body: string;
}

/** One search result. `score` (0 to 1) says how much of the question the article covers; see docs/knowledge.md. */
export interface KnowledgeHit {
  id: string;
  title: string;
  url: string | null;
  snippet: string;
  score: number;
  language: string;
  kind: KnowledgeKind;
}

/** What a proposal cites, shown beside the draft. */
export interface Citation {
  articleId: string;
  title: string;
  url: string | null;
  snippet: string;
}

/** The last sync of an imported source. */
export interface KnowledgeSyncView {
  source: string;
  status: "ok" | "failed";
  counts: Record<string, number>;
  error: string | null;
  finishedAt: string;
}
