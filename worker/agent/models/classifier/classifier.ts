// The offline triage classifier: a small linear model per field (category,
// urgency, sentiment, intent) over the hashed features of features.ts. The
// weights ship as JSON (weights.json, made by `npm run train:triage` from
// data/triage/*.train.jsonl; read-ticket.ts loads them into the Worker) and each field's confidence is the softmax of
// its scores at a temperature fitted on training tickets scored by a model that
// never saw their writer (train-triage.ts `calibrate`), so a
// confidence of 0.8 means right about 80 % of the time (`npm run eval`).
// Three more heads, yes/no, read the hard stops that wording rules miss in
// other languages and other words: anger, a legal threat, a request for a human.
import { CATEGORIES, type Category, INTENTS, type Intent, PRIORITIES, type Priority, SENTIMENTS, type Sentiment } from "../../../domain/enums";
import { BUCKETS, featurize } from "./features";

interface HeadFile {
  labels: string[];
  /** int8 weights, labels × buckets row-major, base64; multiply by `scale`. */
  weights: string;
  scale: number;
  bias: number[];
  temperature: number;
  /** Yes/no heads: "yes" from this calibrated probability on (fitted for F2 the same way as the temperature). */
  threshold?: number;
}

/** The hard stops the classifier reads (policy/risk.ts's rules read them too, and prompt injection). */
export const CLASSIFIED_HARD_STOPS = ["anger", "legal_threat", "human_request"] as const;
type ClassifiedHardStop = (typeof CLASSIFIED_HARD_STOPS)[number];

export interface WeightsFile {
  buckets: number;
  heads: Record<"category" | "urgency" | "sentiment" | "intent" | ClassifiedHardStop, HeadFile>;
}

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

interface Head {
  labels: string[];
  weights: Int8Array;
  scale: number;
  bias: number[];
  temperature: number;
}

function decode(file: HeadFile, expected: readonly string[], buckets: number): Head {
  const bytes = Uint8Array.from(atob(file.weights), (c) => c.charCodeAt(0));
  if (bytes.length !== file.labels.length * buckets) throw new Error("classifier weights do not match their labels");
  if (file.labels.some((l) => !expected.includes(l))) throw new Error(`classifier labels ${file.labels.join(",")} are not all known`);
  return { labels: file.labels, weights: new Int8Array(bytes.buffer), scale: file.scale, bias: file.bias, temperature: file.temperature };
}

/** Softmax probabilities of one head for a featurized ticket. */
function headProbabilities(head: Head, features: Map<number, number>): number[] {
  const scores = head.labels.map((_, c) => {
    let s = head.bias[c]!;
    const row = c * BUCKETS;
    for (const [k, v] of features) s += head.weights[row + k]! * head.scale * v;
    return s / head.temperature;
  });
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

function best<T extends string>(head: Head, features: Map<number, number>): Prediction<T> {
  const p = headProbabilities(head, features);
  let i = 0;
  for (let j = 1; j < p.length; j++) if (p[j]! > p[i]!) i = j;
  return { label: head.labels[i] as T, confidence: Math.round(p[i]! * 1000) / 1000 };
}

/** A classifier from its weights file; `read(subject, body)` gives each field with a calibrated confidence. */
export function classifierFrom(file: WeightsFile) {
  if (file.buckets !== BUCKETS) throw new Error(`classifier weights were trained with ${file.buckets} buckets, the features use ${BUCKETS}`);
  const h = {
    category: decode(file.heads.category, CATEGORIES, file.buckets),
    urgency: decode(file.heads.urgency, PRIORITIES, file.buckets),
    sentiment: decode(file.heads.sentiment, SENTIMENTS, file.buckets),
    intent: decode(file.heads.intent, INTENTS, file.buckets),
  };
  const stops = CLASSIFIED_HARD_STOPS.map((kind) => ({
    kind,
    head: decode(file.heads[kind], ["no", "yes"], file.buckets),
    threshold: file.heads[kind].threshold ?? 0.5,
  }));
  return {
    read(subject: string, body: string): TriageReading {
      const features = featurize(`${subject}\n${body}`);
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
      const features = featurize(`${subject}\n${body}`);
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
    const p = headProbabilities(head, featurize(sentence))[head.labels.indexOf("yes")]!;
    if (p > bestP) {
      bestP = p;
      best = sentence;
    }
  }
  return best.length > 80 ? `${best.slice(0, 79)}…` : best;
}
