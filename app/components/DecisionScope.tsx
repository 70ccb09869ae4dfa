import { useState } from "react";
import { useFetcher } from "react-router";
import type { DecisionAction, Proposal } from "../../worker/domain/types";
import type { DecisionResponse } from "../lib/decision";
import { DecisionControls, WriteReplyControls } from "./DecisionControls";
import { DecisionStatus } from "./DecisionStatus";
import { ProposalDetail } from "./ProposalDetail";

interface Props {
  taskId: string;
  /** Undefined once the proposal has left the queue (decided, expired…). */
  proposal: Proposal | undefined;
  actionUrl: string;
  now: number;
  /** The account's near-breach window (policy.nearBreachMinutes). */
  nearMinutes?: number;
}

/**
 * The detail pane for one selected task. Owns the decision fetcher so the
 * confirmation stays visible after the proposal leaves the live queue.
 */
export function DecisionScope({ taskId, proposal, actionUrl, now, nearMinutes }: Props) {
  const fetcher = useFetcher<DecisionResponse>({ key: `decision:${taskId}` });
  const [localError, setLocalError] = useState<string | null>(null);
  const busy = fetcher.state !== "idle";

  const decide = (fields: { action: DecisionAction; body?: string; note?: string }) => {
    setLocalError(null);
    const payload: Record<string, string> = { taskId, action: fields.action };
    if (fields.body !== undefined) payload.body = fields.body;
    if (fields.note !== undefined) payload.note = fields.note;
    fetcher.submit(payload, { method: "post", action: actionUrl });
  };

  const status = <DecisionStatus busy={busy} response={fetcher.data} localError={localError} />;

  if (!proposal) {
    return (
      <div className="mx-auto max-w-xl p-8">
        <div className="rounded-lg border border-neutral-200 bg-white p-5">
          <h2 className="text-sm font-semibold">This proposal is no longer open</h2>
          <p className="mt-1 text-xs text-neutral-500">It was decided, expired or never existed in this account.</p>
          <div className="mt-3">{status}</div>
        </div>
      </div>
    );
  }

  return (
    <ProposalDetail
      proposal={proposal}
      now={now}
      nearMinutes={nearMinutes}
      decision={
        <div className="space-y-3">
          {proposal.status === "awaiting_review" && proposal.suggestedReply ? (
            <WriteReplyControls key={`${proposal.taskId}:${proposal.round}:write`} proposal={proposal} busy={busy} onDecide={decide} />
          ) : proposal.status === "awaiting_review" ? (
            <DecisionControls
              key={`${proposal.taskId}:${proposal.round}:${proposal.draft ?? ""}`}
              proposal={proposal}
              busy={busy}
              onDecide={decide}
              onInvalid={setLocalError}
            />
          ) : (
            <p className="text-xs text-neutral-500">
              {proposal.status === "drafting"
                ? "The agent is still working on this proposal. The decision controls appear when the draft is ready."
                : proposal.status === "sending"
                  ? "Approved; the reply is being delivered."
                  : "This proposal is closed."}
            </p>
          )}
          {status}
        </div>
      }
    />
  );
}
