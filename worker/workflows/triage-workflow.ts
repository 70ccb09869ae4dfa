// One durable Workflow per ticket (its instance id is the task id): record the
// attempt, look up the entitlement, have the account agent draft, wait up to
// two hours for a person, then send, stop, or escalate, and record the outcome.
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { accountAgent } from "../agents/account-agent";
import { decisionEventType } from "../agents/support-agent";
import { lookupEntitlement } from "../billing/entitlements";
import {
  expireTask,
  failTask,
  markAwaitingReview,
  recordAttempt,
  recordEntitlement,
  recordRejection,
  recordRevision,
  sendReply,
} from "../db/tasks";
import type { DecisionEvent } from "./events";
import type { TriageParams } from "./start";

/** How long a proposal waits for a person before it is escalated. */
export const DECISION_TIMEOUT = "2 hours";

/** Calls to systems outside this Worker: retried with exponential backoff. */
const EXTERNAL_CALL = {
  retries: { limit: 5, delay: "2 seconds", backoff: "exponential" },
  timeout: "30 seconds",
} as const;

export type TriageOutcome = { outcome: "sent"; artifact: string } | { outcome: "rejected" | "expired" } | { outcome: "failed"; note: string };

export class TriageWorkflow extends WorkflowEntrypoint<Env, TriageParams> {
  async run(event: WorkflowEvent<TriageParams>, step: WorkflowStep): Promise<TriageOutcome> {
    const { accountId, taskId } = event.payload;

    const intake = await step.do("record attempt", () => recordAttempt(this.env, taskId));

    const entitlement = await step.do("look up entitlement", EXTERNAL_CALL, async () => {
      const e = await lookupEntitlement(this.env, accountId, intake.ticket.requester.email);
      await recordEntitlement(this.env, taskId, e);
      return e;
    });

    const proposal = await step.do(
      "draft proposal",
      { retries: { limit: 3, delay: "5 seconds", backoff: "exponential" }, timeout: "5 minutes" },
      async () => {
        const agent = await accountAgent(this.env, accountId);
        const p = await agent.startTriage({ taskId, accountName: intake.accountName, ticket: intake.ticket, entitlement });
        await markAwaitingReview(this.env, accountId, p);
        return { round: p.round };
      },
    );

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

      let artifact: string;
      try {
        ({ artifact } = await step.do("send reply", EXTERNAL_CALL, () => sendReply(this.env, accountId, taskId, decision)));
      } catch (err) {
        // Retries ran out, or the help desk refused (4xx): end cleanly with a note.
        const reason = err instanceof Error ? err.message : String(err);
        const note = await step.do("record delivery failure", async () => {
          const n = await failTask(this.env, accountId, taskId, reason);
          await (await accountAgent(this.env, accountId)).closeTask(taskId, "failed");
          return n;
        });
        return { outcome: "failed", note };
      }
      await step.do("close proposal", async () => {
        await (await accountAgent(this.env, accountId)).closeTask(taskId, decision.action === "edit" ? "sent_edited" : "sent");
      });
      return { outcome: "sent", artifact };
    }
  }
}
