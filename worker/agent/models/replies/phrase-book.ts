// Everything the holding reply says, in one language. Each language module
// exports one of these, written as a native support agent would write it (not
// translated word for word), and promising no more than the English text does:
// no refunds, dates or fixes.
import type { Category } from "../../../domain/enums";

export interface PhraseBook {
  /** Opening of a first draft; `name` is the requester's first name, or null when there is none. */
  greeting(name: string | null): string;
  /** Opening of a revised draft (a reviewer sent the first one back): a little more formal. */
  revisedGreeting(name: string | null): string;
  /** Thanks for getting in touch, quoting the ticket's subject. */
  thanks(subject: string): string;
  /** What we are doing about the ticket, by category; follows the thanks on the same line. */
  categoryLines: Record<Category, string>;
  /** A revised draft without reviewer-quoted wording says a specialist is looking at the case. */
  specialistReviewing: string;
  /** The case went to an internal queue; the queue name is a team name and stays as it is. */
  handoff(queue: string): string;
  /** Reply time when the customer's plan is not known. */
  slaUnknown(hours: number): string;
  /** Reply time for an enterprise customer; `company` is null when not known. */
  slaEnterprise(company: string | null, hours: number): string;
  /** Reply time on a named plan. */
  slaPlan(plan: string, hours: number): string;
  /** Introduces the passage of the team's own article a reply answers from (the article may be in another language). */
  guideIntro: string;
  /** Before the article's link. */
  readMore: string;
  /** After an answer from an article: the customer can write back if it does not help. */
  notSolved: string;
  /** The closing line before the signature. */
  signOff: string;
  /** Words that already make an account name a support signature ("Acme Kundenservice"). */
  supportWords: RegExp;
  /** The account name as a support signature ("Acme" → "Acme Support"). */
  supportSignature(accountName: string): string;
}

/** Matches any of `words` as a whole word, case-insensitively, letters beyond ASCII included. */
export function wordsPattern(words: readonly string[]): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${words.join("|")})(?![\\p{L}\\p{N}_])`, "iu");
}
