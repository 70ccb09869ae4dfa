// Types shared by the worker and the dashboard. Keep this file free of runtime
// imports so the browser bundle can use it.

/** A JSON value: what crosses RPC, Workflow steps and the WebSocket. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export type Role = "agent" | "lead" | "admin";
export const ROLE_RANK: Record<Role, number> = { agent: 1, lead: 2, admin: 3 };

export type Priority = "low" | "normal" | "high" | "urgent";
export type PlanTier = "free" | "pro" | "enterprise" | "unknown";

/** Lifecycle of one triage task (one per ticket). */
export type TaskStatus =
  | "received" // stored, Workflow not yet running its first step
  | "queued" // stored; waits for a free slot (the account's in-flight cap)
  | "held" // stored; the kill switch is on, triage waits until it is off
  | "skipped" // stored; outside the rollout percentage, not triaged
  | "drafting" // the account agent is working on a proposal
  | "awaiting_review" // a proposal waits for a human decision
  | "sending" // approved; the reply is being delivered
  | "sent" // the reply is in the help desk (or the local outbox)
  | "rejected" // a reviewer rejected the proposal; nothing was sent
  | "expired" // nobody decided within two hours; escalated
  | "failed"; // an external system kept failing; see the task note

export const TASK_STATUSES = ["received", "queued", "held", "skipped", "drafting", "awaiting_review", "sending", "sent", "rejected", "expired", "failed"] as const satisfies readonly TaskStatus[];

export const OPEN_STATUSES: TaskStatus[] = ["received", "drafting", "awaiting_review", "sending"];
/** Tasks that hold one of the account's drafting slots (the in-flight cap): until their first draft is ready. */
export const IN_FLIGHT_STATUSES: TaskStatus[] = ["received", "drafting"];

export type DecisionAction = "approve" | "edit" | "reject" | "revise";

export interface Requester {
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
}

export interface Entitlement {
  tier: PlanTier;
  plan: string;
  /** First-response target in hours. */
  slaHours: number;
  customerName: string | null;
  company: string | null;
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

/** Where an open proposal is: the agent drafts, a person reviews, the reply goes out. */
export type ProposalStatus = "drafting" | "awaiting_review" | "sending";
export const PROPOSAL_STATUSES: readonly ProposalStatus[] = ["awaiting_review", "drafting", "sending"];

/** Who started a proposal: a help desk's ticket, or an outside agent over MCP. */
export type ProposalOrigin = "help_desk" | "mcp";

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
  receivedAt: string;
  round: number;
  status: ProposalStatus | "closed";
  summary: string | null;
  category: string | null;
  priority: Priority;
  confidence: number | null;
  entitlement: Entitlement | null;
  /** The tool calls made so far, in order (large outputs shortened). */
  toolCalls: ToolCallRecord[];
  /** What the agent says it will do next, in order. */
  plan: string[];
  draft: string | null;
  handoff: { queue: string; note: string } | null;
  revisions: RevisionNote[];
  /** First-response deadline from the account's SLA targets. */
  dueAt: string | null;
  /** Risky clauses found in the current draft; any of them means a person must decide. */
  risk: { kind: string; match: string; source?: "ticket" | "draft" }[];
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
