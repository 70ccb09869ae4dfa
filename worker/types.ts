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

export const OPEN_STATUSES: TaskStatus[] = ["received", "drafting", "awaiting_review", "sending"];
/** Tasks that hold one of the account's in-flight slots. */
export const IN_FLIGHT_STATUSES: TaskStatus[] = ["received", "drafting", "awaiting_review", "sending"];

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
}

export interface RevisionNote {
  round: number;
  note: string;
  by: string;
  at: string;
}

/** What the dashboard shows for one task while it is open. */
export interface Proposal {
  taskId: string;
  ticketId: string;
  subject: string;
  body: string;
  requester: Requester;
  receivedAt: string;
  round: number;
  status: "drafting" | "awaiting_review" | "sending" | "closed";
  summary: string | null;
  category: string | null;
  priority: Priority;
  confidence: number | null;
  entitlement: Entitlement | null;
  /** The tool calls made so far, in order. */
  toolCalls: ToolCallRecord[];
  /** What the agent says it will do next, in order. */
  plan: string[];
  draft: string | null;
  handoff: { queue: string; note: string } | null;
  revisions: RevisionNote[];
  /** First-response deadline from the account's SLA targets. */
  dueAt: string | null;
  /** Risky clauses found in the current draft; any of them means a person must decide. */
  risk: { kind: string; match: string }[];
  /** Set when an outside agent proposed this reply over MCP: which client, acting as whom. */
  origin?: { kind: "mcp"; client: string; by: string; inReplyTo: string } | null;
  updatedAt: string;
}

/** The state each account agent syncs to every open dashboard. */
export interface AccountAgentState {
  proposals: Proposal[];
}

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
