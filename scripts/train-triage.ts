// Trains the offline triage classifier (worker/agent/models/classifier) on
// data/triage/*.train.jsonl and writes its weights.json and
// weights-rehashed.json. The *.eval.jsonl
// files are never read here: they are the held-out set `npm run eval` scores.
//
//   npm run train:triage
//
// One softmax regression per field over the hashed features, trained with
// Adagrad and L2, classes weighted by inverse frequency (macro-F1 counts every
// class alike). Confidence is calibrated by temperature scaling: each
// training source (writer) is scored by a model trained on the others, the
// temperature that minimises the log-loss of those scores is kept (and, for
// the yes/no heads, the threshold with the best F2), then the final model is
// trained on all of them. The hard-stop heads (anger, legal threat, a request
// for a human) are yes/no regressions on each ticket's `flags`.
// Translations (`<lang>.translated.train.jsonl`) train every head like the
// tickets they translate; every split keeps a ticket and its translations
// together, so no figure is judged on a ticket whose translation was learnt.
// Urgency is the mean of four such models, each over its own hashing of the
// features (features.ts `bucketVector` with a seed; docs/triage.md, ninth round).
//
// TRIAGE_HEADS=urgency,anger retrains only those heads and keeps the others
// from the current weights files (training is deterministic, so a full run
// gives the same bytes for them; a full run takes about 9 minutes).
import { readFileSync, writeFileSync } from "node:fs";
import { CLASSIFIED_HARD_STOPS } from "../worker/agent/models/classifier/classifier";
import { BUCKETS, type BucketVector, bucketVector, featureList } from "../worker/agent/models/classifier/features";
import { CATEGORIES, INTENTS, PRIORITIES, SENTIMENTS } from "../worker/domain/enums";
import { readTickets, readUrgencyAnnotations } from "./lib/triage-data";

const OUT = "worker/agent/models/classifier/weights.json";
/** The heads' further models over other hashings (classifier.ts `RehashedFile` says why a file of its own). */
const OUT_REHASHED = "worker/agent/models/classifier/weights-rehashed.json";
// Settings; TRIAGE_EPOCHS, TRIAGE_L2 and TRIAGE_RATE override them for experiments.
const EPOCHS = Number(process.env.TRIAGE_EPOCHS ?? 30);
const L2 = Number(process.env.TRIAGE_L2 ?? 1e-3);
const RATE = Number(process.env.TRIAGE_RATE ?? 0.5);

const tickets = readTickets("train");
type Ticket = (typeof tickets)[number];

/** Each head: its labels, a ticket's label, and the hashings it averages over (seed 0 alone unless said). */
const HEADS: Record<string, { labels: readonly string[]; label: (t: Ticket) => string; seeds?: number[] }> = {
  category: { labels: CATEGORIES, label: (t) => t.category },
  urgency: { labels: PRIORITIES, label: (t) => t.urgency, seeds: [0, 1, 2, 3] },
  sentiment: { labels: SENTIMENTS, label: (t) => t.sentiment },
  intent: { labels: INTENTS, label: (t) => t.intent },
  ...Object.fromEntries(CLASSIFIED_HARD_STOPS.map((flag) => [flag, { labels: ["no", "yes"], label: (t: Ticket) => (t.flags.includes(flag) ? "yes" : "no") }])),
};
const seedsOf = (head: string) => HEADS[head]!.seeds ?? [0];

const lists = tickets.map((t) => featureList(`${t.subject}\n${t.body}`));
const vectorsBySeed = new Map<number, BucketVector[]>();
/** Every ticket's vector under hashing `seed` (index-aligned with `tickets`), made once. */
function vectors(seed: number): BucketVector[] {
  let v = vectorsBySeed.get(seed);
  if (!v) {
    v = lists.map((list) => bucketVector(list, seed));
    vectorsBySeed.set(seed, v);
  }
  return v;
}
const examples = tickets.map((t, i) => ({ t, i }));

/** The ticket a training example was written as: itself, or the one it translates. */
const originOf = (t: Ticket) => t.translated_from ?? t.id;

/** Which training file (writer) an origin id came from: its second part (train, more, urg, urg2). */
const sourceOfOrigin = (origin: string) => origin.split("-")[1]!;
const sourceOf = (t: Ticket) => sourceOfOrigin(originOf(t));

/**
 * Splits the examples by origin, so a ticket and its translations always fall
 * on the same side: `held(origin)` says which origins are held back.
 */
function splitByOrigin(data: typeof examples, held: (origin: string) => boolean) {
  return { train: data.filter((e) => !held(originOf(e.t))), held: data.filter((e) => held(originOf(e.t))) };
}

/** A deterministic shuffle (the same weights from the same data). */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface Model {
  w: Float64Array;
  b: Float64Array;
}

function dot(m: Model, c: number, x: BucketVector): number {
  let s = m.b[c]!;
  const row = c * BUCKETS;
  for (let j = 0; j < x.idx.length; j++) s += m.w[row + x.idx[j]!]! * x.val[j]!;
  return s;
}

function train(head: string, data: typeof examples, seed: number): Model {
  const xs = vectors(seed);
  const { labels, label } = HEADS[head]!;
  const k = labels.length;
  const m: Model = { w: new Float64Array(k * BUCKETS), b: new Float64Array(k) };
  const { w, b } = m;
  const gw = new Float64Array(k * BUCKETS).fill(1e-8);
  const gb = new Float64Array(k).fill(1e-8);
  const counts = labels.map((l) => data.filter((e) => label(e.t) === l).length);
  // Fields weight classes by inverse frequency; a yes/no head keeps its
  // probabilities honest instead and gets a fitted threshold (calibrate).
  const binary = labels.join() === "no,yes";
  const classWeight = counts.map((c) => (binary ? 1 : c ? data.length / (k * c) : 0));
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (const e of shuffled(data, 17 + epoch)) {
      const y = labels.indexOf(label(e.t));
      if (y < 0) continue;
      const x = xs[e.i]!;
      const scores = labels.map((_, c) => dot(m, c, x));
      const max = Math.max(...scores);
      const exps = scores.map((s) => Math.exp(s - max));
      const sum = exps.reduce((a, x) => a + x, 0);
      for (let c = 0; c < k; c++) {
        const g = (exps[c]! / sum - (c === y ? 1 : 0)) * classWeight[y]!;
        for (let j = 0; j < x.idx.length; j++) {
          const i = c * BUCKETS + x.idx[j]!;
          const grad = g * x.val[j]! + L2 * w[i]!;
          gw[i]! += grad * grad;
          w[i]! -= (RATE * grad) / Math.sqrt(gw[i]!);
        }
        gb[c]! += g * g;
        b[c]! -= (RATE * g) / Math.sqrt(gb[c]!);
      }
    }
  }
  return m;
}

/** One model per hashing the head averages over, each trained on `data`. */
function trainHead(head: string, data: typeof examples): { seed: number; model: Model }[] {
  return seedsOf(head).map((seed) => ({ seed, model: train(head, data, seed) }));
}

/** The head's raw score of each class for a ticket: its models' mean. */
function scores(members: { seed: number; model: Model }[], e: (typeof examples)[number], k: number): number[] {
  return Array.from({ length: k }, (_, c) => members.reduce((s, { seed, model }) => s + dot(model, c, vectors(seed)[e.i]!), 0) / members.length);
}

/** Softmax of raw scores at a temperature. */
function softmax(raw: number[], temperature: number): number[] {
  const scaled = raw.map((s) => s / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, x) => a + x, 0);
  return exps.map((e) => e / sum);
}

/**
 * Calibration on tickets from a writer the model has not seen: each training
 * source is scored by a model trained on the other sources (and their
 * translations), and over all those scores this keeps the temperature that
 * minimises the log-loss and, for a yes/no hard-stop head, the threshold that
 * maximises F2 (a missed hard stop costs more than a needless review). A
 * random split would be judged on tickets whose translations, or whose twins
 * in another language, were learnt, and the confidence would come out sure of
 * itself beyond what tickets from elsewhere bear out.
 */
function calibrate(head: string): { temperature: number; threshold?: number; heldOut: number } {
  const { labels, label } = HEADS[head]!;
  const scored: { scores: number[]; y: number }[] = [];
  for (const source of [...new Set(examples.map((e) => sourceOf(e.t)))]) {
    const split = splitByOrigin(examples, (origin) => sourceOfOrigin(origin) === source);
    const members = trainHead(head, split.train);
    for (const e of split.held) scored.push({ scores: scores(members, e, labels.length), y: labels.indexOf(label(e.t)) });
  }
  let bestT = 1;
  let bestLoss = Number.POSITIVE_INFINITY;
  for (let t = 0.2; t <= 5; t += 0.05) {
    let loss = 0;
    for (const s of scored) loss -= Math.log(softmax(s.scores, t)[s.y]! + 1e-12);
    if (loss < bestLoss) {
      bestLoss = loss;
      bestT = t;
    }
  }
  const temperature = Math.round(bestT * 100) / 100;
  if (labels.join() !== "no,yes") return { temperature, heldOut: scored.length };
  const yes = scored.map((s) => ({ p: softmax(s.scores, temperature)[1]!, yes: s.y === 1 }));
  let threshold = 0.5;
  let bestF2 = -1;
  for (let th = 0.1; th <= 0.9; th += 0.05) {
    const tp = yes.filter((s) => s.p >= th && s.yes).length;
    const fp = yes.filter((s) => s.p >= th && !s.yes).length;
    const fn = yes.filter((s) => s.p < th && s.yes).length;
    const f2 = (5 * tp) / Math.max(1, 5 * tp + 4 * fn + fp);
    if (f2 > bestF2) {
      bestF2 = f2;
      threshold = Math.round(th * 100) / 100;
    }
  }
  return { temperature, threshold, heldOut: scored.length };
}

function quantize(m: Model) {
  let max = 0;
  for (const v of m.w) max = Math.max(max, Math.abs(v));
  const scale = max / 127 || 1;
  const bytes = new Uint8Array(m.w.length);
  const view = new Int8Array(bytes.buffer);
  for (let i = 0; i < m.w.length; i++) view[i] = Math.round(m.w[i]! / scale);
  return { weights: Buffer.from(bytes).toString("base64"), scale, bias: [...m.b].map((v) => Math.round(v * 1e4) / 1e4) };
}

/**
 * `--cv`: five-fold cross-validation on the training tickets only, printing
 * each field's macro-F1, and writes nothing. Settings (TRIAGE_L2, …) are
 * chosen by this figure, never by the held-out set `npm run eval` scores.
 * `--cv-by-source`: one fold per training source (the id's second part:
 * train, more, urg, urg2, each written separately), so a fold is predicted
 * by a model that never saw its writer's phrasing: closer to tickets from
 * elsewhere than random folds, and lower.
 */
function crossValidate(head: string, bySource: boolean): number {
  const { labels, label } = HEADS[head]!;
  const randomFold = new Map(shuffled([...new Set(examples.map((e) => originOf(e.t)))], 7).map((origin, i) => [origin, String(i % 5)]));
  const foldOf = (origin: string) => (bySource ? sourceOfOrigin(origin) : randomFold.get(origin)!);
  const folds = [...new Set([...randomFold.keys()].map(foldOf))];
  const order = shuffled(examples, 7);
  const truth: string[] = [];
  const guess: string[] = [];
  for (const fold of folds) {
    const split = splitByOrigin(order, (origin) => foldOf(origin) === fold);
    const members = trainHead(head, split.train);
    // Scored on the tickets as written, so the figure compares with runs before the translations.
    for (const e of split.held.filter((e) => !e.t.translated_from)) {
      const p = scores(members, e, labels.length);
      truth.push(label(e.t));
      guess.push(labels[p.indexOf(Math.max(...p))]!);
    }
  }
  return macroF1(labels, truth, guess);
}

/** Macro-F1 of `guess` against `truth`, over the labels that occur in `truth`. */
function macroF1(labels: readonly string[], truth: string[], guess: string[]): number {
  const f1s = labels
    .filter((l) => truth.includes(l))
    .map((l) => {
      const tp = truth.filter((t, i) => t === l && guess[i] === l).length;
      const fp = guess.filter((g, i) => g === l && truth[i] !== l).length;
      const fn = truth.filter((t, i) => t === l && guess[i] !== l).length;
      return tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
    });
  return f1s.reduce((a, x) => a + x, 0) / f1s.length;
}

/**
 * `--agreement`: how far the two annotators of data/triage/urgency-annotations.jsonl
 * agree with each ticket's writer and with each other, per training source, as
 * urgency macro-F1: what a reader who follows the guide would score against
 * that writer's labels (docs/triage.md, sixth round). Writes nothing.
 */
function annotatorAgreement() {
  const annotations = readUrgencyAnnotations();
  const written = tickets.filter((t) => !t.translated_from);
  const sources = [...new Set(written.map(sourceOf))];
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return Object.fromEntries(
    sources.map((source) => {
      const of = written.filter((t) => sourceOf(t) === source);
      const writer = of.map((t) => t.urgency);
      const [a, b] = [0, 1].map((n) =>
        of.map((t) => {
          const label = annotations.get(t.id)?.[n];
          if (!label) throw new Error(`urgency-annotations.jsonl has no reading ${n + 1} of ${t.id}`);
          return label;
        }),
      );
      return [
        source,
        {
          tickets: of.length,
          annotator_a_vs_writer: round(macroF1(PRIORITIES, writer, a!)),
          annotator_b_vs_writer: round(macroF1(PRIORITIES, writer, b!)),
          annotator_a_vs_b: round(macroF1(PRIORITIES, a!, b!)),
        },
      ];
    }),
  );
}

if (process.argv.includes("--agreement")) {
  console.log(JSON.stringify({ urgency_macro_f1: annotatorAgreement() }, null, 2));
  process.exit(0);
}

if (process.argv.includes("--cv") || process.argv.includes("--cv-by-source")) {
  const bySource = process.argv.includes("--cv-by-source");
  const fields = ["category", "urgency", "sentiment", "intent"].filter((h) => !process.env.TRIAGE_CV_HEAD || h === process.env.TRIAGE_CV_HEAD);
  const out = Object.fromEntries(fields.map((h) => [h, Math.round(crossValidate(h, bySource) * 1000) / 1000]));
  console.log(JSON.stringify({ settings: { epochs: EPOCHS, l2: L2, rate: RATE }, folds: bySource ? "by source" : "random 5", cv_macro_f1: out }));
  process.exit(0);
}

const only = process.env.TRIAGE_HEADS?.split(",");
const unknown = only?.filter((h) => !HEADS[h]);
if (unknown?.length) throw new Error(`TRIAGE_HEADS: no head ${unknown.join(", ")}; the heads are ${Object.keys(HEADS).join(", ")}`);
const kept: Record<string, unknown> = only ? JSON.parse(readFileSync(OUT, "utf8")).heads : {};
const keptRehashed: Record<string, unknown> = only ? JSON.parse(readFileSync(OUT_REHASHED, "utf8")) : {};
const heads: Record<string, unknown> = {};
const rehashedHeads: Record<string, unknown> = {};
for (const head of Object.keys(HEADS)) {
  if (only && !only.includes(head)) {
    heads[head] = kept[head];
    if (keptRehashed[head]) rehashedHeads[head] = keptRehashed[head];
    console.log(`${head}: kept from ${OUT}`);
    continue;
  }
  const { temperature, threshold, heldOut } = calibrate(head);
  const [plain, ...rehashed] = trainHead(head, examples);
  heads[head] = {
    labels: [...HEADS[head]!.labels],
    temperature,
    ...(threshold === undefined ? {} : { threshold }),
    ...quantize(plain!.model),
  };
  if (rehashed.length) rehashedHeads[head] = rehashed.map(({ seed, model }) => ({ seed, ...quantize(model) }));
  console.log(
    `${head}: temperature ${temperature}${threshold === undefined ? "" : `, threshold ${threshold}`} (fitted on ${heldOut} training tickets, each scored by a model that never saw its source)`,
  );
}

const languages = [...new Set(tickets.map((t) => t.lang))].sort();
const translations = tickets.filter((t) => t.translated_from).length;
writeFileSync(
  OUT,
  `${JSON.stringify({
    source: "data/triage/*.train.jsonl: support tickets written for this project (CC0); *.eval.jsonl is held out",
    trainedOn: { tickets: tickets.length, translations, languages },
    buckets: BUCKETS,
    heads,
  })}\n`,
);
writeFileSync(OUT_REHASHED, `${JSON.stringify(rehashedHeads)}\n`);
console.log(`wrote ${OUT} and ${OUT_REHASHED}: ${tickets.length} tickets (${translations} of them translations) in ${languages.join(", ")}`);
