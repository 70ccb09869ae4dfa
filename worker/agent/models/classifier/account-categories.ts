// An account's own categories, learnt offline from their example phrases.
// Each category is the centroid of its examples' feature vectors (the same
// hashed character n-grams, words and multilingual concepts the built-in
// classifier reads, features.ts), so an example in one language can match a
// ticket in another as far as shared n-grams and lexicon concepts allow. A
// ticket is scored by cosine similarity to every centroid; the best category
// is chosen when its similarity clears MATCH_THRESHOLD and it does not
// contradict a surer built-in reading (see matchAccountCategory).
//
// The confidence is NOT calibrated: there is no labelled set of an account's
// tickets to fit it on. It is a fixed, monotone mapping of the similarity and
// of the margin over the runner-up category, between 0.5 and 0.95 (see
// confidenceOf); treat it as a ranking, not a probability.
import type { Category } from "../../../domain/enums";
import type { Prediction } from "./classifier";
import { featurize } from "./features";
import { readTicket } from "./read-ticket";

/** What the classifier needs of an account category (worker/policy/account-policy.ts). */
export interface ExampleCategory {
  id: string;
  examples: readonly string[];
}

/**
 * Below this cosine similarity to a category's centroid a ticket is not of it.
 * Chosen by hand on made-up cases (account-categories.test.ts), not fitted on
 * data: paraphrases of the examples scored about 0.3 to 0.6 (0.24 to 0.3 across
 * languages), unrelated tickets up to about 0.22 (shared common words).
 */
export const MATCH_THRESHOLD = 0.27;

/** Similarity at which the confidence reaches its ceiling. */
const FULL_SIMILARITY = 0.45;

/** A lead over the runner-up category of this much similarity leaves the confidence whole. */
const FULL_MARGIN = 0.1;

const CONFIDENCE = { floor: 0.5, ceiling: 0.95 } as const;

type Vector = Map<number, number>;

interface Centroid {
  id: string;
  vector: Vector;
  /** The built-in category most of the examples read as: a ticket read as it does not argue against this category. */
  home: Category;
}

export interface AccountCategoryScore {
  id: string;
  similarity: number;
}

export interface AccountCategoryMatch {
  id: string;
  similarity: number;
  /** Uncalibrated: a fixed mapping of similarity and margin (0.5 to 0.95). */
  confidence: number;
}

/** Centroids by the categories' JSON: the policy is read on every ticket, the examples change rarely. */
const learnt = new Map<string, Centroid[]>();

function centroidsOf(categories: readonly ExampleCategory[]): Centroid[] {
  const key = JSON.stringify(categories.map((c) => [c.id, c.examples]));
  const known = learnt.get(key);
  if (known) return known;
  const centroids = categories.map((c) => ({ id: c.id, vector: centroid(c.examples), home: homeOf(c.examples) }));
  if (learnt.size >= 100) learnt.clear();
  learnt.set(key, centroids);
  return centroids;
}

/** The mean of the examples' unit vectors, scaled to unit length. */
function centroid(examples: readonly string[]): Vector {
  const sum: Vector = new Map();
  for (const example of examples) {
    for (const [k, v] of featurize(example, { shape: false })) sum.set(k, (sum.get(k) ?? 0) + v);
  }
  let norm = 0;
  for (const v of sum.values()) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (const [k, v] of sum) sum.set(k, v / norm);
  return sum;
}

function homeOf(examples: readonly string[]): Category {
  const votes = new Map<Category, number>();
  for (const example of examples) {
    const { label, confidence } = readTicket("", example).category;
    votes.set(label, (votes.get(label) ?? 0) + confidence);
  }
  let home: Category = "general";
  let most = -1;
  for (const [label, weight] of votes) {
    if (weight > most) {
      home = label;
      most = weight;
    }
  }
  return home;
}

function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [k, v] of small) dot += v * (large.get(k) ?? 0);
  return dot;
}

/**
 * 0.5 at the threshold, rising linearly to 0.95 at FULL_SIMILARITY, scaled
 * down (towards 0.5) when a second category is nearly as similar.
 */
function confidenceOf(similarity: number, runnerUp: number): number {
  const strength = Math.min(1, Math.max(0, (similarity - MATCH_THRESHOLD) / (FULL_SIMILARITY - MATCH_THRESHOLD)));
  const separation = Math.min(1, Math.max(0, (similarity - runnerUp) / FULL_MARGIN));
  return Math.round((CONFIDENCE.floor + (CONFIDENCE.ceiling - CONFIDENCE.floor) * strength * separation) * 1000) / 1000;
}

/**
 * The account category a ticket belongs to, or null to keep the built-in
 * reading. The best-scoring category is chosen when its similarity clears
 * MATCH_THRESHOLD and either the built-in classifier reads the ticket as the
 * category's own home (a custom category is usually a finer cut of a built-in
 * one, e.g. "invoice-copies" inside billing: a sure "billing" reading then
 * supports it) or its confidence beats the built-in confidence.
 */
export function matchAccountCategory(
  categories: readonly ExampleCategory[],
  text: string,
  builtIn: Prediction<Category>,
): { match: AccountCategoryMatch | null; scores: AccountCategoryScore[] } {
  if (!categories.length) return { match: null, scores: [] };
  const ticket = featurize(text, { shape: false });
  const centroids = centroidsOf(categories);
  const scored = centroids
    .map((c) => ({ centroid: c, similarity: Math.round(cosine(ticket, c.vector) * 1000) / 1000 }))
    .sort((a, b) => b.similarity - a.similarity);
  const scores = scored.map((s) => ({ id: s.centroid.id, similarity: s.similarity }));
  const [best, second] = scored;
  if (!best || best.similarity < MATCH_THRESHOLD) return { match: null, scores };
  const confidence = confidenceOf(best.similarity, second?.similarity ?? 0);
  const agrees = best.centroid.home === builtIn.label;
  if (!agrees && confidence <= builtIn.confidence) return { match: null, scores };
  return { match: { id: best.centroid.id, similarity: best.similarity, confidence }, scores };
}
