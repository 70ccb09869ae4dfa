// How the rest of the Worker reaches an account's agent: one Durable Object per
// support account, addressed by the account id.
import { getAgentByName } from "agents";
import type { DelegatedAccess, DelegatedConnection, DelegatedTokenInput, RotationResult } from "../delegation/store";
import type { DecisionInput, Proposal } from "../types";
import type { AgentAction, CallerRef, DecideOutcome, TriageRequest } from "./support-agent";

/**
 * The agent's RPC surface. Spelled out because TypeScript cannot expand the
 * generated stub type of a class this large (TS2589).
 */
export interface AccountAgentRpc {
  startTriage(req: TriageRequest): Promise<Proposal>;
  getProposals(): Promise<Proposal[]>;
  getProposal(taskId: string): Promise<Proposal | null>;
  decide(taskId: string, input: DecisionInput, actor: string): Promise<DecideOutcome>;
  closeTask(taskId: string, outcome: string): Promise<void>;
  recentActions(): Promise<AgentAction[]>;
  /** The MCP server's file_handoff: the same once-per-task-and-queue path as the agent's own tool. */
  fileHandoffFor(taskId: string, queue: string, note: string, caller: CallerRef): Promise<{ handoff_id: string; queue: string; note: string; status: "filed" }>;
  admitTask(taskId: string, maxInFlight: number): Promise<boolean>;
  releaseTask(taskId: string): Promise<void>;
  consumeRate(bucket: string, perMinute: number): Promise<{ ok: boolean; retryAfterSeconds: number }>;
  // Delegated tokens (worker/delegation): `person` is a user id, "*" = everyone / every provider.
  storeDelegatedToken(person: string, provider: string, tokens: DelegatedTokenInput): Promise<DelegatedConnection>;
  listDelegatedConnections(person: string): Promise<DelegatedConnection[]>;
  revokeDelegated(person: string, provider: string, actor: string): Promise<DelegatedConnection[]>;
  rotateDelegated(person: string, provider: string, actor: string): Promise<RotationResult>;
  /** Server-side only (the delivery path): the token itself, or why not. */
  delegatedAccessToken(person: string, provider: string, requiredScopes: string[]): Promise<DelegatedAccess>;
}

export async function accountAgent(env: Env, accountId: string): Promise<AccountAgentRpc> {
  return (await getAgentByName(env.SupportAgent, accountId)) as unknown as AccountAgentRpc;
}
