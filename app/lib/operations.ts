// Shared by the operations route (server) and its components (browser).
// This file ends up in the browser bundle: runtime imports from worker/ only
// from worker/domain's import-free modules (enums, operating-limits).

import { byUrgency, CATEGORIES, HANDOFF_QUEUES, LANGUAGES, PLAN_TIERS, type PlanTier, PRIORITIES } from "../../worker/domain/enums";
import {
  ACCOUNT_CATEGORY_LIMITS,
  AUTO_SEND_CONFIDENCE,
  DISABLEABLE_TOOLS,
  type DisableableTool,
  OPERATING_LIMITS,
  SAMPLE_LIMITS,
  SLA_MINUTES,
} from "../../worker/domain/operating-limits";
import type { WaitingCounts } from "../../worker/domain/types";
import type { AccountPolicy, OperatingState } from "../../worker/http/dashboard";
import type { FieldError } from "./connectors";

export type OperationsIntent = "killSwitch" | "limits" | "policy" | "queues" | "category" | "deleteCategory" | "draftingModel" | "samples" | "freeze";

/** What the operations route's action answers. */
export interface OperationsActionResponse {
  ok: boolean;
  intent: OperationsIntent | null;
  message?: string;
  error?: string;
  fields?: FieldError[];
}

export type { AccountPolicy, OperatingState, WaitingCounts };

/** Best plan first, "unknown" (no plan found) last. */
export const POLICY_TIERS: readonly PlanTier[] = [...byUrgency(PLAN_TIERS.filter((t) => t !== "unknown")), "unknown"];
export const POLICY_PRIORITIES = byUrgency(PRIORITIES);
export { ACCOUNT_CATEGORY_LIMITS, CATEGORIES as BUILT_IN_CATEGORIES, HANDOFF_QUEUES, LANGUAGES };

/** The policy's parts that have forms of their own (Categories, Handoff queues); the policy form leaves them as saved. */
export type RoutingKey = "categories" | "languageQueues" | "categoryQueues";

/** Queue names to suggest: the built-in ones and those the account already uses. */
export function knownQueues(policy: AccountPolicy): string[] {
  const own = [...policy.categories.map((c) => c.handoffQueue), ...Object.values(policy.languageQueues), ...Object.values(policy.categoryQueues)].filter(
    (q): q is string => !!q,
  );
  return [...new Set([...HANDOFF_QUEUES, ...own])];
}
export const TOOL_LABELS: Record<DisableableTool, string> = {
  lookup_entitlement: "plan tier and SLA from billing",
  summarize_context: "summary, category, risk and previous tickets",
  file_handoff: "internal handoff notes to team queues",
};
export const DISABLEABLE_TOOL_IDS = DISABLEABLE_TOOLS;

/** The four numeric limits saved together by the "limits" form. */
export const LIMIT_FIELDS = [
  { key: "rolloutPercent", label: "Rollout", unit: "% of new tickets triaged", ...OPERATING_LIMITS.rolloutPercent, testId: "ops-rollout" },
  { key: "ticketsPerMinute", label: "Tickets per minute", unit: "per account", ...OPERATING_LIMITS.ticketsPerMinute, testId: "ops-tickets-per-minute" },
  { key: "decisionsPerMinute", label: "Decisions per minute", unit: "per person", ...OPERATING_LIMITS.decisionsPerMinute, testId: "ops-decisions-per-minute" },
  { key: "maxInFlight", label: "In-flight cap", unit: "tickets drafted at once; the rest queue", ...OPERATING_LIMITS.maxInFlight, testId: "ops-max-in-flight" },
] as const;

/** The two settings of samples for quality review, saved together by the "samples" form. */
export const SAMPLE_FIELDS = [
  {
    key: "share",
    path: "policy.samples.share",
    label: "Share of drafting rounds kept",
    unit: "percent",
    step: 0.1,
    ...SAMPLE_LIMITS.sharePercent,
    testId: "ops-samples-share",
  },
  {
    key: "keepDays",
    path: "policy.samples.keepDays",
    label: "Keep samples for",
    unit: "days",
    step: 1,
    ...SAMPLE_LIMITS.keepDays,
    testId: "ops-samples-keep-days",
  },
] as const;

/** Bounds of the policy's minute fields (SLA targets, near-breach window) and of the auto-send threshold. */
export { AUTO_SEND_CONFIDENCE as MIN_CONFIDENCE, SLA_MINUTES };

/** "90 min" → "1 h 30 min", "2880 min" → "2 d": a hint beside minute inputs. */
export function minutesLabel(total: number): string {
  if (!Number.isFinite(total) || total < 60) return `${total} min`;
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  return [d ? `${d} d` : "", h ? `${h} h` : "", m ? `${m} min` : ""].filter(Boolean).join(" ");
}
