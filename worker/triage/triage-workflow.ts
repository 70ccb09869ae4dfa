// One durable Workflow per ticket (its instance id is the task id): look up
// the entitlement, draft round 1 on the ticket's drafter, wait up to two
// hours for a person, then send, redraft (each round its own retried step),
// stop, or escalate, and record the outcome.
//
// Every step that acts outside the Workflow first checks the kill switches;
// while one is on, the step changes nothing and the Workflow waits for the
// `resume` event (or looks again hourly). Whatever happens it ends cleanly:
// the queue row and the drafter close. A ticket holds one of the account's
// drafting slots only while round 1 drafts; freeing it starts the next
// waiting (queued) ticket. Steps are few and full (each is a durable write of
// the engine): on the approve path a ticket takes three, plus the wait, and
// one more where its connector writes the triage reading back to the help desk,
// and one more first where the help desk sent a stand-in requester to look up.

import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep, type WorkflowStepConfig } from "cloudflare:workers";
import { NonRetryableError } from "cloudflare:workflows";
import { entitlementForTask } from "../agent/entitlements";
import { accountAgent, type RoundResult, ticketDrafter } from "../agent/stubs";
import { BillingSourceError } from "../billing/source-common";
import { type DecisionEvent, decisionEventType, RESUME_EVENT } from "../domain/decision-events";
import { writeBackWantedFor } from "../integrations/connector-settings";
import { slaDueAt } from "../policy/account-policy";
import { isKilled, type OperatingState, operatingState } from "../policy/operating-state";
import { voidHandoffs } from "../tasks/handoffs";
import {
  expireTask,
  failTask,
  markAwaitingReview,
  recordAttempt,
  recordEntitlement,
  recordProposalFacts,
  recordRejection,
  recordRevision,
  sendReply,
} from "../tasks/transitions";
import { releaseWaitingTasks } from "./admission";
import type { TriageParams } from "./client";
import { identifyRequester, recordNotIdentified } from "./identify-requester";
import { recordWriteBackFailure, writeBackTriage } from "./write-back";

/** How long a proposal waits for a person before it is escalated. */
const DECISION_TIMEOUT = "2 hours";

/** Calls to systems outside this Worker: a time budget, retried with exponential backoff. */
const EXTERNAL_CALL = {
  retries: { limit: 5, delay: "2 seconds", backoff: "exponential" },
  timeout: "30 seconds",
} as const satisfies WorkflowStepConfig;

/** One drafting round (the model loop and its tools). */
const DRAFTING = { retries: { limit: 3, delay: "5 seconds", backoff: "exponential" }, timeout: "5 minutes" } as const satisfies WorkflowStepConfig;

const KILL_SWITCH_RECHECK = "1 hour";
const KILL_SWITCH_MAX_WAITS = 72;

export type TriageOutcome = { outcome: "sent"; artifact: string } | { outcome: "rejected" | "expired" } | { outcome: "failed"; note: string };

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** What a drafting step returns (kept small: step results are stored by the engine). */
type RoundOutcome = { round: number; phase: string; delivery: { body: string; edited: boolean; automatic: boolean } | null };
const outcomeOf = (r: RoundResult): RoundOutcome => ({ round: r.round, phase: r.phase, delivery: r.delivery });

/** A step's result while a kill switch holds it back. */
type Guarded<T> = { paused: true } | { paused: false; value: T };

class KillSwitchStayedOn extends Error {}

export class TriageWorkflow extends WorkflowEntrypoint<Env, TriageParams> {
  async run(event: WorkflowEvent<TriageParams>, step: WorkflowStep): Promise<TriageOutcome> {
    const { accountId, taskId, identifyRequester: standIn } = event.payload;
    try {
      // A stand-in requester (an id, no address) is looked up before anything reads the requester.
      if (standIn) await this.identifyRequester(step, accountId, taskId);
      return await this.triage(accountId, taskId, step);
    } catch (err) {
      if (err instanceof KillSwitchStayedOn) return this.fail(step, accountId, taskId, "the kill switch stayed on for three days");
      throw err;
    }
  }

  private async triage(accountId: string, taskId: string, step: WorkflowStep): Promise<TriageOutcome> {
    const lookUp = () =>
      this.unlessKilled(step, "look up entitlement", EXTERNAL_CALL, accountId, async ({ policy }) => {
        const intake = await recordAttempt(this.env, taskId);
        const e = await entitlementForTask(this.env, accountId, taskId, intake.ticket.requester.email).catch((err: unknown) => {
          // A revoked key or a refused answer needs an admin, not another try: fail the step at once with the cause.
          if (err instanceof BillingSourceError && !err.retryable) throw new NonRetryableError(err.message);
          throw err;
        });
        const dueAt = slaDueAt(policy, e.tier, intake.ticket.priority, intake.ticket.received_at, e.slaHours);
        await recordEntitlement(this.env, taskId, e, dueAt);
        // Read here, once: a ticket whose connector does not write back takes no extra step.
        return { intake, entitlement: e, dueAt, writeBack: await writeBackWantedFor(this.env, taskId) };
      });
    let found: Awaited<ReturnType<typeof lookUp>>;
    try {
      found = await lookUp();
    } catch (err) {
      if (err instanceof KillSwitchStayedOn) throw err;
      // A NonRetryableError reaches us from step.do as a plain Error whose message starts with its class name.
      const text = message(err);
      const refused = err instanceof Error && (err.name === "NonRetryableError" || text.startsWith("NonRetryableError: "));
      const reason = text.replace(/^NonRetryableError: /, "");
      return this.fail(step, accountId, taskId, `Entitlement lookup failed${refused ? "" : " after retries"}: ${reason}`);
    }
    const { intake, entitlement, dueAt, writeBack } = found;

    let result: RoundOutcome;
    try {
      result = await this.unlessKilled(step, "draft round 1", DRAFTING, accountId, async (ops) => {
        const { policy } = ops;
        const tier = policy.tiers[entitlement.tier];
        // A reply an MCP client proposed: the drafter drafts exactly that, and it always waits for a person.
        const { ticket, proposed } = intake;
        await (await accountAgent(this.env, accountId)).openProposal({
          taskId,
          ticketId: ticket.ticket_id,
          subject: ticket.subject,
          requester: ticket.requester,
          receivedAt: ticket.received_at,
          priority: ticket.priority,
          tier: entitlement.tier,
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
          entitlement,
          dueAt,
          policy: {
            handoffQueue: tier.handoffQueue,
            alwaysReview: tier.alwaysReview,
            autoSend: policy.autoSend,
            disabledTools: policy.disabledTools,
            routing: { categories: policy.categories, languageQueues: policy.languageQueues, categoryQueues: policy.categoryQueues },
          },
          proposed,
        });
        // Drafting is done: the slot frees for the next waiting ticket (a proposal waiting for a person holds none).
        const { waiting } = await this.afterRound(accountId, taskId, round, true);
        if (waiting)
          await releaseWaitingTasks(this.env, accountId, ops).catch((err: unknown) => console.error("waiting tickets not started", accountId, message(err)));
        return outcomeOf(round);
      });
    } catch (err) {
      if (err instanceof KillSwitchStayedOn) throw err;
      return this.fail(step, accountId, taskId, `Drafting failed after retries: ${message(err)}`);
    }

    if (writeBack) await this.writeBack(step, accountId, taskId);

    // The account's auto-send policy let round 1 through without review.
    if (result.delivery?.automatic) {
      return this.send(step, accountId, taskId, {
        action: "approve",
        actor: `agent:${accountId}`,
        round: result.round,
        body: result.delivery.body,
        automatic: true,
      });
    }

    // Each round waits for its own event type, so a late decision on an old
    // round can never be taken for the current one.
    for (let round = result.round; ; round++) {
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
        try {
          // The drafter redrafts on the same thread from the reviewer's note and asks again under round + 1.
          await this.unlessKilled(step, `draft round ${round + 1}`, DRAFTING, accountId, async () => {
            await recordRevision(this.env, accountId, taskId, decision);
            const next = await ticketDrafter(this.env, taskId).applyDecision(decision);
            await this.afterRound(accountId, taskId, next);
            return outcomeOf(next);
          });
        } catch (err) {
          if (err instanceof KillSwitchStayedOn) throw err;
          return this.fail(step, accountId, taskId, `Redrafting failed after retries: ${message(err)}`);
        }
        continue;
      }

      if (decision.action === "reject") {
        await step.do("record rejection", async () => {
          await recordRejection(this.env, accountId, taskId, decision);
          // The model hears why (the denial reason); nothing is sent.
          await ticketDrafter(this.env, taskId)
            .applyDecision(decision)
            .catch((err: unknown) => console.warn("rejection not applied to the thread", taskId, message(err)));
          await this.closeEverywhere(accountId, taskId, "rejected");
        });
        return { outcome: "rejected" };
      }

      return this.send(step, accountId, taskId, decision);
    }
  }

  /**
   * Approve or edit: the approval gate opens (send_reply runs on the drafter
   * with the person's decision), then the reply goes out exactly once and the
   * task closes. An auto-sent reply comes here already approved by the policy.
   */
  private async send(step: WorkflowStep, accountId: string, taskId: string, decision: DecisionEvent): Promise<TriageOutcome> {
    let artifact: string;
    try {
      ({ artifact } = await this.unlessKilled(step, "send reply", EXTERNAL_CALL, accountId, async () => {
        let approved = decision;
        // The last draft the reviewer saw: an edit's size is measured against it.
        let draft: string | null = null;
        if (!decision.automatic) {
          const confirmed = await ticketDrafter(this.env, taskId).applyDecision(decision);
          if (!confirmed.delivery) throw new NonRetryableError(`the approved reply of round ${decision.round} was not handed over (${confirmed.phase})`);
          approved = { ...decision, body: confirmed.delivery.body };
          draft = confirmed.proposal.draft;
        }
        const delivered = await sendReply(
          this.env,
          accountId,
          taskId,
          approved,
          async (person, provider, scopes) => (await accountAgent(this.env, accountId)).delegatedAccessToken(person, provider, scopes),
          draft,
        );
        await this.closeEverywhere(accountId, taskId, decision.automatic ? "sent_automatic" : decision.action === "edit" ? "sent_edited" : "sent");
        return delivered;
      }));
    } catch (err) {
      if (err instanceof KillSwitchStayedOn) throw err;
      // Retries ran out, or the help desk refused (4xx): end cleanly with a note.
      return this.fail(step, accountId, taskId, message(err), "Delivery failed");
    }
    return { outcome: "sent", artifact };
  }

  /**
   * Looks up who a stand-in requester is through the help desk's API (its own
   * retried step, only for such tickets). When it still fails, the stand-in
   * stays and the ticket records why, which the reviewer sees; triage goes on.
   */
  private async identifyRequester(step: WorkflowStep, accountId: string, taskId: string): Promise<void> {
    try {
      await this.unlessKilled(step, "identify requester", EXTERNAL_CALL, accountId, () => identifyRequester(this.env, accountId, taskId));
    } catch (err) {
      if (err instanceof KillSwitchStayedOn) throw err;
      await step.do("record requester not identified", async () => recordNotIdentified(this.env, accountId, taskId, message(err)));
    }
  }

  /**
   * Writes the triage reading back to the help desk (where the connector has
   * it on): its own retried step, once per task. When it still fails, the
   * failure is recorded and audited and the ticket goes on: the reading is a
   * help to the team, not part of the answer. Skipped while a kill switch is on.
   */
  private async writeBack(step: WorkflowStep, accountId: string, taskId: string): Promise<void> {
    try {
      await step.do("write back triage", EXTERNAL_CALL, async () => {
        if (isKilled(await operatingState(this.env, accountId))) return { status: "skipped" as const, reason: "kill switch" };
        return writeBackTriage(this.env, accountId, taskId);
      });
    } catch (err) {
      await step.do("record write-back failure", async () =>
        recordWriteBackFailure(this.env, accountId, taskId, message(err)).catch((e: unknown) =>
          console.error("write-back failure not recorded", taskId, message(e)),
        ),
      );
    }
  }

  /** Records a finished round: D1's task row and audit, and the queue row's status (freeing the drafting slot after round 1). */
  private async afterRound(accountId: string, taskId: string, round: RoundResult, releaseSlot = false): Promise<{ waiting: boolean }> {
    const agent = await accountAgent(this.env, accountId);
    if (round.phase === "handed_to_delivery") {
      // Auto-sent: no review, but the task still records what the round learned (category, language).
      await recordProposalFacts(this.env, taskId, { round: round.round, ...round.proposal });
      return agent.setProposalStatus(taskId, "sending", round.round, round.queueFields, releaseSlot);
    }
    await markAwaitingReview(this.env, accountId, taskId, { round: round.round, ...round.proposal });
    // A round that proposed nothing awaits a person too (its row says noProposal): they write the reply,
    // which goes through the decision gate as an edit, or reject.
    const status = round.phase === "awaiting_review" || round.phase === "no_proposal" ? "awaiting_review" : "drafting";
    return agent.setProposalStatus(taskId, status, round.round, round.queueFields, releaseSlot);
  }

  /** The task left the queue: the row (and any slot it still held) and the drafter close. */
  private async closeEverywhere(accountId: string, taskId: string, outcome: string) {
    await (await accountAgent(this.env, accountId)).closeProposal(taskId, outcome);
    await ticketDrafter(this.env, taskId).close(outcome);
  }

  /** Gives back the task's drafting slot and, when tickets wait for one, starts them. */
  private async freeSlot(accountId: string, taskId: string, ops?: OperatingState) {
    const { waiting } = await (await accountAgent(this.env, accountId)).releaseTask(taskId);
    if (!waiting) return;
    await releaseWaitingTasks(this.env, accountId, ops).catch((err: unknown) => console.error("waiting tickets not started", accountId, message(err)));
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
      await this.freeSlot(accountId, taskId);
      return n;
    });
    return { outcome: "failed", note };
  }

  /**
   * Runs `work` as the step `name`, unless a kill switch is on: then the step
   * does nothing, and the Workflow waits for the `resume` event (or an hour)
   * and tries again under `name (after pause N)`. A stale resume event only
   * costs one more look. After three days it gives up (KillSwitchStayedOn).
   */
  private async unlessKilled<T>(
    step: WorkflowStep,
    name: string,
    config: WorkflowStepConfig,
    accountId: string,
    work: (ops: OperatingState) => Promise<T>,
  ): Promise<T> {
    for (let i = 0; i < KILL_SWITCH_MAX_WAITS; i++) {
      const stepName = i === 0 ? name : `${name} (after pause ${i})`;
      // Step results must be serializable; T is (every caller returns plain data), which the engine's types cannot see here.
      const run = async (): Promise<Guarded<T>> => {
        const ops = await operatingState(this.env, accountId);
        if (isKilled(ops)) return { paused: true };
        return { paused: false, value: await work(ops) };
      };
      const guarded = (await step.do(stepName, config, run as () => Promise<never>)) as Guarded<T>;
      if (!guarded.paused) return guarded.value;
      try {
        await step.waitForEvent(`paused by kill switch before ${name} (${i})`, { type: RESUME_EVENT, timeout: KILL_SWITCH_RECHECK });
      } catch {
        // No resume yet: look again.
      }
    }
    throw new KillSwitchStayedOn();
  }
}
