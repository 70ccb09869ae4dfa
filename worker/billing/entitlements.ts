// Which plan a requester is on and the first-response target that comes with
// it, from the account's billing source: Stripe or the generic signed lookup
// URL when one is on (worker/billing/billing-sources.ts), else the built-in
// `customers`/`plans` tables. Unknown requesters get the `unknown` tier rather
// than an error: they still deserve an answer. The account agent caches the
// external answers (worker/agent/stores/entitlement-cache.ts); this module
// always asks.
import { and, eq } from "drizzle-orm";
import { getDb, schema } from "../db/client";
import type { EntitlementSource } from "../domain/billing";
import type { Entitlement } from "../domain/types";
import { activeBillingSource } from "./billing-sources";
import { genericEntitlement } from "./generic-source";
import { UNKNOWN_CUSTOMER_SLA_HOURS } from "./source-common";
import { stripeEntitlement } from "./stripe";

export interface ResolvedEntitlement {
  entitlement: Entitlement & { source: EntitlementSource };
  /** Stripe customer ids behind it, so a Stripe event about one of them can drop it from the cache. */
  stripeCustomers: string[];
}

/** Asks the account's billing source. Throws BillingSourceError when an outside source cannot answer. */
export async function resolveEntitlement(env: Env, accountId: string, email: string): Promise<ResolvedEntitlement> {
  const source = await activeBillingSource(env, accountId);
  const fetcher: typeof fetch = (input, init) => fetch(input, init);
  if (source?.kind === "stripe") {
    const { entitlement, customers } = await stripeEntitlement(
      { baseUrl: source.baseUrl, credentials: { apiKey: source.apiKey }, idempotencyKey: "", fetch: fetcher },
      source.mapping,
      email,
    );
    return { entitlement: { ...entitlement, source: "stripe" }, stripeCustomers: customers };
  }
  if (source?.kind === "generic") {
    return { entitlement: { ...(await genericEntitlement({ fetch: fetcher }, source, email)), source: "generic" }, stripeCustomers: [] };
  }
  return { entitlement: await builtinEntitlement(env, accountId, email), stripeCustomers: [] };
}

/** The built-in billing source: the seeded `customers` and `plans` tables. */
async function builtinEntitlement(env: Env, accountId: string, email: string): Promise<Entitlement & { source: "builtin" }> {
  const db = getDb(env);
  const [row] = await db
    .select({ customer: schema.customers, plan: schema.plans })
    .from(schema.customers)
    .leftJoin(schema.plans, eq(schema.plans.id, schema.customers.planId))
    .where(and(eq(schema.customers.accountId, accountId), eq(schema.customers.email, email.toLowerCase())))
    .limit(1);
  if (!row) {
    return { tier: "unknown", plan: "none", slaHours: UNKNOWN_CUSTOMER_SLA_HOURS, customerName: null, company: null, source: "builtin" };
  }
  return {
    tier: row.plan?.tier ?? "unknown",
    plan: row.plan?.name ?? "none",
    slaHours: row.plan?.slaHours ?? UNKNOWN_CUSTOMER_SLA_HOURS,
    customerName: row.customer.name,
    company: row.customer.company,
    source: "builtin",
  };
}
