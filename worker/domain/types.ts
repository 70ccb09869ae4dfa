// Types shared by the worker and the dashboard. Keep this file free of runtime
// imports beyond ./enums so the browser bundle can use it.
import type { TicketAttachment } from "./attachments";
import type { EntitlementSource } from "./billing";
import type { DecisionAction, HandoffReason, PlanTier, Priority, ProposalStatus, TaskStatus } from "./enums";
import type { Citation } from "./knowledge";

/** A JSON value: what crosses RPC, Workflow steps and the WebSocket. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export type Role = "agent" | "lead" | "admin";
export const ROLE_RANK: Record<Role, number> = { agent: 1, lead: 2, admin: 3 };

export type { DecisionAction, PlanTier, Priority, ProposalStatus, TaskStatus } from "./enums";
export { TASK_STATUSES } from "./enums";

export const OPEN_STATUSES: TaskStatus[] = ["received", "drafting", "awaiting_review", "sending"];
/** Tasks that hold one of the account's drafting slots (the in-flight cap): until their first draft is ready. */
export const IN_FLIGHT_STATUSES: TaskStatus[] = ["received", "drafting"];

interface Requester {
  email: string;
  name: string;
}

/** Our own ticket model; every help-desk payload is mapped onto it. */
export interface Ticket {
  id: string; // the help desk's ticket id
  subject: string;
  body: string;
  requester: Requester;
  priority?: Priority;
  tags?: string[];
  created_at?: string;
  /** Files attached to the message: name, type, size and link only, never their content. */
  attachments?: TicketAttachment[];
}

export interface Entitlement {
  tier: PlanTier;
  plan: string;
  /** First-response target in hours. */
  slaHours: number;
  customerName: string | null;
  company: string | null;
  /** Where it came from (absent on entitlements recorded before billing sources existed). */
  source?: EntitlementSource;
}

/** One tool call the agent made (or plans to make) for a proposal. */
export interface ToolCallRecord {
  id: string;
  tool: string;
  input: Json;
  output?: Json;
  status: "running" | "done" | "error" | "awaiting_approval" | "approved" | "denied";
  durationMs?: number;
  /** True when `output` was shortened for display (the full value is in the tool log). */
  truncated?: boolean;
}

export interface RevisionNote {
  round: number;
  note: string;
  by: string;
  at: string;
}

/** Who started a proposal: a help desk's ticket, or an outside agent over MCP. */
type ProposalOrigin = "help_desk" | "mcp";

/**
 * One row of the review queue: what the list shows and filters on. Small by
 * design (a few hundred bytes): it is what the queue page, the REST list and
 * every live update carry. The whole proposal loads on demand (`Proposal`).
 */
export interface ProposalSummary {
  taskId: string;
  ticketId: string;
  /** At most 200 characters. */
  subject: string;
  requester: Requester;
  receivedAt: string;
  status: ProposalStatus;
  round: number;
  priority: Priority;
  tier: PlanTier | null;
  category: string | null;
  confidence: number | null;
  /** First-response deadline from the account's SLA targets. */
  dueAt: string | null;
  /** Kinds of the risky clauses found; any of them means a person must decide. */
  risk: string[];
  handoffQueue: string | null;
  /**
   * The model stopped without proposing a reply: the row awaits a person, who
   * writes the reply (an edit) or rejects; there is nothing to approve or send back.
   */
  noProposal?: boolean;
  origin: ProposalOrigin;
  /** The MCP client and person, for `origin: "mcp"`. */
  proposedBy: { client: string; by: string } | null;
  updatedAt: string;
  /** The queue version at this row's last change (see QueueChanges). */
  version: number;
}

export type QueueCounts = Record<ProposalStatus, number> & { open: number };

/** Most urgent first: deadline (none last), then what needs a person, then oldest. */
const STATUS_RANK: Record<ProposalStatus, number> = { awaiting_review: 0, drafting: 1, sending: 2 };

/** The queue's order as one string (the server pages on it, dashboards insert live rows with it). */
export function proposalSortKey(p: Pick<ProposalSummary, "dueAt" | "status" | "receivedAt" | "taskId">): string {
  return `${p.dueAt ?? "~"}|${STATUS_RANK[p.status]}|${p.receivedAt}|${p.taskId}`;
}

/** Filters of the review queue (all optional, combined with AND). */
export interface QueueFilter {
  status?: ProposalStatus;
  priority?: Priority;
  tier?: PlanTier;
  category?: string;
  origin?: ProposalOrigin;
}

/** One page of the queue, most urgent first. */
export interface ProposalPage {
  proposals: ProposalSummary[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  counts: QueueCounts;
  version: number;
}

/** What a dashboard missed since `version` (after a reconnect). `reset`: too much changed, load the first page again. */
export interface QueueChanges {
  version: number;
  counts: QueueCounts;
  upserts: ProposalSummary[];
  removes: { taskId: string; outcome: string }[];
  reset: boolean;
}

/** The live messages the account agent sends every open dashboard, one per change. */
export type QueueEvent =
  | { type: "queue.upsert"; version: number; counts: QueueCounts; proposal: ProposalSummary }
  | { type: "queue.remove"; version: number; counts: QueueCounts; taskId: string; outcome: string }
  | { type: "queue.hello"; version: number; counts: QueueCounts };

/** Everything a reviewer sees for one proposal; loaded on demand, one at a time. */
export interface Proposal {
  taskId: string;
  ticketId: string;
  subject: string;
  body: string;
  requester: Requester;
  /**
   * Set when the help desk sent a stand-in for the requester and looking the
   * person up failed: "requester not identified: <reason>".
   */
  requesterNote?: string | null;
  /** Files the customer attached (metadata only). */
  attachments?: TicketAttachment[];
  receivedAt: string;
  round: number;
  status: ProposalStatus | "closed";
  summary: string | null;
  category: string | null;
  priority: Priority;
  confidence: number | null;
  /** Language, and each triage field's confidence, once summarize_context ran. */
  triage: TriageSignals | null;
  entitlement: Entitlement | null;
  /** The tool calls made so far, in order (large outputs shortened). */
  toolCalls: ToolCallRecord[];
  /** What the agent says it will do next, in order. */
  plan: string[];
  draft: string | null;
  /** The team's articles the draft answers from (at most 3), shown beside it. */
  citations?: Citation[];
  /**
   * Set when the model stopped without proposing a reply: a person writes it,
   * starting from this (the best article's answer with its citation, or the holding reply).
   */
  suggestedReply?: { body: string; citations: Citation[] } | null;
  handoff: { queue: string; note: string } | null;
  revisions: RevisionNote[];
  /** First-response deadline from the account's SLA targets. */
  dueAt: string | null;
  /** Risky clauses found in the current draft; any of them means a person must decide. */
  risk: { kind: string; match: string; source?: "ticket" | "draft"; confidence?: number }[];
  /** Set when an outside agent proposed this reply over MCP: which client, acting as whom. */
  origin?: { kind: "mcp"; client: string; by: string; inReplyTo: string } | null;
  updatedAt: string;
}

/**
 * The account agent's synced state: empty on purpose. The Agents SDK stores
 * state as one row and sends all of it on every change; the queue travels as
 * QueueEvents instead (one small message per change, counts and version included).
 */
export type AccountAgentState = Record<string, never>;

export interface DecisionInput {
  action: DecisionAction;
  /** The edited reply, for `edit`. */
  body?: string;
  /** Why, for `revise` (required) and `reject` (optional). */
  note?: string;
}

export interface DecisionResult {
  taskId: string;
  action: DecisionAction;
  status: TaskStatus;
  round: number;
}

/** One row of the daily figures a team lead sees. */
export interface DailyFigure {
  day: string; // YYYY-MM-DD (UTC)
  attempted: number;
  completed: number;
  corrected: number;
}

export interface TaskSummary {
  id: string;
  ticketId: string;
  subject: string;
  requesterEmail: string;
  status: TaskStatus;
  outcome: string | null;
  corrected: boolean;
  round: number;
  attemptedAt: string | null;
  completedAt: string | null;
  decidedBy: string | null;
}

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  memberships: { accountId: string; accountName: string; role: Role }[];
}

/** A person's delegated help-desk token for a call needing some scopes, as the account agent answers. */
export type DelegatedAccess =
  | { status: "none" }
  | { status: "ok"; accessToken: string; scopesGranted: string[] }
  | { status: "insufficient_scope"; missing: string[]; granted: string[] }
  | { status: "reconnect"; reason: string };

/** The ticket as the read_ticket tool returns it to a model (tool outputs use snake_case, like the MCP tools). */
export interface TicketView {
  ticket_id: string;
  subject: string;
  body: string;
  requester: { email: string; name: string };
  /**
   * "requester not identified: <reason>" when the requester above is the help
   * desk's stand-in (no real name or address): do not greet by that name.
   */
  requester_note?: string | null;
  priority: Priority;
  tags: string[];
  received_at: string;
  /** Files the customer attached: name, type, size and link only (their content is not available). */
  attachments?: TicketAttachment[];
}

/** A reply an MCP client proposed (propose_reply), drafted verbatim and reviewed like any other. */
export interface ProposedReply {
  body: string;
  /** The proposing client's own confidence, 0 to 1. */
  confidence: number;
  /** `user:<email>`: the person the MCP client acts as. */
  proposedBy: string;
  clientName: string;
}

/** An escalated task (expired without a decision, or failed), for the insights page. */
export interface EscalationRow {
  id: string;
  /** The help desk's ticket id. */
  ticketId: string;
  subject: string;
  requesterEmail: string;
  status: "expired" | "failed";
  /** The escalation note (expired) or the failure reason (failed). */
  note: string | null;
  completedAt: string | null;
}

/** Tickets stored but not being triaged (worker/tasks/queries.ts). */
export interface WaitingCounts {
  /** Waiting for the kill switch to be lifted (now). */
  held: number;
  /** Waiting for a free in-flight slot (now). */
  queued: number;
  /** Received today (UTC) outside the rollout percentage: stored, not triaged. */
  skippedToday: number;
}

/** How triage read a ticket (worker/agent/context.ts): its language and each field with its calibrated confidence. */
export interface TriageSignals {
  language: string;
  /** False when the text was too short to tell: English was assumed. */
  languageDetected: boolean;
  categoryConfidence: number;
  /** The name of the account's own category when one was chosen (absent in records older than account categories). */
  categoryName?: string | null;
  /** Where a handoff would go, and which rule chose it (HANDOFF_REASONS). */
  handoffQueue?: string;
  handoffReason?: HandoffReason;
  urgency: { label: Priority; confidence: number };
  sentiment: { label: "negative" | "neutral" | "positive"; confidence: number };
  intent: { label: "question" | "incident" | "request" | "complaint"; confidence: number };
}

/** A hosted model's English translation of a proposal's ticket and draft, for the reviewer only. */
export interface EnglishGloss {
  taskId: string;
  /** The customer's language as triage read it (null before summarize_context ran). */
  language: string | null;
  /** Subject and body in English. */
  ticket: string;
  /** The draft in English, or null when there is no draft yet. */
  draft: string | null;
}
