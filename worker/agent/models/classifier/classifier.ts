// The offline triage classifier: a small linear model per field (category,
// urgency, sentiment, intent) over the hashed features of features.ts. The
// weights ship as JSON (weights.json and weights-rehashed.json, made by `npm run train:triage` from
// data/triage/*.train.jsonl; read-ticket.ts loads them into the Worker) and each field's confidence is the softmax of
// its scores at a temperature fitted on training tickets scored by a model that
// never saw their writer (train-triage.ts `calibrate`), so a
// confidence of 0.8 means right about 80 % of the time (`npm run eval`).
// Three more heads, yes/no, read the hard stops that wording rules miss in
// other languages and other words: anger, a legal threat, a request for a human.
// Urgency averages four models, each over its own hashing of the same
// features (features.ts `rehash`): which features share a bucket moved its
// figure by as much as anything tried on the model, and the average reads past
// any one hashing's collisions (docs/triage.md, ninth round).
import { CATEGORIES, type Category, INTENTS, type Intent, PRIORITIES, type Priority, SENTIMENTS, type Sentiment } from "../../../domain/enums";
import { BUCKETS, type BucketVector, bucketVector, featureList } from "./features";

/** One linear model over one hashing of the features. */
interface HashedWeights {
  /** int8 weights, labels × buckets row-major, base64; multiply by `scale`. */
  weights: string;
  scale: number;
  bias: number[];
}

interface HeadFile extends HashedWeights {
  labels: string[];
  temperature: number;
  /** Yes/no heads: "yes" from this calibrated probability on (fitted for F2 the same way as the temperature). */
  threshold?: number;
}

/** The hard stops the classifier reads (policy/risk.ts's rules read them too, and prompt injection). */
export const CLASSIFIED_HARD_STOPS = ["anger", "legal_threat", "human_request"] as const;
type ClassifiedHardStop = (typeof CLASSIFIED_HARD_STOPS)[number];

type HeadName = "category" | "urgency" | "sentiment" | "intent" | ClassifiedHardStop;

export interface WeightsFile {
  buckets: number;
  heads: Record<HeadName, HeadFile>;
}

/**
 * More models per head over other hashings (features.ts `bucketVector` with
 * `seed`): the head's scores are the mean of its own model in WeightsFile
 * (the plain hashing, seed 0) and these. A file of its own
 * (weights-rehashed.json), so that each weights module stays well under 1 MiB:
 * the workerd test pool hands each module to workerd in one WebSocket message,
 * which workerd caps at 1 MiB (vitest.config.ts says more).
 */
export type RehashedFile = Partial<Record<HeadName, (HashedWeights & { seed: number })[]>>;

export interface Prediction<T extends string> {
  label: T;
  /** Calibrated probability of `label`, 0 to 1. */
  confidence: number;
}

export interface TriageReading {
  category: Prediction<Category>;
  urgency: Prediction<Priority>;
  sentiment: Prediction<Sentiment>;
  intent: Prediction<Intent>;
}

/** A hard stop the classifier found: its calibrated probability and the sentence that says it most. */
export interface HardStopReading {
  kind: ClassifiedHardStop;
  confidence: number;
  sentence: string;
}

interface Member {
  seed: number;
  weights: Int8Array;
  scale: number;
  bias: number[];
}

interface Head {
  labels: string[];
  members: Member[];
  temperature: number;
}

function decodeMember(file: HashedWeights, seed: number, labels: number, buckets: number): Member {
  const bytes = Uint8Array.from(atob(file.weights), (c) => c.charCodeAt(0));
  if (bytes.length !== labels * buckets || file.bias.length !== labels) throw new Error("classifier weights do not match their labels");
  return { seed, weights: new Int8Array(bytes.buffer), scale: file.scale, bias: file.bias };
}

function decode(file: HeadFile, rehashed: RehashedFile[HeadName], expected: readonly string[], buckets: number): Head {
  if (file.labels.some((l) => !expected.includes(l))) throw new Error(`classifier labels ${file.labels.join(",")} are not all known`);
  const k = file.labels.length;
  const members = [decodeMember(file, 0, k, buckets), ...(rehashed ?? []).map((m) => decodeMember(m, m.seed, k, buckets))];
  return { labels: file.labels, members, temperature: file.temperature };
}

type Features = (seed: number) => BucketVector;

/** A text's features, bucketed once per hashing the heads ask for. */
function featuresOf(text: string): Features {
  const list = featureList(text);
  const bySeed = new Map<number, BucketVector>();
  return (seed) => {
    let x = bySeed.get(seed);
    if (!x) {
      x = bucketVector(list, seed);
      bySeed.set(seed, x);
    }
    return x;
  };
}

/** Softmax probabilities of one head for a ticket: its members' mean scores, at its temperature. */
function headProbabilities(head: Head, features: Features): number[] {
  const k = head.labels.length;
  const sums = new Array<number>(k).fill(0);
  const s = new Array<number>(k);
  for (const m of head.members) {
    const { idx, val } = features(m.seed);
    for (let c = 0; c < k; c++) s[c] = m.bias[c]!;
    for (let j = 0; j < idx.length; j++) {
      for (let c = 0; c < k; c++) s[c] += m.weights[c * BUCKETS + idx[j]!]! * m.scale * val[j]!;
    }
    for (let c = 0; c < k; c++) sums[c] += s[c]!;
  }
  const scores = sums.map((sum) => sum / head.members.length / head.temperature);
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

function best<T extends string>(head: Head, features: Features): Prediction<T> {
  const p = headProbabilities(head, features);
  let i = 0;
  for (let j = 1; j < p.length; j++) if (p[j]! > p[i]!) i = j;
  return { label: head.labels[i] as T, confidence: Math.round(p[i]! * 1000) / 1000 };
}

/** A classifier from its weights file; `read(subject, body)` gives each field with a calibrated confidence. */
export function classifierFrom(file: WeightsFile, rehashed: RehashedFile = {}) {
  if (file.buckets !== BUCKETS) throw new Error(`classifier weights were trained with ${file.buckets} buckets, the features use ${BUCKETS}`);
  const h = {
    category: decode(file.heads.category, rehashed.category, CATEGORIES, file.buckets),
    urgency: decode(file.heads.urgency, rehashed.urgency, PRIORITIES, file.buckets),
    sentiment: decode(file.heads.sentiment, rehashed.sentiment, SENTIMENTS, file.buckets),
    intent: decode(file.heads.intent, rehashed.intent, INTENTS, file.buckets),
  };
  const stops = CLASSIFIED_HARD_STOPS.map((kind) => ({
    kind,
    head: decode(file.heads[kind], rehashed[kind], ["no", "yes"], file.buckets),
    threshold: file.heads[kind].threshold ?? 0.5,
  }));
  return {
    read(subject: string, body: string): TriageReading {
      const features = featuresOf(`${subject}\n${body}`);
      return {
        category: best<Category>(h.category, features),
        urgency: best<Priority>(h.urgency, features),
        sentiment: best<Sentiment>(h.sentiment, features),
        intent: best<Intent>(h.intent, features),
      };
    },
    /**
     * The hard stops whose probability reaches their head's threshold, each with the
     * body sentence that scores highest on its own (what the reviewer is shown as why;
     * the review card shows the subject already, so a one-word subject such as
     * "Cancel" would say nothing new). An empty body falls back to the subject.
     */
    hardStops(subject: string, body: string): HardStopReading[] {
      const features = featuresOf(`${subject}\n${body}`);
      const found: HardStopReading[] = [];
      for (const { kind, head, threshold } of stops) {
        const yes = headProbabilities(head, features)[head.labels.indexOf("yes")]!;
        if (yes < threshold) continue;
        found.push({ kind, confidence: Math.round(yes * 1000) / 1000, sentence: loudestSentence(head, body.trim() ? body : subject) });
      }
      return found;
    },
  };
}

/** The sentence (of the first 40) the head scores most "yes", trimmed for a badge. */
function loudestSentence(head: Head, text: string): string {
  const sentences = text
    .split(/(?<=[.!?…])\s+|\n+/)
    .map((x) => x.trim())
    .filter((x) => x.length > 1)
    .slice(0, 40);
  let best = sentences[0] ?? "";
  let bestP = -1;
  for (const sentence of sentences) {
    const p = headProbabilities(head, featuresOf(sentence))[head.labels.indexOf("yes")]!;
    if (p > bestP) {
      bestP = p;
      best = sentence;
    }
  }
  return best.length > 80 ? `${best.slice(0, 79)}…` : best;
}
