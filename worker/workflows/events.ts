// The event the account agent sends a waiting Workflow when a person decides.
import type { DecisionAction } from "../types";

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
