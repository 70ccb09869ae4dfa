// Billing sources (where entitlements come from when not the built-in tables):
// what an admin may enter, validated the same way in the Worker and shown by
// the Connectors page. Browser-safe: zod and types only.
import { z } from "zod";

export const BILLING_SOURCE_KINDS = ["stripe", "generic"] as const;
export type BillingSourceKind = (typeof BILLING_SOURCE_KINDS)[number];

/** Where an entitlement came from (the built-in `customers`/`plans` tables, Stripe, or the generic lookup URL). */
export type EntitlementSource = "builtin" | BillingSourceKind;

/** How the dashboard names where an entitlement came from. */
export const ENTITLEMENT_SOURCE_LABELS: Record<EntitlementSource, string> = {
  builtin: "Built-in customer table",
  stripe: "Stripe",
  generic: "Billing lookup URL",
};

/** The tiers a billing source may name (`unknown` is what no match gives). */
export const MAPPED_TIERS = ["free", "pro", "enterprise"] as const;
export type MappedTier = (typeof MAPPED_TIERS)[number];

const MAX_MAPPING_RULES = 50;
const MAX_SLA_HOURS = 720;

/** A restricted (`rk_`) or secret (`sk_`) Stripe key, live or test mode. */
const STRIPE_KEY = /^(rk|sk)_(live|test)_[A-Za-z0-9]{10,250}$/;
/** Stripe's webhook endpoint signing secret. */
const STRIPE_WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/=]{16,250}$/;
/** A Standard Webhooks secret: whsec_ + base64 (the generic source signs its answers with it). */
const STANDARD_WEBHOOKS_SECRET = /^whsec_[A-Za-z0-9+/=]{16,250}$/;

const stripeKeySchema = z.string().trim().regex(STRIPE_KEY, "a Stripe restricted key (rk_live_… or rk_test_…) or secret key (sk_live_… / sk_test_…)");

const stripeWebhookSecretSchema = z.string().trim().regex(STRIPE_WEBHOOK_SECRET, "the endpoint's signing secret from Stripe (whsec_…)");

const genericSecretSchema = z.string().trim().regex(STANDARD_WEBHOOKS_SECRET, "whsec_ followed by base64 (use Generate)");

/** One rule: a Stripe price id, product id or price lookup key, and the tier and SLA it gives. */
const mappingRuleSchema = z
  .object({
    match: z.string().trim().min(1, "a price id (price_…), product id (prod_…) or lookup key").max(200),
    tier: z.enum(MAPPED_TIERS, { error: `expected ${MAPPED_TIERS.join(", ")}` }),
    slaHours: z.number({ error: "a number of hours" }).int("whole hours").min(1, "at least 1 hour").max(MAX_SLA_HOURS, `at most ${MAX_SLA_HOURS} hours`),
    plan: z.string().trim().max(100).optional(),
  })
  .strict();
export type MappingRule = z.infer<typeof mappingRuleSchema>;

/** How Stripe subscriptions map to our tiers: explicit rules, and optionally a metadata key naming a tier. */
export const stripeMappingSchema = z
  .object({
    rules: z.array(mappingRuleSchema).max(MAX_MAPPING_RULES, `at most ${MAX_MAPPING_RULES} rules`),
    metadataKey: z
      .string()
      .trim()
      .max(40)
      .regex(/^[A-Za-z0-9_.-]*$/, "letters, digits, _ . - only")
      .optional(),
  })
  .strict();
export type StripeMapping = z.infer<typeof stripeMappingSchema>;

/** What an admin saves for Stripe. Empty key or webhook secret keep what is stored. */
export const stripeSourceInputSchema = z
  .object({
    apiKey: z.union([z.literal(""), stripeKeySchema]).optional(),
    webhookSecret: z.union([z.literal(""), stripeWebhookSecretSchema]).optional(),
    mapping: stripeMappingSchema,
    /** Stripe's API base; only https://api.stripe.com (or a loopback fake in tests). */
    apiBaseUrl: z.string().trim().max(500).optional(),
  })
  .strict();
export type StripeSourceInput = z.infer<typeof stripeSourceInputSchema>;

/** What an admin saves for the generic source. An empty secret keeps what is stored. */
export const genericSourceInputSchema = z
  .object({
    url: z.string().trim().min(1, "the lookup URL").max(500),
    secret: z.union([z.literal(""), genericSecretSchema]).optional(),
  })
  .strict();
export type GenericSourceInput = z.infer<typeof genericSourceInputSchema>;

/** Stripe's API, where lookups go unless an admin sets another base URL. */
export const STRIPE_API_ORIGIN = "https://api.stripe.com";

/** What the Connectors page shows of the billing sources: fingerprints, never secrets. */
export interface BillingSourcesView {
  /** Which source answers lookups; "builtin" when neither is on. */
  active: EntitlementSource;
  stripe: {
    enabled: boolean;
    apiKey: { fingerprint: string } | null;
    webhookSecret: { fingerprint: string } | null;
    mapping: StripeMapping;
    /** Stripe's API origin: https://api.stripe.com unless an admin points it at a proxy or stripe-mock. */
    apiBaseUrl: string;
    /** Where Stripe sends its events (the page prefixes its own origin). */
    webhookPath: string;
    updatedAt: string | null;
    updatedBy: string | null;
  };
  generic: {
    enabled: boolean;
    url: string | null;
    secret: { fingerprint: string } | null;
    updatedAt: string | null;
    updatedBy: string | null;
  };
}
