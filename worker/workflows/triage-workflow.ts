// One durable Workflow per ticket (its instance id is the task id): record the
// attempt, look up the entitlement, draft round 1 on the ticket's drafter,
// wait up to two hours for a person, then send, redraft (each round its own
// retried step), stop, or escalate, and record the outcome. Before every
// external action it checks the kill switches; whatever happens it ends
// cleanly, releases its in-flight slot and starts the next waiting ticket.
import { NonRetryableError } from "cloudflare:workflows";
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import type { RoundResult } from "../agent/drafting/ticket-drafter";
import { accountAgent, ticketDrafter } from "../agent/stubs";
import { lookupEntitlement } from "../billing/entitlements";
import {
  expireTask,
  failTask,
  markAwaitingReview,
  proposedReplyOf,
  recordAttempt,
  recordEntitlement,
  recordRejection,
  recordRevision,
  sendReply,
  voidHandoffs,
} from "../db/tasks";
import { isKilled, operatingState, releaseWaitingTasks } from "../operations/settings";
import { slaDueAt } from "../policy/account-policy";
import { decisionEventType, RESUME_EVENT, type DecisionEvent } from "./events";
import type { TriageParams } from "./start";

/** How long a proposal waits for a person before it is escalated. */
export const DECISION_TIMEOUT = "2 hours";

/** Calls to systems outside this Worker: a time budget, retried with exponential backoff. */
const EXTERNAL_CALL = {
  retries: { limit: 5, delay: "2 seconds", backoff: "exponential" },
  timeout: "30 seconds",
} as const;

/** One drafting round (the model loop and its tools). */
const DRAFTING = { retries: { limit: 3, delay: "5 seconds", backoff: "exponential" }, timeout: "5 minutes" } as const;

const KILL_SWITCH_RECHECK = "1 hour";
const KILL_SWITCH_MAX_WAITS = 72;

export type TriageOutcome =
  | { outcome: "sent"; artifact: string }
  | { outcome: "rejected" | "expired" }
  | { outcome: "failed"; note: string };

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** What a drafting step returns (kept small: step results are stored by the Workflow). */
type RoundOutcome = { round: number; phase: string; delivery: { body: string; edited: boolean; automatic: boolean } | null };
const outcomeOf = (r: RoundResult): RoundOutcome => ({ round: r.round, phase: r.phase, delivery: r.delivery });

export class TriageWorkflow extends WorkflowEntrypoint<Env, TriageParams> {
  async run(event: WorkflowEvent<TriageParams>, step: WorkflowStep): Promise<TriageOutcome> {
    const { accountId, taskId } = event.payload;
    const outcome = await this.triage(accountId, taskId, step);
    await step.do("release slot", async () => {
      await (await accountAgent(this.env, accountId)).releaseTask(taskId);
      return { started: await releaseWaitingTasks(this.env, accountId) };
    });
    return outcome;
  }

  private async triage(accountId: string, taskId: string, step: WorkflowStep): Promise<TriageOutcome> {
    const intake = await step.do("record attempt", () => recordAttempt(this.env, taskId));

    if (!(await this.pauseWhileKilled(step, accountId, taskId, "entitlement"))) return this.fail(step, accountId, taskId, "the kill switch stayed on for three days");
    let entitlement;
    try {
      entitlement = await step.do("look up entitlement", EXTERNAL_CALL, async () => {
        const e = await lookupEntitlement(this.env, accountId, intake.ticket.requester.email);
        const { policy } = await operatingState(this.env, accountId);
        const dueAt = slaDueAt(policy, e.tier, intake.ticket.priority, intake.ticket.received_at);
        await recordEntitlement(this.env, taskId, e, dueAt);
        return { ...e, dueAt };
      });
    } catch (err) {
      return this.fail(step, accountId, taskId, `Entitlement lookup failed after retries: ${message(err)}`);
    }

    if (!(await this.pauseWhileKilled(step, accountId, taskId, "draft"))) return this.fail(step, accountId, taskId, "the kill switch stayed on for three days");
    let result: RoundOutcome;
    try {
      result = await step.do("draft round 1", DRAFTING, async () => {
        const { policy } = await operatingState(this.env, accountId);
        const tier = policy.tiers[entitlement.tier];
        const { dueAt, ...e } = entitlement;
        // A reply an MCP client proposed: the drafter drafts exactly that, and it always waits for a person.
        const proposed = await proposedReplyOf(this.env, taskId);
        const { ticket } = intake;
        await (await accountAgent(this.env, accountId)).openProposal({
          taskId,
          ticketId: ticket.ticket_id,
          subject: ticket.subject,
          requester: ticket.requester,
          receivedAt: ticket.received_at,
          priority: ticket.priority,
          tier: e.tier,
          category: null,
          confidence: null,
          dueAt,
          risk: [],
          handoffQueue: null,
          origin: proposed ? "mcp" : "help_desk",
          proposedBy: proposed ? { client: proposed.clientName, by: proposed.proposedBy } : null,
        });
        const round = await ticketDrafter(this.env, taskId).start({
          accountId,
          taskId,
          accountName: intake.accountName,
          ticket,
          entitlement: e,
          dueAt,
          policy: { handoffQueue: tier.handoffQueue, alwaysReview: tier.alwaysReview, autoSend: policy.autoSend, disabledTools: policy.disabledTools },
          proposed,
        });
        await this.afterRound(accountId, taskId, round);
        return outcomeOf(round);
      });
    } catch (err) {
      return this.fail(step, accountId, taskId, `Drafting failed after retries: ${message(err)}`);
    }

    // The account's auto-send policy let round 1 through without review.
    let approved: DecisionEvent | null = result.delivery?.automatic
      ? { action: "approve", actor: `agent:${accountId}`, round: result.round, body: result.delivery.body, automatic: true }
      : null;

    // Each round waits for its own event type, so a late decision on an old
    // round can never be taken for the current one.
    for (let round = result.round; !approved; round++) {
      let decision: DecisionEvent;
      try {
        const received = await step.waitForEvent<DecisionEvent>(`wait for decision, round ${round}`, {
          type: decisionEventType(round),
          timeout: DECISION_TIMEOUT,
        });
        decision = received.payload;
      } catch {
        // waitForEvent throws when the timeout passes: escalate, do not send.
        await step.do("expire and escalate", async () => {
          await expireTask(this.env, accountId, taskId);
          await this.closeEverywhere(accountId, taskId, "expired");
        });
        return { outcome: "expired" };
      }

      if (decision.action === "revise") {
        await step.do(`record revision, round ${round}`, () => recordRevision(this.env, accountId, taskId, decision));
        try {
          // The drafter redrafts on the same thread from the reviewer's note and asks again under round + 1.
          await step.do(`draft round ${round + 1}`, DRAFTING, async () => {
            const next = await ticketDrafter(this.env, taskId).applyDecision(decision);
            await this.afterRound(accountId, taskId, next);
            return outcomeOf(next);
          });
        } catch (err) {
          return this.fail(step, accountId, taskId, `Redrafting failed after retries: ${message(err)}`);
        }
        continue;
      }

      if (decision.action === "reject") {
        await step.do("record rejection", async () => {
          await recordRejection(this.env, accountId, taskId, decision);
          // The model hears why (the denial reason); nothing is sent.
          await ticketDrafter(this.env, taskId).applyDecision(decision).catch((err: unknown) => console.warn("rejection not applied to the thread", taskId, message(err)));
          await this.closeEverywhere(accountId, taskId, "rejected");
        });
        return { outcome: "rejected" };
      }

      // Approve or edit: the approval gate opens and send_reply runs on the drafter.
      try {
        const delivery = await step.do(`confirm approval, round ${round}`, DRAFTING, async () => {
          const confirmed = await ticketDrafter(this.env, taskId).applyDecision(decision);
          if (!confirmed.delivery) throw new NonRetryableError(`the approved reply of round ${round} was not handed over (${confirmed.phase})`);
          return confirmed.delivery;
        });
        approved = { ...decision, body: delivery.body };
      } catch (err) {
        return this.fail(step, accountId, taskId, `Approval could not be applied: ${message(err)}`);
      }
    }

    if (!(await this.pauseWhileKilled(step, accountId, taskId, "send"))) return this.fail(step, accountId, taskId, "the kill switch stayed on for three days");
    const decision = approved;
    let artifact: string;
    try {
      ({ artifact } = await step.do("send reply", EXTERNAL_CALL, () => sendReply(this.env, accountId, taskId, decision)));
    } catch (err) {
      // Retries ran out, or the help desk refused (4xx): end cleanly with a note.
      return this.fail(step, accountId, taskId, message(err), "Delivery failed");
    }
    await step.do("close proposal", () =>
      this.closeEverywhere(accountId, taskId, decision.automatic ? "sent_automatic" : decision.action === "edit" ? "sent_edited" : "sent"),
    );
    return { outcome: "sent", artifact };
  }

  /** Records a finished round: D1's task row and audit, and the queue row's status. */
  private async afterRound(accountId: string, taskId: string, round: RoundResult) {
    const agent = await accountAgent(this.env, accountId);
    if (round.phase === "handed_to_delivery") {
      await agent.setProposalStatus(taskId, "sending", round.round);
      return;
    }
    await markAwaitingReview(this.env, accountId, taskId, { round: round.round, ...round.proposal });
    // A round that proposed nothing stays "drafting" in the queue: a person has to take it from here.
    if (round.phase === "awaiting_review") await agent.setProposalStatus(taskId, "awaiting_review", round.round);
  }

  /** The task left the queue: the account's row and the drafter's record close. */
  private async closeEverywhere(accountId: string, taskId: string, outcome: string) {
    await (await accountAgent(this.env, accountId)).closeProposal(taskId, outcome);
    await ticketDrafter(this.env, taskId).close(outcome);
  }

  /**
   * Ends the task as failed with a note the reviewer sees, and undoes what was
   * half done: a handoff filed for a reply that never went out is voided.
   */
  private async fail(step: WorkflowStep, accountId: string, taskId: string, reason: string, prefix = "Failed"): Promise<TriageOutcome> {
    const note = await step.do("record failure", async () => {
      const n = await failTask(this.env, accountId, taskId, reason, prefix);
      await voidHandoffs(this.env, accountId, taskId, n);
      await this.closeEverywhere(accountId, taskId, "failed");
      return n;
    });
    return { outcome: "failed", note };
  }

  /**
   * Stops before an external action while a kill switch is on; resumes when it
   * is lifted (a `resume` event, or the hourly re-check). A stale resume event
   * only costs one more check. After three days the task fails cleanly.
   */
  private async pauseWhileKilled(step: WorkflowStep, accountId: string, taskId: string, before: string) {
    for (let i = 0; i < KILL_SWITCH_MAX_WAITS; i++) {
      const killed = await step.do(`check kill switch before ${before} (${i})`, async () => isKilled(await operatingState(this.env, accountId)));
      if (!killed) return true;
      try {
        await step.waitForEvent(`paused by kill switch before ${before} (${i})`, { type: RESUME_EVENT, timeout: KILL_SWITCH_RECHECK });
      } catch {
        // No resume yet: look again.
      }
    }
    return false;
  }
}
