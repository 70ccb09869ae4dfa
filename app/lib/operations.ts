// Shared by the operations route (server) and its components (browser).
// No runtime imports from worker/: this file ends up in the browser bundle.
import type { OperatingState } from "../../worker/operations/settings";
import type { AccountPolicy, DisableableTool } from "../../worker/policy/account-policy";
import type { PlanTier, Priority } from "../../worker/types";
import type { FieldError } from "./connectors";

export type OperationsIntent = "killSwitch" | "limits" | "policy" | "freeze";
export const OPERATIONS_INTENTS: readonly OperationsIntent[] = ["killSwitch", "limits", "policy", "freeze"];

/** What the operations route's action answers. */
export interface OperationsActionResponse {
  ok: boolean;
  intent: OperationsIntent | null;
  message?: string;
  error?: string;
  fields?: FieldError[];
}

export type { AccountPolicy, OperatingState };

/** Tickets stored but not being triaged (app/lib/escalations.server.ts). */
export interface WaitingCounts {
  /** Waiting for the kill switch to be lifted (now). */
  held: number;
  /** Waiting for a free in-flight slot (now). */
  queued: number;
  /** Received today (UTC) outside the rollout percentage: stored, not triaged. */
  skippedToday: number;
}

// Mirrors of worker/policy/account-policy.ts (the server validates against the real schema).
export const POLICY_TIERS: readonly PlanTier[] = ["enterprise", "pro", "free", "unknown"];
export const POLICY_PRIORITIES: readonly Priority[] = ["urgent", "high", "normal", "low"];
export const HANDOFF_QUEUES = ["engineering", "security", "billing", "privacy", "tier-2", "account-management"] as const;
export const TOOL_LABELS: Record<DisableableTool, string> = {
  lookup_entitlement: "plan tier and SLA from billing",
  summarize_context: "summary, category, risk and previous tickets",
  file_handoff: "internal handoff notes to team queues",
};
export const DISABLEABLE_TOOL_IDS = Object.keys(TOOL_LABELS) as DisableableTool[];

/** The four numeric limits saved together by the "limits" form. */
export const LIMIT_FIELDS = [
  { key: "rolloutPercent", label: "Rollout", unit: "% of new tickets triaged", min: 0, max: 100, testId: "ops-rollout" },
  { key: "ticketsPerMinute", label: "Tickets per minute", unit: "per account", min: 1, max: 10_000, testId: "ops-tickets-per-minute" },
  { key: "decisionsPerMinute", label: "Decisions per minute", unit: "per person", min: 1, max: 1_000, testId: "ops-decisions-per-minute" },
  { key: "maxInFlight", label: "In-flight cap", unit: "tickets drafted at once; the rest queue", min: 1, max: 10_000, testId: "ops-max-in-flight" },
] as const;
export type LimitKey = (typeof LIMIT_FIELDS)[number]["key"];

/** Bounds of the policy's minute fields (SLA targets, near-breach window) and of the auto-send threshold. */
export const SLA_MINUTES = { min: 5, max: 60 * 24 * 14 } as const;
export const MIN_CONFIDENCE = { min: 0.5, max: 1 } as const;

/** "90 min" → "1 h 30 min", "2880 min" → "2 d": a hint beside minute inputs. */
export function minutesLabel(total: number): string {
  if (!Number.isFinite(total) || total < 60) return `${total} min`;
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  return [d ? `${d} d` : "", h ? `${h} h` : "", m ? `${m} min` : ""].filter(Boolean).join(" ");
}
