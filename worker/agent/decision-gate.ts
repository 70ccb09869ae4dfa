// The one way a person's decision reaches a proposal, whether it comes over
// REST, the dashboard's WebSocket or an MCP client: checks the account is not
// frozen and the person's decision rate (one bucket per person, whatever the
// channel), claims the proposal before anything else can (so of two
// simultaneous decisions exactly one wins), records the decision in the audit
// trail and hands it to the ticket's Workflow, which does the rest in its
// own retried steps (redrafting, delivering, closing).

import type { DecisionEvent } from "../domain/decision-events";
import { decisionEventType } from "../domain/decision-events";
import type { DecisionInput, DecisionResult } from "../domain/types";
import { operatingState } from "../policy/operating-state";
import { auditTask } from "../tasks/transitions";
import { signalTriage } from "../triage/client";
import type { ActionLog } from "./stores/action-log";
import type { ProposalIndex } from "./stores/proposal-index";
import type { RateWindows } from "./stores/rate-windows";

/** Who decides: the person behind a session, a token or a WebSocket. */
export interface Decider {
  userId: string;
  email: string;
}

export type DecideOutcome = DecisionResult | { error: string; status: number; retryAfter?: number };

export interface DecisionGateDeps {
  env: Env;
  accountId: string;
  index: ProposalIndex;
  rates: RateWindows;
  actions: ActionLog;
  /** Tells every open dashboard about a queue change. */
  announce: (taskId: string) => void;
}

export async function decide(deps: DecisionGateDeps, taskId: string, input: DecisionInput, by: Decider): Promise<DecideOutcome> {
  const { env, accountId, index, rates } = deps;
  const ops = await operatingState(env, accountId);
  if (ops.frozen) return { error: `account "${accountId}" is frozen: its tasks are read-only`, status: 423 };
  const rate = rates.consume(`decisions:${by.userId}`, ops.decisionsPerMinute);
  if (!rate.ok) {
    return { error: `too many decisions: the limit is ${ops.decisionsPerMinute} per minute per person`, status: 429, retryAfter: rate.retryAfterSeconds };
  }

  // From here to the claim nothing awaits: the check and the claim are one step.
  const proposal = index.get(taskId);
  if (!proposal) {
    const closed = index.closed(taskId);
    if (closed) return { error: `task ${taskId} is already closed (${closed.outcome})`, status: 409 };
    return { error: `no task ${taskId} in this account`, status: 404 };
  }
  if (proposal.noProposal && (input.action === "approve" || input.action === "revise")) {
    // The model proposed nothing: a person writes the reply (sent as an edit) or rejects.
    return {
      error: `task ${taskId} has no proposed reply to ${input.action === "approve" ? "approve" : "send back"}: write the reply (edit) or reject`,
      status: 409,
    };
  }
  if (!index.claimForDecision(taskId)) {
    const state = proposal.rowStatus === "deciding" ? "being decided by someone else" : proposal.status.replace("_", " ");
    return { error: `task ${taskId} is not awaiting review (it is ${state})`, status: 409 };
  }

  const actor = `user:${by.email}`;
  const round = proposal.round;
  const event: DecisionEvent = {
    action: input.action,
    actor,
    round,
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(input.note !== undefined ? { note: input.note } : {}),
  };
  try {
    await signalTriage(env, taskId, { type: decisionEventType(round), payload: event });
  } catch (err) {
    index.releaseClaim(taskId);
    console.error("decision could not be handed to the workflow", taskId, err instanceof Error ? err.message : String(err));
    return { error: `the decision on task ${taskId} could not be recorded; nothing changed, try again`, status: 503 };
  }
  try {
    await auditTask(env, {
      accountId,
      taskId,
      actor,
      action: `decision.${input.action}`,
      before: { round },
      after: { body: input.body ?? null, note: input.note ?? null },
      dedupeKey: `${taskId}:decision:${round}`,
    });
  } catch (err) {
    // The decision stands (the Workflow has it and audits what it does with it).
    console.error("decision audit failed", taskId, err instanceof Error ? err.message : String(err));
  }

  // The queue shows at once what happens next; the Workflow confirms it step by step.
  if (input.action === "reject") index.remove(taskId, "rejected");
  else if (input.action === "revise") index.patch(taskId, { status: "drafting", round: round + 1 });
  else index.patch(taskId, { status: "sending" });
  deps.actions.record(taskId, `decision.${input.action}`, { round, actor, note: input.note ?? null });
  deps.announce(taskId);
  return {
    taskId,
    action: input.action,
    status: input.action === "reject" ? "rejected" : input.action === "revise" ? "drafting" : "sending",
    round: input.action === "revise" ? round + 1 : round,
  };
}
