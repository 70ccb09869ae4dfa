// Trains the offline triage classifier (worker/agent/models/classifier) on
// data/triage/*.train.jsonl and writes its weights.json. The *.eval.jsonl
// files are never read here: they are the held-out set `npm run eval` scores.
//
//   npm run train:triage
//
// One softmax regression per field over the hashed features, trained with
// Adagrad and L2, classes weighted by inverse frequency (macro-F1 counts every
// class alike). Confidence is calibrated by temperature scaling: a model
// trained on 80 % of the training tickets is scored on the other 20 %, the
// temperature that minimises their log-loss is kept, then the final model is
// trained on all of them.
import { writeFileSync } from "node:fs";
import { BUCKETS, featurize } from "../worker/agent/models/classifier/features";
import { CATEGORIES, INTENTS, PRIORITIES, SENTIMENTS } from "../worker/domain/enums";
import { readTickets } from "./lib/triage-data";

const OUT = "worker/agent/models/classifier/weights.json";
// Settings; TRIAGE_EPOCHS, TRIAGE_L2 and TRIAGE_RATE override them for experiments.
const EPOCHS = Number(process.env.TRIAGE_EPOCHS ?? 30);
const L2 = Number(process.env.TRIAGE_L2 ?? 1e-3);
const RATE = Number(process.env.TRIAGE_RATE ?? 0.5);

const HEADS = { category: CATEGORIES, urgency: PRIORITIES, sentiment: SENTIMENTS, intent: INTENTS } as const;
type HeadName = keyof typeof HEADS;

const tickets = readTickets("train");
const examples = tickets.map((t) => ({ t, x: [...featurize(`${t.subject}\n${t.body}`)] }));

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

function train(head: HeadName, data: typeof examples): Model {
  const labels = HEADS[head] as readonly string[];
  const k = labels.length;
  const w = new Float64Array(k * BUCKETS);
  const b = new Float64Array(k);
  const gw = new Float64Array(k * BUCKETS).fill(1e-8);
  const gb = new Float64Array(k).fill(1e-8);
  const counts = labels.map((l) => data.filter((e) => e.t[head] === l).length);
  const classWeight = counts.map((c) => (c ? data.length / (k * c) : 0));
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (const e of shuffled(data, 17 + epoch)) {
      const y = labels.indexOf(e.t[head]);
      if (y < 0) continue;
      const scores = labels.map((_, c) => e.x.reduce((s, [f, v]) => s + w[c * BUCKETS + f]! * v, b[c]!));
      const max = Math.max(...scores);
      const exps = scores.map((s) => Math.exp(s - max));
      const sum = exps.reduce((a, x) => a + x, 0);
      for (let c = 0; c < k; c++) {
        const g = (exps[c]! / sum - (c === y ? 1 : 0)) * classWeight[y]!;
        for (const [f, v] of e.x) {
          const i = c * BUCKETS + f;
          const grad = g * v + L2 * w[i]!;
          gw[i]! += grad * grad;
          w[i]! -= (RATE * grad) / Math.sqrt(gw[i]!);
        }
        gb[c]! += g * g;
        b[c]! -= (RATE * g) / Math.sqrt(gb[c]!);
      }
    }
  }
  return { w, b };
}

function probabilities(m: Model, x: [number, number][], k: number, temperature: number): number[] {
  const scores = Array.from({ length: k }, (_, c) => x.reduce((s, [f, v]) => s + m.w[c * BUCKETS + f]! * v, m.b[c]!) / temperature);
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, x) => a + x, 0);
  return exps.map((e) => e / sum);
}

function fitTemperature(head: HeadName): { temperature: number; heldOut: number } {
  const order = shuffled(examples, 99);
  const cut = Math.floor(order.length * 0.8);
  const model = train(head, order.slice(0, cut));
  const held = order.slice(cut);
  const labels = HEADS[head] as readonly string[];
  let bestT = 1;
  let bestLoss = Number.POSITIVE_INFINITY;
  for (let t = 0.2; t <= 5; t += 0.05) {
    let loss = 0;
    for (const e of held) loss -= Math.log(probabilities(model, e.x, labels.length, t)[labels.indexOf(e.t[head])]! + 1e-12);
    if (loss < bestLoss) {
      bestLoss = loss;
      bestT = t;
    }
  }
  return { temperature: Math.round(bestT * 100) / 100, heldOut: held.length };
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

const heads: Record<string, unknown> = {};
for (const head of Object.keys(HEADS) as HeadName[]) {
  const { temperature, heldOut } = fitTemperature(head);
  const model = train(head, examples);
  heads[head] = { labels: [...HEADS[head]], temperature, ...quantize(model) };
  console.log(`${head}: temperature ${temperature} (fitted on ${heldOut} held-back training tickets)`);
}

const languages = [...new Set(tickets.map((t) => t.lang))].sort();
writeFileSync(
  OUT,
  `${JSON.stringify({
    source: "data/triage/*.train.jsonl: support tickets written for this project (CC0); *.eval.jsonl is held out",
    trainedOn: { tickets: tickets.length, languages },
    buckets: BUCKETS,
    heads,
  })}\n`,
);
console.log(`wrote ${OUT}: ${tickets.length} tickets in ${languages.join(", ")}`);
