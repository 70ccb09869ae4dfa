// An account's triage policy: data in its settings, not code. Which tiers
// always get a human and a handoff, first-response targets, auto-send of
// risk-free holding notes, and which tools the agent may use.
import { z } from "zod";
import { HANDOFF_QUEUES } from "../domain/enums";
import { AUTO_SEND_CONFIDENCE, DISABLEABLE_TOOLS, SLA_MINUTES } from "../domain/operating-limits";
import type { PlanTier, Priority } from "../domain/types";

const tierBranch = z.object({
  /** Always wait for a person, even when auto-send is on. */
  alwaysReview: z.boolean(),
  /** File an internal handoff to this queue for every ticket of the tier (null: only when the agent judges it needed). */
  handoffQueue: z.enum(HANDOFF_QUEUES).nullable(),
});

const minutes = z.number().int().min(SLA_MINUTES.min).max(SLA_MINUTES.max);

export const policySchema = z.object({
  tiers: z.object({ free: tierBranch, pro: tierBranch, enterprise: tierBranch, unknown: tierBranch }),
  /** First-response targets in minutes, per tier and priority. */
  sla: z.object({
    free: z.object({ low: minutes, normal: minutes, high: minutes, urgent: minutes }),
    pro: z.object({ low: minutes, normal: minutes, high: minutes, urgent: minutes }),
    enterprise: z.object({ low: minutes, normal: minutes, high: minutes, urgent: minutes }),
    unknown: z.object({ low: minutes, normal: minutes, high: minutes, urgent: minutes }),
  }),
  /** Send a risk-free holding note without review. Off unless the account turns it on. */
  autoSend: z.object({ enabled: z.boolean(), minConfidence: z.number().min(AUTO_SEND_CONFIDENCE.min).max(AUTO_SEND_CONFIDENCE.max) }),
  /** Tasks due within this many minutes count as near breach and sort first. */
  nearBreachMinutes: minutes,
  disabledTools: z.array(z.enum(DISABLEABLE_TOOLS)).max(DISABLEABLE_TOOLS.length),
});

export type AccountPolicy = z.infer<typeof policySchema>;

export const DEFAULT_POLICY: AccountPolicy = {
  tiers: {
    free: { alwaysReview: false, handoffQueue: null },
    pro: { alwaysReview: false, handoffQueue: null },
    enterprise: { alwaysReview: true, handoffQueue: "account-management" },
    unknown: { alwaysReview: true, handoffQueue: null },
  },
  sla: {
    free: { low: 2880, normal: 1440, high: 480, urgent: 240 },
    pro: { low: 1440, normal: 480, high: 240, urgent: 60 },
    enterprise: { low: 480, normal: 240, high: 60, urgent: 30 },
    unknown: { low: 2880, normal: 2880, high: 1440, urgent: 480 },
  },
  autoSend: { enabled: false, minConfidence: 0.9 },
  nearBreachMinutes: 60,
  disabledTools: [],
};

/** Policies read recently, by their stored JSON: every intake and Workflow step reads the account's. */
const readPolicies = new Map<string, AccountPolicy>();

/** Stored JSON may be partial or from an older version: fill in defaults, keep what validates. */
export function readPolicy(stored: unknown): AccountPolicy {
  const key = JSON.stringify(stored ?? null);
  const known = readPolicies.get(key);
  if (known) return structuredClone(known);
  const merged = deepMerge(DEFAULT_POLICY, stored);
  const parsed = policySchema.safeParse(merged);
  const policy = parsed.success ? parsed.data : DEFAULT_POLICY;
  if (readPolicies.size >= 100) readPolicies.clear();
  readPolicies.set(key, policy);
  return structuredClone(policy);
}

function deepMerge<T>(base: T, over: unknown): T {
  if (!over || typeof over !== "object" || Array.isArray(over) || typeof base !== "object" || base === null || Array.isArray(base)) {
    return (over === undefined ? base : over) as T;
  }
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out as T;
}

/** When the first response is due. */
export function slaDueAt(policy: AccountPolicy, tier: PlanTier, priority: Priority, receivedAt: string): string {
  const minutesAllowed = policy.sla[tier][priority];
  return new Date(Date.parse(receivedAt) + minutesAllowed * 60_000).toISOString();
}
