// An account's triage policy: data in its settings, not code. Which tiers
// always get a human and a handoff, first-response targets, auto-send of
// risk-free holding notes, which tools the agent may use, the account's own
// categories, where handoffs go by category and by language, and which model
// drafts (worker/agent/models/model.ts turns the choice into a model).
import { z } from "zod";
import { CATEGORIES, HANDOFF_QUEUES, LANGUAGES } from "../domain/enums";
import { ACCOUNT_CATEGORY_LIMITS, AUTO_SEND_CONFIDENCE, DISABLEABLE_TOOLS, SAMPLE_LIMITS, SLA_MINUTES, SLUG_PATTERN } from "../domain/operating-limits";
import type { PlanTier, Priority } from "../domain/types";

const tierBranch = z.object({
  /** Always wait for a person, even when auto-send is on. */
  alwaysReview: z.boolean(),
  /** File an internal handoff to this queue for every ticket of the tier (null: only when the agent judges it needed). */
  handoffQueue: z.enum(HANDOFF_QUEUES).nullable(),
});

const minutes = z.number().int().min(SLA_MINUTES.min).max(SLA_MINUTES.max);

/** A handoff queue: a built-in one or the account's own, named by a slug. */
const queueName = z
  .string()
  .regex(SLUG_PATTERN, `a queue is one of ${HANDOFF_QUEUES.join(", ")} or your own name of 2 to 32 lowercase letters, digits and hyphens`);

const L = ACCOUNT_CATEGORY_LIMITS;

/** The message for keys a record does not know (other issues keep zod's own). */
const unknownKeys =
  (what: string, known: readonly string[]) =>
  (issue: { code?: string; keys?: string[] }): string | undefined =>
    issue.code === "unrecognized_keys" ? `not ${what}: ${issue.keys?.join(", ")} (expected one of ${known.join(", ")})` : undefined;

/** A category of the account's own: the offline classifier learns it from `examples`, a hosted model from `description`. */
export const accountCategorySchema = z
  .object({
    id: z
      .string()
      .regex(SLUG_PATTERN, "the id is 2 to 32 lowercase letters, digits and hyphens (e.g. csv-import)")
      .refine((id) => !(CATEGORIES as readonly string[]).includes(id), { message: "this id is a built-in category: choose another" }),
    name: z.string().trim().min(1, "a name is required").max(L.name, `at most ${L.name} characters`),
    description: z
      .string()
      .trim()
      .min(1, "a description is required (the hosted model chooses by it)")
      .max(L.description, `at most ${L.description} characters`),
    examples: z
      .array(z.string().trim().min(1, "an example is empty").max(L.example, `each example is at most ${L.example} characters`))
      .min(1, "at least one example phrase")
      .max(L.maxExamples, `at most ${L.maxExamples} examples`),
    /** Handoffs of tickets in this category go here (null: the language queue or the built-in rule decides). */
    handoffQueue: queueName.nullable(),
  })
  .strict();

/** Which model drafts: "auto" is OpenAI when the Worker has OPENAI_API_KEY, else the built-in offline model. */
const DRAFTING_MODELS = ["auto", "offline", "openai", "workers-ai"] as const;

/** A capable Workers AI model that calls tools. */
export const DEFAULT_WORKERS_AI_MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";

/** "@cf/<author>/<model>", as Workers AI names its models. */
const WORKERS_AI_MODEL_ID = /^@cf\/[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._:-]*$/i;

const draftingModelSchema = z
  .object({
    provider: z.enum(DRAFTING_MODELS, { error: `the drafting model is one of ${DRAFTING_MODELS.join(", ")}` }),
    /** The Workers AI model, used when `provider` is "workers-ai" (kept otherwise, for switching back). */
    workersAiModel: z
      .string()
      .trim()
      .max(100, "at most 100 characters")
      .regex(WORKERS_AI_MODEL_ID, `a Workers AI model id looks like "${DEFAULT_WORKERS_AI_MODEL}"`),
  })
  .strict();

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
  /** The account's own categories (absent in policies saved before they existed: none). */
  categories: z
    .array(accountCategorySchema)
    .max(L.maxCategories, `at most ${L.maxCategories} categories`)
    .superRefine((categories, ctx) => {
      const seen = new Set<string>();
      categories.forEach((c, i) => {
        if (seen.has(c.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `another category already has the id "${c.id}"` });
        seen.add(c.id);
      });
    })
    .default([]),
  /** Handoffs of tickets in a language go to its queue, unless an account category names one. */
  languageQueues: z.partialRecord(z.enum(LANGUAGES), queueName, { error: unknownKeys("a language triage recognises", LANGUAGES) }).default({}),
  /** A built-in category's handoffs go to this queue instead of the built-in rule's. */
  categoryQueues: z.partialRecord(z.enum(CATEGORIES), queueName, { error: unknownKeys("a built-in category", CATEGORIES) }).default({}),
  /** Which model drafts (absent in policies saved before it existed: auto). Saving one the Worker cannot use is refused (operations/settings.ts). */
  draftingModel: draftingModelSchema.default({ provider: "auto", workersAiModel: DEFAULT_WORKERS_AI_MODEL }),
  /** Samples for quality review (audit/samples.ts): the percent of drafting rounds kept, redacted, and for how many days. */
  samples: z
    .object({
      share: z
        .number()
        .min(SAMPLE_LIMITS.sharePercent.min, `the share is ${SAMPLE_LIMITS.sharePercent.min} to ${SAMPLE_LIMITS.sharePercent.max} percent`)
        .max(SAMPLE_LIMITS.sharePercent.max, `the share is ${SAMPLE_LIMITS.sharePercent.min} to ${SAMPLE_LIMITS.sharePercent.max} percent`),
      keepDays: z
        .number()
        .int("keep samples a whole number of days")
        .min(SAMPLE_LIMITS.keepDays.min, `keep samples ${SAMPLE_LIMITS.keepDays.min} to ${SAMPLE_LIMITS.keepDays.max} days`)
        .max(SAMPLE_LIMITS.keepDays.max, `keep samples ${SAMPLE_LIMITS.keepDays.min} to ${SAMPLE_LIMITS.keepDays.max} days`),
    })
    .strict()
    .default({ share: 5, keepDays: 30 }),
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
  categories: [],
  languageQueues: {},
  categoryQueues: {},
  draftingModel: { provider: "auto", workersAiModel: DEFAULT_WORKERS_AI_MODEL },
  samples: { share: 5, keepDays: 30 },
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

/**
 * When the first response is due: the policy's target for the tier and
 * priority, or sooner when the customer's plan promises a shorter first
 * response (its SLA hours): a deadline later than the contract would let it lapse.
 */
export function slaDueAt(policy: AccountPolicy, tier: PlanTier, priority: Priority, receivedAt: string, planSlaHours?: number): string {
  const policyMinutes = policy.sla[tier][priority];
  const minutesAllowed = planSlaHours && planSlaHours > 0 ? Math.min(policyMinutes, planSlaHours * 60) : policyMinutes;
  return new Date(Date.parse(receivedAt) + minutesAllowed * 60_000).toISOString();
}
