// What every billing source shares: the error a lookup fails with, and the
// SLA hours a tier gets when the source names the tier but no hours.
import type { MappedTier } from "../domain/billing";

/** First-response target for requesters the billing source does not know. */
export const UNKNOWN_CUSTOMER_SLA_HOURS = 48;

/** SLA hours of a tier a source names without hours (the demo plans' figures). */
export const DEFAULT_SLA_HOURS: Record<MappedTier, number> = { free: 48, pro: 8, enterprise: 2 };

/**
 * A billing source could not answer. `retryable` says whether trying again
 * later can help (429/5xx/timeouts) or an admin must act first (a revoked key,
 * a missing permission, a badly signed answer): the Workflow step turns the
 * latter into a non-retryable failure with this message as the task's note.
 */

export class BillingSourceError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "BillingSourceError";
  }
}
