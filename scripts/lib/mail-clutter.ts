// Real tickets arrive as e-mail: a signature, a phone's footer, a legal
// disclaimer, the company details some countries require, and the quoted
// history of an earlier reply come with the customer's words. `npm run eval`
// wraps each held-out ticket in such clutter (data/triage/mail-clutter.json,
// written by someone who had not seen the code that strips it; a separate
// mail-clutter.dev.json is the one to tune on), passes it
// through intake's reading of a plain-text e-mail body (stripQuotedReply:
// quotes, signatures, disclaimers cut) and checks that triage reads the same ticket: the same
// category, urgency, sentiment, intent, language and hard stops. It also
// reports the same without intake's cleaning, to show what the cleaning saves.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stripQuotedReply } from "../../worker/integrations/common/reply-text";
import type { LabelledTicket } from "./triage-data";
import { TRIAGE_DATA } from "./triage-data";

interface Clutter {
  signatures: string[];
  mobile_footers: string[];
  disclaimers: string[];
  company_details: string[];
  reply_headers: string[];
  quoted_messages: string[];
}

/** The tuning sets (`npm run eval -- --clutter-dev`); "eval" is the held-out one. */
export const CLUTTER_DEV_SETS = ["dev", "dev2"] as const;
type ClutterSet = "eval" | (typeof CLUTTER_DEV_SETS)[number];

function readMailClutter(set: ClutterSet): Record<string, Clutter> {
  return (JSON.parse(readFileSync(join(TRIAGE_DATA, `mail-clutter.${set}.json`), "utf8")) as { languages: Record<string, Clutter> }).languages;
}

const pick = (items: string[], i: number) => items[i % items.length]!;

/** Ways a ticket's body arrives wrapped, each a function of the body, its clutter, the English clutter and the ticket's index. */
const CLUTTER_VARIANTS: Record<string, (body: string, own: Clutter, en: Clutter, i: number) => string> = {
  signature: (b, c, _, i) => `${b}\n\n${pick(c.signatures, i)}`,
  mobile_footer: (b, c, _, i) => `${b}\n\n${pick(c.mobile_footers, i)}`,
  disclaimer: (b, c, _, i) => `${b}\n\n${pick(c.signatures, i + 1)}\n\n${pick(c.disclaimers, i)}`,
  english_disclaimer: (b, c, en, i) => `${b}\n\n${pick(c.signatures, i + 2)}\n\n${pick(en.disclaimers, i)}`,
  company_details: (b, c, _, i) => `${b}\n\n${pick(c.signatures, i + 3)}\n\n${pick(c.company_details, i)}`,
  quoted_reply: (b, c, _, i) => `${b}\n\n${pick(c.reply_headers, i)}\n${pick(c.quoted_messages, i)}`,
  everything: (b, c, en, i) =>
    [
      b,
      pick(c.signatures, i + 4),
      pick(c.company_details, i + 1),
      pick(c.disclaimers, i + 1),
      pick(en.disclaimers, i + 1),
      `${pick(c.reply_headers, i + 1)}\n${pick(c.quoted_messages, i + 1)}`,
    ].join("\n\n"),
};

/** What triage reads of a ticket, as one comparable record per field. */
export type Reading = Record<"category" | "urgency" | "sentiment" | "intent" | "language" | "hard_stops", string>;

/**
 * Share of tickets whose reading is unchanged by each kind of clutter, field
 * by field and all fields at once: through intake's cleaning (`cleaned`) and
 * read raw (`raw`).
 */
export function clutterRobustness(tickets: LabelledTicket[], read: (subject: string, body: string) => Reading, set: ClutterSet = "eval") {
  const clutter = readMailClutter(set);
  const en = clutter.en!;
  const plain = tickets.map((t) => read(t.subject, stripQuotedReply(t.body)));
  const share = (n: number) => Math.round((1000 * n) / tickets.length) / 1000;
  const fields = Object.keys(plain[0]!) as (keyof Reading)[];
  const compare = (wrap: (t: LabelledTicket, i: number) => string, clean: boolean) => {
    const same = Object.fromEntries([...fields, "all"].map((f) => [f, 0])) as Record<keyof Reading | "all", number>;
    tickets.forEach((t, i) => {
      const body = wrap(t, i);
      const r = read(t.subject, clean ? stripQuotedReply(body) : body);
      const p = plain[i]!;
      for (const f of fields) if (r[f] === p[f]) same[f]++;
      if (fields.every((f) => r[f] === p[f])) same.all++;
    });
    return Object.fromEntries(Object.entries(same).map(([f, n]) => [f, share(n)]));
  };
  return Object.fromEntries(
    Object.entries(CLUTTER_VARIANTS).map(([name, variant]) => {
      const wrap = (t: LabelledTicket, i: number) => variant(t.body, clutter[t.lang] ?? en, en, i);
      return [name, { cleaned: compare(wrap, true), raw: compare(wrap, false) }];
    }),
  );
}

/**
 * For tuning (`npm run eval -- --clutter-dev`, the dev clutter only): each
 * clutter item that leaves something behind when it follows a message, with
 * what it leaves.
 */
export function clutterResidue(): { lang: string; kind: string; left: string }[] {
  const message = "Hello,\n\nthe export has failed since this morning.\nCan you help?";
  const misses: { lang: string; kind: string; left: string }[] = [];
  for (const set of CLUTTER_DEV_SETS) {
    for (const [lang, clutter] of Object.entries(readMailClutter(set))) {
      for (const [kind, items] of Object.entries(clutter) as [keyof Clutter, string[]][]) {
        for (const item of items) {
          const text = kind === "reply_headers" ? `${message}\n\n${item}\n> Thank you.` : `${message}\n\n${item}`;
          const left = stripQuotedReply(text);
          if (left !== message) misses.push({ lang, kind: `${set}/${kind}`, left: left.slice(message.length).trim() });
        }
      }
    }
  }
  return misses;
}
