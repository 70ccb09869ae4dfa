// A reply that answers from the team's own article: the customer's greeting,
// the passage of the article that answers the question (its steps, or its most
// relevant paragraph, as search_knowledge returns it), the link, and the
// phrase book's framing and sign-off in the customer's language, whatever the
// article's own language. When no article covers the question well, the
// holding reply instead. The offline model drafts with this, and a person
// starts from it when a hosted model proposed nothing.
import { MATCH_THRESHOLD } from "../../knowledge/search";
import { composeHoldingReply, firstName, quotedPhrases, type ReplyFacts, signature } from "./holding-reply";
import { phraseBook } from "./replies";

/** What a reply needs of an article (a search_knowledge hit). */
export interface AnswerSource {
  articleId: string;
  title: string;
  url: string | null;
  score: number;
  /** The part of the article that answers the question; a hit without one is not answered from. */
  passage?: string;
}

/** The article a reply answers from: the best hit, when it covers the question well and its passage is known. */
export function answerSource<T extends AnswerSource>(hits: readonly T[] | null | undefined): T | null {
  const best = hits?.[0];
  return best && best.score >= MATCH_THRESHOLD && best.passage?.trim() ? best : null;
}

export function composeArticleReply(f: Omit<ReplyFacts, "category" | "entitlement">, source: AnswerSource): string {
  const book = phraseBook(f.language);
  const name = firstName(f.requesterName);
  const lines = [f.revisionNotes.length ? book.revisedGreeting(name) : book.greeting(name), "", `${book.thanks(f.subject.trim())} ${book.guideIntro}`];
  lines.push("", (source.passage ?? "").trim());
  if (source.url) lines.push("", `${book.readMore} ${source.url}`);
  // A revision carries over any wording the reviewer quoted.
  const quoted = quotedPhrases(f.revisionNotes);
  if (quoted.length) lines.push("", quoted.join(" "));
  if (f.handoffQueue) lines.push("", book.handoff(f.handoffQueue));
  lines.push("", book.notSolved, "", book.signOff, signature(book, f.accountName));
  return lines.join("\n");
}

/** The reply from the best article when one covers the question well, else the holding reply (and no source). */
export function groundedReply<T extends AnswerSource>(f: ReplyFacts, hits: readonly T[] | null | undefined): { body: string; source: T | null } {
  const source = answerSource(hits);
  return source ? { body: composeArticleReply(f, source), source } : { body: composeHoldingReply(f), source: null };
}

/**
 * How sure an answer from an article is right: the holding reply's confidence
 * (a known customer, a recognised category, no risky topic) averaged with how
 * well the article covers the question.
 */
export function groundedConfidence(draftConfidence: number, score: number): number {
  return Math.round(Math.min(0.95, (draftConfidence + Math.max(0, Math.min(1, score))) / 2) * 100) / 100;
}
