// The bounds of an account's operating controls and policy, written once: the
// server's schemas validate against them and the dashboard's inputs show them.

/** The four numeric limits an admin sets on the Operations page. */
export const OPERATING_LIMITS = {
  rolloutPercent: { min: 0, max: 100 },
  ticketsPerMinute: { min: 1, max: 10_000 },
  decisionsPerMinute: { min: 1, max: 1_000 },
  maxInFlight: { min: 1, max: 10_000 },
} as const;

/** First-response targets and the near-breach window, in minutes. */
export const SLA_MINUTES = { min: 5, max: 60 * 24 * 14 } as const;

/** Samples for quality review: the share of drafting rounds kept (percent, 0 keeps none) and for how many days. */
export const SAMPLE_LIMITS = { sharePercent: { min: 0, max: 100 }, keepDays: { min: 1, max: 365 } } as const;

/** The auto-send confidence threshold. */
export const AUTO_SEND_CONFIDENCE = { min: 0.5, max: 1 } as const;

/** Tools an account may switch off (reading the ticket and drafting always run). */
export const DISABLEABLE_TOOLS = ["lookup_entitlement", "summarize_context", "file_handoff"] as const;
export type DisableableTool = (typeof DISABLEABLE_TOOLS)[number];

/** An account's own categories (the Operations page's "Categories"): how many, and how long each field may be. */
export const ACCOUNT_CATEGORY_LIMITS = {
  maxCategories: 20,
  name: 60,
  description: 300,
  maxExamples: 20,
  example: 300,
} as const;

/**
 * Ids of account categories and names of handoff queues: 2 to 32 lowercase
 * letters, digits and hyphens, starting and ending with a letter or digit.
 * The built-in queues (enums.ts HANDOFF_QUEUES) are of this shape too.
 */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$/;
