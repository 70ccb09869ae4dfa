// The event the account agent sends a waiting Workflow when a person decides.
import type { DecisionAction } from "./types";

export interface DecisionEvent {
  action: DecisionAction;
  actor: string;
  round: number;
  /** The reply to send, for approve and edit. */
  body?: string;
  /** The reviewer's note, for revise and reject. */
  note?: string;
  /** Sent without review under the account's auto-send policy (risk-free holding note). */
  automatic?: boolean;
}

/** Lifting a kill switch sends this event to paused tasks (they also look again every hour). */
export const RESUME_EVENT = "resume";

/** Each drafting round waits for its own event type, so a late decision on an old round is never taken for the current one. */
export function decisionEventType(round: number): string {
  return `decision-${round}`;
}
