// The offline classifier's features, shared by the Worker and the training
// script (scripts/train-triage.ts), so both see a ticket the same way.
// Character n-grams inside word boundaries carry across languages and
// inflections ("dringend"/"dringende", "urgente"/"urgentes", "refund"/
// "refunded"); whole words and word pairs add the precise cues; concepts
// from a small multilingual lexicon (lexicon.ts: "Erstattung", "reembolso"
// and "refund" all fire `refund`) carry what a few examples per language
// cannot teach; a few shape cues (shouting, exclamation marks, length) carry
// tone in every language. Features are hashed into a fixed number of buckets, so the
// weights have a fixed size whatever the vocabulary, and scaled to unit length.
import { CONCEPTS } from "./lexicon";

/** A concept counts as much as this many n-grams (chosen on the training split; changing it means retraining). */
const CONCEPT_WEIGHT = 25;

/**
 * A shape cue counts as much as this many n-grams (chosen by 5-fold
 * cross-validation on the training tickets: 8, 12 and 16 score alike, 0 lower).
 */
const SHAPE_WEIGHT = 12;

/** Hash buckets per head (2^14): the weights file holds one int8 per bucket and class. */
export const BUCKETS = 16_384;

/** Lower case, accents folded, URLs, e-mail addresses and numbers reduced to a placeholder. */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/https?:\/\/\S+/g, " url ")
    .replace(/[\w.+-]+@[\w-]+\.[\w.-]+/g, " email ")
    .replace(/\d+/g, "0");
}

/** Words: letters (any script) and the digit placeholder. */
function words(normalized: string): string[] {
  return normalized.match(/[\p{L}0]+/gu) ?? [];
}

/** Stem → concepts, for a word's prefixes of 2 to 12 letters. */
const STEMS = new Map<string, string[]>();
for (const [concept, stems] of Object.entries(CONCEPTS)) {
  for (const stem of stems) STEMS.set(stem, [...(STEMS.get(stem) ?? []), concept]);
}

function conceptsOf(word: string): string[] {
  const found: string[] = [];
  for (let n = Math.min(word.length, 12); n >= 2; n--) {
    const hit = STEMS.get(word.slice(0, n));
    if (hit) found.push(...hit);
  }
  return found;
}

/** The lexicon's concepts a text mentions, in any of its languages (knowledge search matches across languages with them). */
export function conceptsIn(text: string): Set<string> {
  const found = new Set<string>();
  for (const w of words(normalize(text))) for (const concept of conceptsOf(w)) found.add(concept);
  return found;
}

/** FNV-1a, 32 bits. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A further hashing of the same features: the feature's 32-bit hash remixed
 * with `seed` (murmur3's finaliser), so each feature shares its bucket with
 * different others. Seed 0 is the plain hash. A head that averages models
 * over several hashings (urgency, classifier.ts) reads past the collisions any
 * one hashing makes.
 */
function rehash(h: number, seed: number): number {
  if (seed === 0) return h;
  let x = (h ^ Math.imul(seed, 0x9e3779b9)) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A text's features before bucketing, in the order they occur: 32-bit hash and weight of each. */
export interface FeatureList {
  hashes: number[];
  weights: number[];
}

/**
 * The text's features before bucketing (a list, not a map keyed by hash:
 * 32-bit keys are not small integers to V8, and a map of them made
 * classifying about twice as slow). `shape: false` leaves out the shape cues,
 * for comparing what two texts say (account categories' similarity), where
 * sharing a length or an exclamation mark means nothing.
 */
export function featureList(text: string, { shape = true }: { shape?: boolean } = {}): FeatureList {
  const list: FeatureList = { hashes: [], weights: [] };
  const add = (feature: string, weight = 1) => {
    list.hashes.push(hash(feature));
    list.weights.push(weight);
  };
  const ws = words(normalize(text));
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    add(`w:${w}`);
    // A concept stands for many words in eight languages: it weighs as much as several n-grams.
    for (const concept of conceptsOf(w)) add(`k:${concept}`, CONCEPT_WEIGHT);
    // A crude stem: inflected forms of one word share their first five letters.
    if (w.length > 5) add(`p:${w.slice(0, 5)}`);
    if (i + 1 < ws.length) add(`b:${w} ${ws[i + 1]}`);
    const padded = ` ${w} `;
    for (let n = 3; n <= 5; n++) {
      for (let j = 0; j + n <= padded.length; j++) add(`c:${padded.slice(j, j + n)}`);
    }
  }
  // How it is written says as much as what: shouting, exclamations, length.
  if (shape) for (const cue of shapeCues(text)) add(`s:${cue}`, SHAPE_WEIGHT);
  return list;
}

/** A sparse vector: bucket numbers, in the order each first occurs, and their values. */
export interface BucketVector {
  idx: Int32Array;
  val: Float64Array;
}

// Scratch counts per bucket for bucketVector (synchronous, so one suffices); zeroed again after each use.
const scratch = new Float64Array(BUCKETS);

/** The features as a sparse unit vector under one hashing: log-scaled counts per bucket. */
export function bucketVector({ hashes, weights }: FeatureList, seed = 0): BucketVector {
  const order: number[] = [];
  for (let i = 0; i < hashes.length; i++) {
    const bucket = rehash(hashes[i]!, seed) % BUCKETS;
    if (scratch[bucket] === 0) order.push(bucket);
    scratch[bucket]! += weights[i]!;
  }
  const idx = Int32Array.from(order);
  const val = new Float64Array(order.length);
  let norm = 0;
  for (let j = 0; j < idx.length; j++) {
    const v = Math.log1p(scratch[idx[j]!]!);
    scratch[idx[j]!] = 0;
    val[j] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let j = 0; j < val.length; j++) val[j]! /= norm;
  return { idx, val };
}

/** bucketVector as a map: bucket → value. */
export function bucketize(list: FeatureList, seed = 0): Map<number, number> {
  const { idx, val } = bucketVector(list, seed);
  return new Map(Array.from(idx, (k, j) => [k, val[j]!]));
}

/** The ticket as a sparse unit vector under the plain hashing: bucket → weight (see featureList for `shape`). */
export function featurize(text: string, options: { shape?: boolean } = {}): Map<number, number> {
  return bucketize(featureList(text, options));
}

/** Cues of tone and urgency that hold in every language: shouting, exclamations, length. */
function shapeCues(text: string): string[] {
  const cues: string[] = [];
  const letters = text.match(/\p{L}{3,}/gu) ?? [];
  const shouted = letters.filter((w) => w === w.toUpperCase() && w !== w.toLowerCase()).length;
  if (shouted >= 1) cues.push("caps");
  if (shouted >= 3 || (letters.length && shouted / letters.length > 0.3)) cues.push("shouting");
  const bangs = (text.match(/!/g) ?? []).length;
  if (bangs >= 1) cues.push("bang");
  if (bangs >= 3 || text.includes("!!")) cues.push("bangs");
  if (/\?{2,}|\?!|!\?/.test(text)) cues.push("exasperated");
  cues.push(letters.length < 25 ? "short" : letters.length < 70 ? "medium" : "long");
  return cues;
}
