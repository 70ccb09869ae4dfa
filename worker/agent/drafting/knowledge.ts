// The team's knowledge in a ticket's draft: search_knowledge's work (the
// account's best articles for the question, each with the passage that
// answers it), which of them a draft cites, and the reply a person starts from
// when a hosted model stopped without proposing one. Everything kept here is
// bounded: at most 5 hits a search, 10 remembered, 3 citations of ~300 characters.
import { CATEGORIES, type Category } from "../../domain/enums";
import type { Citation } from "../../domain/knowledge";
import type { TicketView } from "../../domain/types";
import { searchKnowledge } from "../../knowledge/search";
import { getArticle } from "../../knowledge/store";
import { searchTerms, termsIn } from "../../knowledge/text";
import { groundedReply } from "../models/article-reply";
import type { KnowledgeToolHit } from "../tools";
import type { DraftRequest, DraftState, KnownSource } from "./draft-state";

const MAX_HITS = 5;
/** The best hits carry the passage that answers the question (the rest only a snippet). */
const WITH_PASSAGE = 3;
const MAX_CITATIONS = 3;
const SNIPPET_CHARS = 300;
const PASSAGE_CHARS = 1_200;
const QUERY_CHARS = 2_000;
/** Hits a drafter remembers across searches (a hosted model may search more than once), newest first. */
const MAX_REMEMBERED = 10;

/** The question a ticket asks, as a search query: its subject and body. */
export function ticketQuestion(ticket: Pick<TicketView, "subject" | "body">): string {
  return `${ticket.subject.trim()}\n\n${ticket.body.trim()}`.trim().slice(0, QUERY_CHARS);
}

/** The account's best articles for `query` (the ticket's language first), the best three with their answering passage. */
export async function searchForTicket(env: Env, accountId: string, query: string, language: string | null): Promise<KnowledgeToolHit[]> {
  const hits = await searchKnowledge(env, accountId, query.slice(0, QUERY_CHARS), { language, limit: MAX_HITS });
  const bodies = await Promise.all(hits.slice(0, WITH_PASSAGE).map(async (h) => (await getArticle(env, accountId, h.id))?.body ?? null));
  return hits.map((h, i) => {
    const passage = bodies[i] ? relevantPassage(bodies[i], query) : "";
    return {
      articleId: h.id,
      title: h.title,
      url: h.url,
      snippet: bounded(h.snippet, SNIPPET_CHARS),
      score: h.score,
      language: h.language,
      ...(passage ? { passage } : {}),
    };
  });
}

/** What the drafter remembers after a search: the new hits first, each article once. */
export function remember(known: readonly KnownSource[], hits: readonly KnowledgeToolHit[]): KnownSource[] {
  const fresh = hits.map(({ articleId, title, url, snippet, score, language }) => ({ articleId, title, url, snippet, score, language }));
  const ids = new Set(fresh.map((h) => h.articleId));
  return [...fresh, ...known.filter((k) => !ids.has(k.articleId))].slice(0, MAX_REMEMBERED);
}

/**
 * A draft's citations: the articles it names (draft_reply's `sources`) that a
 * search on this ticket returned, in the order named, at most three. An id no
 * search returned is ignored, so a model cannot cite what it was never given.
 */
export function citationsFor(sources: readonly string[] | undefined, known: readonly KnownSource[]): Citation[] {
  const cited: Citation[] = [];
  for (const id of new Set(sources ?? [])) {
    const k = known.find((s) => s.articleId === id);
    if (k) cited.push({ articleId: k.articleId, title: k.title, url: k.url, snippet: bounded(k.snippet, SNIPPET_CHARS) });
    if (cited.length === MAX_CITATIONS) break;
  }
  return cited;
}

/**
 * The reply a person starts from when the model stopped without proposing one:
 * the best article's answer, composed as the offline model would (with its
 * citation), or the holding reply when no article covers the question well
 * (or the search fails).
 */
export async function suggestedReply(env: Env, request: DraftRequest, state: DraftState): Promise<{ body: string; citations: Citation[] }> {
  const language = state.triage?.language ?? null;
  let hits: KnowledgeToolHit[] = [];
  try {
    hits = await searchForTicket(env, request.accountId, ticketQuestion(request.ticket), language);
  } catch (err) {
    console.warn("knowledge search for the suggested reply failed", request.taskId, err instanceof Error ? err.message : String(err));
  }
  const category: Category = (CATEGORIES as readonly string[]).includes(state.category ?? "") ? (state.category as Category) : "general";
  const { body, source } = groundedReply(
    {
      // A stand-in requester ("Zendesk user 123") is not greeted by that name.
      requesterName: request.ticket.requester_note ? "" : request.ticket.requester.name,
      subject: request.ticket.subject,
      category,
      entitlement: state.entitlement,
      accountName: request.accountName,
      handoffQueue: state.handoff?.queue ?? null,
      revisionNotes: [],
      language: language ?? undefined,
    },
    hits,
  );
  return { body, citations: source ? citationsFor([source.articleId], remember([], hits)) : [] };
}

const NUMBERED = /^\s*\d{1,2}[.)]\s+\S/;

/** A title line: short, one line, no closing punctuation. */
const isHeading = (p: string) => !p.includes("\n") && p.length < 80 && !/[.!?:;…)]$/.test(p);

/**
 * The part of an article that answers a question: its first paragraph and its
 * numbered steps when it has steps, else the paragraph sharing most words with
 * the question; at most ~1,200 characters, cut at a line or sentence.
 */
export function relevantPassage(body: string, question: string, max = PASSAGE_CHARS): string {
  const paragraphs = body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (!paragraphs.length) return "";
  const steps = body
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => NUMBERED.test(l));
  if (steps.length >= 2) {
    const intro = paragraphs.find((p) => !NUMBERED.test(p) && !isHeading(p));
    return clip(intro ? [intro, steps.join("\n")] : [steps.join("\n")], max);
  }
  const asked = searchTerms(question, 64);
  let best = paragraphs.find((p) => !isHeading(p)) ?? paragraphs[0]!;
  let most = 0;
  for (const p of paragraphs) {
    if (isHeading(p)) continue;
    const found = termsIn(p);
    const shared = asked.filter((t) => found.has(t)).length;
    if (shared > most) {
      best = p;
      most = shared;
    }
  }
  return clip([best], max);
}

/** Joins the parts; beyond `max` characters, cuts at the last line, sentence or word that fits and says so (…). */
function clip(parts: string[], max: number): string {
  const text = parts.join("\n\n");
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 2);
  const line = cut.lastIndexOf("\n");
  if (line > max / 2) return `${cut.slice(0, line).trimEnd()}\n…`;
  const sentence = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf("! "), cut.lastIndexOf("? "));
  if (sentence > max / 2) return `${cut.slice(0, sentence + 1)} …`;
  const word = cut.lastIndexOf(" ");
  return `${cut.slice(0, word > 0 ? word : cut.length).trimEnd()}…`;
}

function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
