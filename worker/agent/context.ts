// The context summary of one ticket: the same reading for the agent's
// summarize_context tool and the MCP server's (worker/mcp/tools.ts).
import { and, desc, eq, ne } from "drizzle-orm";
import { getDb, schema } from "../db/client";
import type { Category, HandoffReason, Language } from "../domain/enums";
import type { Priority } from "../domain/types";
import type { AccountPolicy } from "../policy/account-policy";
import { operatingState } from "../policy/operating-state";
import { matchAccountCategory } from "./models/classifier/account-categories";
import { readTicket } from "./models/classifier/read-ticket";
import { classify, effectivePriority, handoffQueue, oneLineSummary } from "./models/classify";
import { detectLanguage } from "./models/language";
import type { ContextSummary } from "./tools";

/** Words that make a ticket risky to answer without care (money, law, security, deletion). */
const RISKY = /\b(refund|credit|compensat\w*|legal|lawyer|gdpr|breach|security|cancel\w*|chargeback|delete|guarantee)\b/i;

/** Below this confidence a matching keyword rule decides the category instead of the classifier. */
const RULES_WIN_BELOW = 0.45;

const RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/**
 * The declared priority, raised to high or urgent when the wording clearly
 * says so (the classifier's urgency, when it is sure). A help desk's "low" is
 * never overruled by a reading of "normal".
 */
function higher(declared: Priority | undefined, urgency: { label: Priority; confidence: number }): Priority | undefined {
  if (urgency.confidence < 0.6 || RANK[urgency.label] < RANK.high) return declared;
  return !declared || RANK[urgency.label] > RANK[declared] ? urgency.label : declared;
}

export interface TicketFacts {
  /** Our id of the ticket (= its task id); excluded from the requester's earlier tickets. */
  id: string;
  subject: string;
  body: string;
  priority: Priority | undefined;
  requesterEmail: string;
}

/** The account's own categories and queues (its policy), which summarizeTicket reads the ticket against. */
export type AccountRouting = Pick<AccountPolicy, "categories" | "languageQueues" | "categoryQueues">;

export const NO_ACCOUNT_ROUTING: AccountRouting = { categories: [], languageQueues: {}, categoryQueues: {} };

/** The account's routing as saved now, for callers without a drafting request (the MCP server). */
export async function accountRouting(env: Env, accountId: string): Promise<AccountRouting> {
  const { policy } = await operatingState(env, accountId);
  return { categories: policy.categories, languageQueues: policy.languageQueues, categoryQueues: policy.categoryQueues };
}

/**
 * Where a handoff goes, and which rule said so: the account category's own
 * queue, else the account's queue for the detected language (only when the
 * language was detected, not assumed), else the account's queue for the
 * built-in category, else the built-in rule.
 */
function routeHandoff(
  routing: AccountRouting,
  category: AccountRouting["categories"][number] | null,
  builtIn: Category,
  language: Language,
  detected: boolean,
): { queue: string; reason: HandoffReason } {
  if (category?.handoffQueue) return { queue: category.handoffQueue, reason: "account-category" };
  const byLanguage = detected ? routing.languageQueues[language] : undefined;
  if (byLanguage) return { queue: byLanguage, reason: "language" };
  const byCategory = routing.categoryQueues[builtIn];
  if (byCategory) return { queue: byCategory, reason: "category-queue" };
  return { queue: handoffQueue(builtIn), reason: "built-in" };
}

export async function summarizeTicket(env: Env, accountId: string, ticket: TicketFacts, routing: AccountRouting): Promise<ContextSummary> {
  const reading = readTicket(ticket.subject, ticket.body);
  const rules = classify(ticket.subject, ticket.body);
  // The classifier decides; a precise keyword rule wins only where the classifier is unsure.
  const ruled = rules.matched && reading.category.confidence < RULES_WIN_BELOW;
  const builtIn = ruled ? rules.category : reading.category.label;
  const builtInConfidence = ruled ? Math.max(reading.category.confidence, RULES_WIN_BELOW) : reading.category.confidence;
  // One of the account's own categories, when the ticket is like its examples (account-categories.ts).
  const { match } = matchAccountCategory(routing.categories, `${ticket.subject}\n${ticket.body}`, { label: builtIn, confidence: builtInConfidence });
  const own = match ? (routing.categories.find((c) => c.id === match.id) ?? null) : null;
  const { language, detected } = detectLanguage(`${ticket.subject}\n${ticket.body}`);
  const route = routeHandoff(routing, own, builtIn, language, detected);
  const previous = await getDb(env)
    .select({ subject: schema.tickets.subject, status: schema.tasks.status, receivedAt: schema.tickets.receivedAt })
    .from(schema.tickets)
    .innerJoin(schema.tasks, eq(schema.tasks.id, schema.tickets.id))
    .where(and(eq(schema.tickets.accountId, accountId), eq(schema.tickets.requesterEmail, ticket.requesterEmail), ne(schema.tickets.id, ticket.id)))
    .orderBy(desc(schema.tickets.receivedAt))
    .limit(5);
  return {
    summary: oneLineSummary(ticket.subject, ticket.body),
    language,
    languageDetected: detected,
    category: own?.id ?? builtIn,
    categoryName: own?.name ?? null,
    builtInCategory: builtIn,
    categoryConfidence: match?.confidence ?? builtInConfidence,
    categoryMatched: !!match || ruled || reading.category.confidence >= RULES_WIN_BELOW,
    // An account category says what a ticket is about, not how urgent it is: the built-in reading sets the floor.
    priority: effectivePriority(higher(ticket.priority, reading.urgency), builtIn),
    urgency: reading.urgency,
    sentiment: reading.sentiment,
    intent: reading.intent,
    risky: RISKY.test(`${ticket.subject} ${ticket.body}`),
    handoffQueue: route.queue,
    handoffReason: route.reason,
    previousTickets: previous.map((p) => ({ subject: p.subject, status: p.status, received_at: p.receivedAt })),
  };
}
