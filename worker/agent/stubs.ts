// How the rest of the Worker reaches the agents: the account agent (one per
// support account, by account id) and a ticket's drafter (one per ticket, by
// task id). Their RPC surfaces are spelled out because TypeScript cannot expand
// the generated stub types of these classes (TS2589).
import { getAgentByName } from "agents";
import type { DelegatedAccess, DelegatedConnection, DelegatedTokenInput, RotationResult } from "../delegation/store";
import type { DecisionEvent } from "../workflows/events";
import type { DecisionInput, Proposal, ProposalPage, ProposalStatus, ProposalSummary, QueueFilter } from "../types";
import type { Admission, NewProposal } from "./account-agent";
import type { DecideOutcome, Decider } from "./decision-gate";
import type { DraftPhase, DraftRequest } from "./drafting/draft-state";
import type { RoundResult } from "./drafting/ticket-drafter";
import type { CallerRef, FiledHandoff } from "./drafting/tool-host";
import type { AgentAction } from "./stores/action-log";
import type { RateVerdict } from "./stores/rate-windows";

export interface AccountAgentRpc {
  // The queue (worker/agent/stores/proposal-index.ts)
  openProposal(row: NewProposal): Promise<ProposalSummary | null>;
  updateProposal(taskId: string, fields: Partial<Pick<ProposalSummary, "tier" | "category" | "priority" | "confidence" | "risk" | "handoffQueue">>): Promise<void>;
  setProposalStatus(taskId: string, status: ProposalStatus, round: number): Promise<void>;
  closeProposal(taskId: string, outcome: string): Promise<void>;
  queuePage(filter: QueueFilter, limit: number, cursor: string | null): Promise<ProposalPage>;
  proposalSummary(taskId: string): Promise<ProposalSummary | null>;
  closedOutcome(taskId: string): Promise<string | null>;
  // The one decision gate (worker/agent/decision-gate.ts)
  decide(taskId: string, input: DecisionInput, by: Decider): Promise<DecideOutcome>;
  // Admission and backpressure
  admitTicket(taskId: string, ticketsPerMinute: number, maxInFlight: number | null): Promise<Admission>;
  admitTask(taskId: string, maxInFlight: number): Promise<boolean>;
  releaseTask(taskId: string): Promise<void>;
  consumeRate(bucket: string, perMinute: number): Promise<RateVerdict>;
  recentActions(): Promise<AgentAction[]>;
  // Delegated tokens (worker/delegation): `person` is a user id, "*" = everyone / every provider.
  storeDelegatedToken(person: string, provider: string, tokens: DelegatedTokenInput): Promise<DelegatedConnection>;
  listDelegatedConnections(person: string): Promise<DelegatedConnection[]>;
  revokeDelegated(person: string, provider: string, actor: string): Promise<DelegatedConnection[]>;
  rotateDelegated(person: string, provider: string, actor: string): Promise<RotationResult>;
  /** Server-side only (the delivery path): the token itself, or why not. */
  delegatedAccessToken(person: string, provider: string, requiredScopes: string[]): Promise<DelegatedAccess>;
}

export async function accountAgent(env: Env, accountId: string): Promise<AccountAgentRpc> {
  return (await getAgentByName(env.AccountAgent, accountId)) as unknown as AccountAgentRpc;
}

export type DraftDetail = Omit<Proposal, "status"> & { accountId: string; phase: DraftPhase };

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
