// One durable Workflow per ticket (its instance id is the task id): record the
// attempt, look up the entitlement, have the account agent draft, wait up to
// two hours for a person, then send, stop, or escalate, and record the outcome.
// Before every external action it checks the kill switches; whatever happens
// it ends cleanly, releases its in-flight slot and starts the next waiting ticket.
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { accountAgent } from "../agents/account-agent";
import { decisionEventType } from "../agents/support-agent";
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
import { RESUME_EVENT, type DecisionEvent } from "./events";
import type { TriageParams } from "./start";

/** How long a proposal waits for a person before it is escalated. */
export const DECISION_TIMEOUT = "2 hours";

/** Calls to systems outside this Worker: a time budget, retried with exponential backoff. */
const EXTERNAL_CALL = {
  retries: { limit: 5, delay: "2 seconds", backoff: "exponential" },
  timeout: "30 seconds",
} as const;

const KILL_SWITCH_RECHECK = "1 hour";
const KILL_SWITCH_MAX_WAITS = 72;

export type TriageOutcome =
  | { outcome: "sent"; artifact: string }
  | { outcome: "rejected" | "expired" }
  | { outcome: "failed"; note: string };

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

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
    let proposal;
    try {
      proposal = await step.do(
        "draft proposal",
        { retries: { limit: 3, delay: "5 seconds", backoff: "exponential" }, timeout: "5 minutes" },
        async () => {
          const { policy } = await operatingState(this.env, accountId);
          const tier = policy.tiers[entitlement.tier];
          const agent = await accountAgent(this.env, accountId);
          const { dueAt, ...e } = entitlement;
          const p = await agent.startTriage({
            taskId,
            accountName: intake.accountName,
            ticket: intake.ticket,
            entitlement: e,
            dueAt,
            policy: { handoffQueue: tier.handoffQueue, alwaysReview: tier.alwaysReview, autoSend: policy.autoSend, disabledTools: policy.disabledTools },
            // A reply an MCP client proposed: the agent drafts exactly that, and it always waits for a person.
            proposed: await proposedReplyOf(this.env, taskId),
          });
          await markAwaitingReview(this.env, accountId, p);
          return { round: p.round };
        },
      );
    } catch (err) {
      return this.fail(step, accountId, taskId, `Drafting failed after retries: ${message(err)}`);
    }

    // Each round waits for its own event type, so a late decision on an old
    // round can never be taken for the current one.
    for (let round = proposal.round; ; round++) {
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
          await (await accountAgent(this.env, accountId)).closeTask(taskId, "expired");
        });
        return { outcome: "expired" };
      }

      if (decision.action === "revise") {
        await step.do(`record revision, round ${round}`, () => recordRevision(this.env, accountId, taskId, decision));
        // The agent redrafts on the same thread and asks again under round + 1.
        continue;
      }

      if (decision.action === "reject") {
        await step.do("record rejection", async () => {
          await recordRejection(this.env, accountId, taskId, decision);
          await (await accountAgent(this.env, accountId)).closeTask(taskId, "rejected");
        });
        return { outcome: "rejected" };
      }

      if (!(await this.pauseWhileKilled(step, accountId, taskId, "send"))) return this.fail(step, accountId, taskId, "the kill switch stayed on for three days");
      let artifact: string;
      try {
        ({ artifact } = await step.do("send reply", EXTERNAL_CALL, () => sendReply(this.env, accountId, taskId, decision)));
      } catch (err) {
        // Retries ran out, or the help desk refused (4xx): end cleanly with a note.
        return this.fail(step, accountId, taskId, message(err), "Delivery failed");
      }
      await step.do("close proposal", async () => {
        await (await accountAgent(this.env, accountId)).closeTask(taskId, decision.action === "edit" ? "sent_edited" : "sent");
      });
      return { outcome: "sent", artifact };
    }
  }

  /**
   * Ends the task as failed with a note the reviewer sees, and undoes what was
   * half done: a handoff filed for a reply that never went out is voided.
   */
  private async fail(step: WorkflowStep, accountId: string, taskId: string, reason: string, prefix = "Failed"): Promise<TriageOutcome> {
    const note = await step.do("record failure", async () => {
      const n = await failTask(this.env, accountId, taskId, reason, prefix);
      await voidHandoffs(this.env, accountId, taskId, n);
      await (await accountAgent(this.env, accountId)).closeTask(taskId, "failed");
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
