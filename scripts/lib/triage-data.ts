// The labelled tickets in data/triage (docs/triage.md): `train` reads every
// *.train.jsonl, `eval` the held-out *.eval.jsonl, never both.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const TRIAGE_DATA = "data/triage";

export interface LabelledTicket {
  id: string;
  lang: string;
  subject: string;
  body: string;
  category: string;
  urgency: string;
  sentiment: string;
  intent: string;
  flags: string[];
}

export function readTickets(set: "train" | "eval"): LabelledTicket[] {
  return readdirSync(TRIAGE_DATA)
    .filter((f) => f.endsWith(`.${set}.jsonl`))
    .sort()
    .flatMap((f) =>
      readFileSync(join(TRIAGE_DATA, f), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as LabelledTicket),
    );
}
