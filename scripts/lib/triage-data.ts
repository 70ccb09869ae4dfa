// The labelled tickets in data/triage (docs/triage.md): `train` reads every
// *.train.jsonl, `eval` the held-out *.eval.jsonl, never both; the urgency
// annotations are second readings of the training tickets only.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stripQuotedReply } from "../../worker/integrations/common/reply-text";

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
  /**
   * A translation (`<lang>.translated.train.jsonl`): the id of the ticket it
   * translates, whose labels it keeps. Training keeps a ticket and its
   * translations on the same side of every split.
   */
  translated_from?: string;
}

/**
 * The labelled tickets of one set, each body as intake delivers it (closing,
 * signature and notices cut: worker/integrations/common/reply-text.ts), which
 * is what the classifier reads in production: it is trained and scored on the same.
 */
export function readTickets(set: "train" | "eval"): LabelledTicket[] {
  return readdirSync(TRIAGE_DATA)
    .filter((f) => f.endsWith(`.${set}.jsonl`))
    .sort()
    .flatMap((f) =>
      readFileSync(join(TRIAGE_DATA, f), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as LabelledTicket)
        .map((t) => ({ ...t, body: stripQuotedReply(t.body) })),
    );
}

/**
 * Two more urgency readings of every training ticket (data/triage/urgency-annotations.jsonl),
 * by annotators who saw only the ticket and the urgency guide in docs/triage.md, not the
 * writer's label. Not used in training: `npm run train:triage -- --agreement` compares them.
 */
export function readUrgencyAnnotations(): Map<string, string[]> {
  return new Map(
    readFileSync(join(TRIAGE_DATA, "urgency-annotations.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => {
        const { id, urgency } = JSON.parse(l) as { id: string; urgency: string[] };
        return [id, urgency];
      }),
  );
}
