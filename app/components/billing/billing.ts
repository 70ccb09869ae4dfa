// The Connectors page's Billing section (where entitlements come from): what
// its forms post and what the route's action answers. Browser-safe: types and
// constants only, no secret ever (the page shows fingerprints).
import type { BillingSourceKind, BillingSourcesView, MappedTier } from "../../../worker/domain/billing";
import type { FieldError } from "../../lib/connectors";

export type BillingIntent = "billingStripe" | "billingGeneric" | "billingToggle";

/** The Billing section's part of the connectors route's answer. */
export interface BillingActionResponse {
  ok: boolean;
  intent: BillingIntent | null;
  message?: string;
  error?: string;
  fields?: FieldError[];
  /** Which source the answer is about (stripe, generic). */
  kind?: BillingSourceKind | null;
  enabled?: boolean;
  /** Fingerprints of what is stored after a save: never the secrets. */
  apiKeyFingerprint?: string | null;
  webhookSecretFingerprint?: string | null;
  secretFingerprint?: string | null;
}

export type BillingData = BillingSourcesView;

/** One mapping row as the form edits it (strings, validated by the Worker). */
export interface RuleRow {
  key: number;
  match: string;
  tier: MappedTier;
  slaHours: string;
  plan: string;
}

export const TIER_LABELS: Record<MappedTier, string> = { free: "Free", pro: "Pro", enterprise: "Enterprise" };

/** The SLA a new row starts with, by tier (the demo plans' figures). */
export const DEFAULT_ROW_HOURS: Record<MappedTier, number> = { free: 48, pro: 8, enterprise: 2 };

export const BILLING_SOURCE_NAMES: Record<BillingSourcesView["active"], string> = {
  builtin: "the built-in customer and plan tables",
  stripe: "Stripe",
  generic: "your billing lookup URL",
};

/** Where the answer of this intent shows: only the form that posted it. */
export function answerFor(data: BillingActionResponse | undefined, intent: BillingIntent, kind?: BillingSourceKind): BillingActionResponse | undefined {
  if (data?.intent !== intent) return undefined;
  if (kind && data.kind !== kind) return undefined;
  return data;
}
