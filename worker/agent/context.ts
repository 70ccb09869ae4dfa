// The context summary of one ticket: the same reading for the agent's
// summarize_context tool and the MCP server's (worker/mcp/tools.ts).
import { and, desc, eq, ne } from "drizzle-orm";
import { getDb, schema } from "../db/client";
import type { Priority } from "../domain/types";
import { classify, effectivePriority, handoffQueue, oneLineSummary } from "./models/classify";
import type { ContextSummary } from "./tools";

/** Words that make a ticket risky to answer without care (money, law, security, deletion). */
const RISKY = /\b(refund|credit|compensat\w*|legal|lawyer|gdpr|breach|security|cancel\w*|chargeback|delete|guarantee)\b/i;

export interface TicketFacts {
  /** Our id of the ticket (= its task id); excluded from the requester's earlier tickets. */
  id: string;
  subject: string;
  body: string;
  priority: Priority | undefined;
  requesterEmail: string;
}

export async function summarizeTicket(env: Env, accountId: string, ticket: TicketFacts): Promise<ContextSummary> {
  const { category, matched } = classify(ticket.subject, ticket.body);
  const previous = await getDb(env)
    .select({ subject: schema.tickets.subject, status: schema.tasks.status, receivedAt: schema.tickets.receivedAt })
    .from(schema.tickets)
    .innerJoin(schema.tasks, eq(schema.tasks.id, schema.tickets.id))
    .where(and(eq(schema.tickets.accountId, accountId), eq(schema.tickets.requesterEmail, ticket.requesterEmail), ne(schema.tickets.id, ticket.id)))
    .orderBy(desc(schema.tickets.receivedAt))
    .limit(5);
  return {
    summary: oneLineSummary(ticket.subject, ticket.body),
    category,
    categoryMatched: matched,
    priority: effectivePriority(ticket.priority, category),
    risky: RISKY.test(`${ticket.subject} ${ticket.body}`),
    handoffQueue: handoffQueue(category),
    previousTickets: previous.map((p) => ({ subject: p.subject, status: p.status, received_at: p.receivedAt })),
  };
}
