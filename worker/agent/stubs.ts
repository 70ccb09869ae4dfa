// How the rest of the Worker reaches the agents: the account agent (one per
// support account, by account id) and a ticket's drafter (one per ticket, by
// task id). Their RPC surfaces are spelled out because TypeScript cannot expand
// the generated stub types of these classes (TS2589).
import { getAgentByName } from "agents";
import type { DecisionEvent } from "../domain/decision-events";
import type { DecisionInput, DelegatedAccess, Entitlement, Json, Proposal, ProposalPage, ProposalStatus, ProposalSummary, QueueFilter } from "../domain/types";
import type { DecideOutcome, Decider } from "./decision-gate";
import type { CallerRef, FiledHandoff } from "./drafting/caller-ref";
import type { DraftPhase, DraftRequest, DraftState } from "./drafting/draft-state";
import type { AgentAction } from "./stores/action-log";
import type { DelegatedConnection, DelegatedTokenInput, RotationResult } from "./stores/delegated-tokens";
import type { RateVerdict } from "./stores/rate-windows";

// The types that cross these RPC surfaces live here, so the classes and their
// callers share them without importing each other.

/** A new row of the queue, as the Workflow opens it. */
export type NewProposal = Omit<ProposalSummary, "version" | "updatedAt" | "status" | "round">;

/** What intake asks for a new ticket: within the account's rate, and a slot if it should start now. */
export interface Admission {
  rate: RateVerdict;
  /** True when the task holds an in-flight slot (it may start); false: it waits as `queued`. */
  slot: boolean;
}

/** The summary fields a round can change, for the account's queue row. */
export type QueueFields = Partial<Pick<ProposalSummary, "tier" | "category" | "priority" | "confidence" | "risk" | "handoffQueue" | "noProposal">>;

/** What one drafting round ended with, for the Workflow's next step. */
export interface RoundResult {
  round: number;
  phase: DraftPhase;
  /** Set once a person approved (or the auto-send policy let it through): what goes out. */
  delivery: DraftState["delivery"];
  /** What the round learned for the queue row (tier, category, confidence, risk), carried by the Workflow's status update. */
  queueFields: QueueFields;
  /** For D1's task row and the audit trail. */
  proposal: {
    summary: string | null;
    category: string | null;
    /** The ticket's language (summarize_context), null before it ran. */
    language: string | null;
    priority: Proposal["priority"];
    confidence: number | null;
    risk: Proposal["risk"];
    entitlement: Entitlement | null;
    draft: string | null;
    toolCalls: { tool: string; input: Json; status: string }[];
  };
}

/** A requester's entitlement as the account agent answers (cached or not), or why the billing source could not. */
export type EntitlementAnswer = { ok: true; entitlement: Entitlement; cache: "hit" | "miss" | "off" } | { ok: false; error: string; retryable: boolean };

export interface AccountAgentRpc {
  // The queue (worker/agent/stores/proposal-index.ts)
  openProposal(row: NewProposal): Promise<ProposalSummary | null>;
  updateProposal(taskId: string, fields: QueueFields): Promise<void>;
  setProposalStatus(taskId: string, status: ProposalStatus, round: number, fields?: QueueFields, releaseSlot?: boolean): Promise<{ waiting: boolean }>;
  closeProposal(taskId: string, outcome: string): Promise<void>;
  queuePage(filter: QueueFilter, limit: number, cursor: string | null): Promise<ProposalPage>;
  proposalSummary(taskId: string): Promise<ProposalSummary | null>;
  closedOutcome(taskId: string): Promise<string | null>;
  // The one decision gate (worker/agent/decision-gate.ts)
  decide(taskId: string, input: DecisionInput, by: Decider): Promise<DecideOutcome>;
  // Admission and backpressure
  admitTicket(taskId: string, ticketsPerMinute: number, maxInFlight: number | null): Promise<Admission>;
  admitTask(taskId: string, maxInFlight: number): Promise<boolean>;
  admitWaiting(candidates: string[], maxInFlight: number): Promise<string[]>;
  /** Frees the task's slot; `waiting` when tickets may wait for one. */
  releaseTask(taskId: string): Promise<{ waiting: boolean }>;
  noneWaiting(): Promise<void>;
  consumeRate(bucket: string, perMinute: number): Promise<RateVerdict>;
  recentActions(): Promise<AgentAction[]>;
  /** The sweep of stored tickets whose Workflow never started (runs every minute by itself). */
  startStalledTasks(olderThanMs?: number): Promise<number>;
  /** The daily purge of expired samples for review (runs by itself; tests call it). */
  purgeExpiredSamples(): Promise<number>;
  /** The hourly purge of the tool log and its rollup past their keep days (runs by itself; tests call it). */
  purgeOldToolLog(): Promise<{ calls: number; rollup: number }>;
  // Entitlements, cached five minutes (worker/agent/stores/entitlement-cache.ts)
  entitlementFor(email: string, nowMs?: number): Promise<EntitlementAnswer>;
  forgetEntitlements(what: { stripeCustomer?: string; email?: string; all?: boolean }): Promise<number>;
  // Delegated tokens (worker/delegation): `person` is a user id, "*" = everyone / every provider.
  storeDelegatedToken(person: string, provider: string, tokens: DelegatedTokenInput): Promise<DelegatedConnection>;
  listDelegatedConnections(person: string): Promise<DelegatedConnection[]>;
  revokeDelegated(person: string, provider: string, actor: string): Promise<DelegatedConnection[]>;
  rotateDelegated(person: string, provider: string, actor: string): Promise<RotationResult>;
  /** Server-side only (the delivery path): the token itself, or why not. */
  delegatedAccessToken(person: string, provider: string, requiredScopes: string[]): Promise<DelegatedAccess>;
}

/**
 * The account's agent. The first call in an isolate goes through the Agents
 * SDK's getAgentByName (which makes sure the object knows its name); later
 * calls address it directly, saving a round trip on hot paths (intake, the
 * drafters' updates). Every RPC method of AccountAgent is async, so the SDK
 * starts an evicted object before running one.
 */
const initialized = new Set<string>();
export async function accountAgent(env: Env, accountId: string): Promise<AccountAgentRpc> {
  if (initialized.has(accountId)) return env.AccountAgent.getByName(accountId) as unknown as AccountAgentRpc;
  const stub = await getAgentByName(env.AccountAgent, accountId);
  initialized.add(accountId);
  return stub as unknown as AccountAgentRpc;
}

type DraftDetail = Omit<Proposal, "status"> & { accountId: string; phase: DraftPhase };

export interface TicketDrafterRpc {
  start(request: DraftRequest): Promise<RoundResult>;
  applyDecision(decision: DecisionEvent): Promise<RoundResult>;
  fileHandoffFor(accountId: string, taskId: string, queue: string, note: string, caller: CallerRef): Promise<FiledHandoff>;
  close(outcome: string): Promise<void>;
  detail(): Promise<DraftDetail | null>;
  accountOf(): Promise<string | null>;
}

export function ticketDrafter(env: Env, taskId: string): TicketDrafterRpc {
  return env.TicketDrafter.getByName(taskId) as unknown as TicketDrafterRpc;
}
