// Writes a sensible first response from the ticket, its category and the
// customer's entitlement, in the customer's language (./replies has one phrase
// book per language; English when the language is unknown). The offline model
// drafts with this; it promises no refunds, dates or fixes, only what the
// support team can stand behind.
import type { Entitlement } from "../../domain/types";
import type { Category } from "./classify";
import { type PhraseBook, phraseBook } from "./replies";

export interface ReplyFacts {
  requesterName: string;
  subject: string;
  category: Category;
  entitlement: Entitlement | null;
  accountName: string;
  handoffQueue: string | null;
  /** The reviewer's notes from earlier rounds, newest last. */
  revisionNotes: string[];
  /** The customer's language as an ISO 639-1 code ("de"); English when missing or not supported. */
  language?: string;
}

const ENGLISH = phraseBook("en");

/** The first name to greet by; null when there is none usable (the greeting then goes without). */
export function firstName(name: string): string | null {
  const first = name.trim().split(/\s+/)[0];
  return first && first.length <= 40 ? first : null;
}

function slaLine(book: PhraseBook, e: Entitlement | null): string {
  if (!e || e.tier === "unknown") return book.slaUnknown(e?.slaHours ?? 48);
  if (e.tier === "enterprise") return book.slaEnterprise(e.company, e.slaHours);
  return book.slaPlan(e.plan, e.slaHours);
}

/** A short quoted phrase from a reviewer note ("say \"…\"") that is meant for the customer. */
export function quotedPhrases(notes: string[]): string[] {
  const phrases: string[] = [];
  for (const note of notes) for (const m of note.matchAll(/["“]([^"”]{3,300})["”]/g)) phrases.push(m[1]!.trim());
  return phrases;
}

/**
 * "Acme" signs as "Acme Support" ("Acme Kundenservice" in German, …); a name that
 * already says support, in English or in the reply's language, stays as it is.
 */
export function signature(book: PhraseBook, accountName: string): string {
  return ENGLISH.supportWords.test(accountName) || book.supportWords.test(accountName) ? accountName : book.supportSignature(accountName);
}

export function composeHoldingReply(f: ReplyFacts): string {
  const book = phraseBook(f.language);
  const revised = f.revisionNotes.length > 0;
  const name = firstName(f.requesterName);
  const greeting = revised ? book.revisedGreeting(name) : book.greeting(name);
  const lines = [greeting, "", `${book.thanks(f.subject.trim())} ${book.categoryLines[f.category]}`];
  // A revision writes a fuller reply and carries over any wording the reviewer quoted.
  const quoted = quotedPhrases(f.revisionNotes);
  if (quoted.length) lines.push("", quoted.join(" "));
  if (revised && !quoted.length) {
    lines.push("", book.specialistReviewing);
  }
  if (f.handoffQueue) lines.push("", book.handoff(f.handoffQueue));
  lines.push("", slaLine(book, f.entitlement), "", book.signOff, signature(book, f.accountName));
  return lines.join("\n");
}
