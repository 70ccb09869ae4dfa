// The account agent's tools. Each is a verb with a small input and a
// structured output, bound to ONE task: a drafting session can only see and
// act on its own ticket. `send_reply` always needs a human's approval.
import { tool, zodSchema } from "ai";
import { z } from "zod";
import { HANDOFF_QUEUES, type HandoffReason, type Intent, type Language, type Sentiment } from "../domain/enums";
import { type Citation, KNOWLEDGE_LIMITS } from "../domain/knowledge";
import { SLUG_PATTERN } from "../domain/operating-limits";
import type { Entitlement, Priority, TicketView } from "../domain/types";
import { MATCH_THRESHOLD } from "../knowledge/search";
import type { Prediction } from "./models/classifier/classifier";
import type { Category } from "./models/classify";

export interface ContextSummary {
  summary: string;
  /** The customer's language: replies are written in it. `languageDetected` false: too short to tell, English assumed. */
  language: Language;
  languageDetected: boolean;
  /** A built-in category, or the id of one of the account's own when it fits better (categoryName is then its name). */
  category: string;
  categoryName: string | null;
  /** The built-in category the ticket falls under (the same as `category` unless an account category won). */
  builtInCategory: Category;
  /** Confidence of the category (0 to 1): calibrated for built-in categories, a similarity mapping for account ones. */
  categoryConfidence: number;
  categoryMatched: boolean;
  priority: Priority;
  /** Urgency, sentiment and intent as read from the wording, each with its confidence. */
  urgency: Prediction<Priority>;
  sentiment: Prediction<Sentiment>;
  intent: Prediction<Intent>;
  risky: boolean;
  handoffQueue: string;
  /** Which rule chose handoffQueue; an account category's or a language's queue means every such ticket is handed off. */
  handoffReason: HandoffReason;
  previousTickets: { subject: string; status: string; received_at: string }[];
}

/** One article search_knowledge found: the team's own text, best first. */
export interface KnowledgeToolHit {
  articleId: string;
  title: string;
  url: string | null;
  /** Where the article matches the question (at most 300 characters). */
  snippet: string;
  /** How much of the question the article covers, 0 to 1 (worker/knowledge/search.ts); it answers it well from MATCH_THRESHOLD on. */
  score: number;
  language: string;
  /** The part of the article that answers the question (its steps, or its most relevant paragraph; at most ~1,200 characters), for the best three hits. */
  passage?: string;
}

/** What the tools need from the agent that runs them; the agent logs and dedupes each call. */
export interface TriageToolHost {
  readonly ticketId: string;
  readTicket(): Promise<TicketView>;
  lookupEntitlement(email: string): Promise<Entitlement>;
  summarizeContext(): Promise<ContextSummary>;
  /** The account's articles that answer `query`, in the ticket's language first (at most 5). */
  searchKnowledge(query: string): Promise<{ hits: KnowledgeToolHit[] }>;
  fileHandoff(queue: string, note: string): Promise<{ handoff_id: string; queue: string; note: string; status: "filed" }>;
  /** `sources`: ids of search_knowledge hits the reply answers from; those found become its citations (at most 3). */
  saveDraft(
    body: string,
    confidence: number,
    sources?: string[],
  ): Promise<{ body: string; confidence: number; round: number; words: number; citations: Citation[] }>;
  /** Whether the account's auto-send policy lets this exact reply skip review (risk-free, cited, high confidence). */
  autoSendAllowed(body: string): boolean;
  /** Runs only after approval (a person, or the auto-send policy): hands the reply to the Workflow for delivery. */
  deliverApprovedReply(body: string): Promise<{ status: "handed_to_delivery"; round: number; edited: boolean }>;
}

function sameTicket(host: TriageToolHost, ticketId: string) {
  if (ticketId !== host.ticketId) {
    throw new Error(`this drafting session covers ticket ${host.ticketId} only; ${ticketId} is out of scope`);
  }
}

// Input schemas are built once: the AI SDK converts each to JSON Schema on first use and keeps it.
const ticketIdInput = zodSchema(z.object({ ticket_id: z.string().describe("The ticket id from the task header") }));
const emailInput = zodSchema(z.object({ email: z.email() }));
const handoffInput = zodSchema(
  z.object({
    queue: z
      .string()
      .regex(SLUG_PATTERN)
      .describe(`A team queue: ${HANDOFF_QUEUES.join(", ")}, or the account's own queue named by summarize_context`),
    note: z.string().min(1).max(2000),
  }),
);
const searchInput = zodSchema(
  z.object({
    query: z.string().min(1).max(KNOWLEDGE_LIMITS.queryChars).describe("The customer's question in their words: the ticket's subject and the gist of its body"),
  }),
);
const draftInput = zodSchema(
  z.object({
    body: z.string().min(1).max(5000),
    confidence: z.number().min(0).max(1),
    sources: z
      .array(z.string().max(100))
      .max(3)
      .optional()
      .describe("The articleId of each search_knowledge hit the reply answers from (they are shown to the reviewer as its citations); omit when none"),
  }),
);
const sendInput = zodSchema(z.object({ body: z.string().min(1).max(5000) }));

export function triageTools(host: TriageToolHost) {
  return {
    read_ticket: tool({
      description: "Read the ticket being triaged: subject, body, requester, priority and tags.",
      inputSchema: ticketIdInput,
      execute: async ({ ticket_id }) => {
        sameTicket(host, ticket_id);
        return host.readTicket();
      },
    }),
    lookup_entitlement: tool({
      description: "Look up the requester's plan tier and first-response SLA in billing.",
      inputSchema: emailInput,
      execute: async ({ email }) => host.lookupEntitlement(email),
    }),
    summarize_context: tool({
      description:
        "Summarize the ticket with its context: one-line summary, category, effective priority, risk, the queue for a handoff, and the requester's previous tickets.",
      inputSchema: ticketIdInput,
      execute: async ({ ticket_id }) => {
        sameTicket(host, ticket_id);
        return host.summarizeContext();
      },
    }),
    search_knowledge: tool({
      description: `Search the team's own help-center articles and saved replies for the customer's question. Returns the best matches (at most 5) with a score from 0 to 1; from ${MATCH_THRESHOLD} an article covers the question well. Answer only from what they say.`,
      inputSchema: searchInput,
      execute: async ({ query }) => host.searchKnowledge(query),
    }),
    file_handoff: tool({
      description:
        "File an internal handoff note to a team queue (engineering, security, billing, privacy, tier-2, account-management, or the account's own queue that summarize_context or the task header names). Not visible to the customer.",
      inputSchema: handoffInput,
      execute: async ({ queue, note }) => host.fileHandoff(queue, note),
    }),
    draft_reply: tool({
      description:
        "Save the reply you propose to send to the customer, with your confidence (0 to 1) that it is right, and the articleIds of the search_knowledge hits it answers from.",
      inputSchema: draftInput,
      execute: async ({ body, confidence, sources }) => host.saveDraft(body, confidence, sources),
    }),
    send_reply: tool({
      description: "Propose sending the drafted reply to the customer. A person always reviews it first.",
      inputSchema: sendInput,
      // A person reviews unless the ACCOUNT's policy allows auto-send for this exact,
      // risk-free, high-confidence draft; nothing in a ticket or the model's output can change that.
      needsApproval: async ({ body }) => !host.autoSendAllowed(body),
      execute: async ({ body }) => host.deliverApprovedReply(body),
    }),
  };
}

export type TriageTools = ReturnType<typeof triageTools>;
