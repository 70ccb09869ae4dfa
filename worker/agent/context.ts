// The context summary of one ticket: the same reading for the agent's
// summarize_context tool and the MCP server's (worker/mcp/tools.ts).
import { and, desc, eq, ne } from "drizzle-orm";
import { getDb, schema } from "../db/client";
import type { Priority } from "../domain/types";
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

export async function summarizeTicket(env: Env, accountId: string, ticket: TicketFacts): Promise<ContextSummary> {
  const reading = readTicket(ticket.subject, ticket.body);
  const rules = classify(ticket.subject, ticket.body);
  // The classifier decides; a precise keyword rule wins only where the classifier is unsure.
  const ruled = rules.matched && reading.category.confidence < RULES_WIN_BELOW;
  const category = ruled ? rules.category : reading.category.label;
  const { language, detected } = detectLanguage(`${ticket.subject}\n${ticket.body}`);
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
    category,
    categoryConfidence: ruled ? Math.max(reading.category.confidence, RULES_WIN_BELOW) : reading.category.confidence,
    categoryMatched: ruled || reading.category.confidence >= RULES_WIN_BELOW,
    priority: effectivePriority(higher(ticket.priority, reading.urgency), category),
    urgency: reading.urgency,
    sentiment: reading.sentiment,
    intent: reading.intent,
    risky: RISKY.test(`${ticket.subject} ${ticket.body}`),
    handoffQueue: handoffQueue(category),
    previousTickets: previous.map((p) => ({ subject: p.subject, status: p.status, received_at: p.receivedAt })),
  };
}
