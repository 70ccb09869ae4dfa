// The product's fixed vocabularies, each written once. Types, zod schemas, the
// D1 schema, MCP tool schemas and the dashboard's filters all derive from these.

export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type Priority = (typeof PRIORITIES)[number];

export const PLAN_TIERS = ["free", "pro", "enterprise", "unknown"] as const;
export type PlanTier = (typeof PLAN_TIERS)[number];

/*
 * Lifecycle of one triage task (one per ticket):
 * received: stored, Workflow not yet running its first step
 * queued: stored; waits for a free slot (the account's in-flight cap)
 * held: stored; the kill switch is on, triage waits until it is off
 * skipped: stored; outside the rollout percentage, not triaged
 * drafting: the account agent is working on a proposal
 * awaiting_review: a proposal waits for a human decision
 * sending: approved; the reply is being delivered
 * sent: the reply is in the help desk (or the local outbox)
 * rejected: a reviewer rejected the proposal; nothing was sent
 * expired: nobody decided within two hours; escalated
 * failed: an external system kept failing; see the task note
 */
export const TASK_STATUSES = [
  "received",
  "queued",
  "held",
  "skipped",
  "drafting",
  "awaiting_review",
  "sending",
  "sent",
  "rejected",
  "expired",
  "failed",
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Where an open proposal is: the agent drafts, a person reviews, the reply goes out (queue order). */
export const PROPOSAL_STATUSES = ["awaiting_review", "drafting", "sending"] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** The team queues an internal handoff can go to. */
export const HANDOFF_QUEUES = ["engineering", "security", "billing", "privacy", "tier-2", "account-management"] as const;

/**
 * Which rule chose a ticket's handoff queue, most specific first: the account
 * category's own queue, the account's queue for the ticket's language, the
 * account's queue for a built-in category, the built-in rule.
 */
const HANDOFF_REASONS = ["account-category", "language", "category-queue", "built-in"] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

/** What a ticket is about (the summarize_context tool decides; filters and policy use it). */
export const CATEGORIES = [
  "outage",
  "security",
  "billing",
  "account-access",
  "bug",
  "data-privacy",
  "api",
  "cancellation",
  "feature-request",
  "general",
] as const;
export type Category = (typeof CATEGORIES)[number];

export const DECISION_ACTIONS = ["approve", "edit", "reject", "revise"] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

/** Most urgent first, as the dashboard lists and filters them. */
export const byUrgency = <T extends string>(values: readonly T[]): T[] => [...values].reverse();

/** How the customer feels, as triage reads it. */
export const SENTIMENTS = ["negative", "neutral", "positive"] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

/** What the customer wants from this ticket. */
export const INTENTS = ["question", "incident", "request", "complaint"] as const;
export type Intent = (typeof INTENTS)[number];

/** Languages triage recognises (ISO 639-1); the offline replies exist for most of them (worker/agent/models/replies). */
export const LANGUAGES = ["en", "de", "es", "fr", "pt", "it", "nl", "pl"] as const;
export type Language = (typeof LANGUAGES)[number];
