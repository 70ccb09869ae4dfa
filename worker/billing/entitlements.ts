// The built-in billing source: which plan a requester is on and the
// first-response target that comes with it. Unknown requesters get the
// `unknown` tier rather than an error: they still deserve an answer.
import { and, eq } from "drizzle-orm";
import { getDb, schema } from "../db/client";
import type { Entitlement } from "../domain/types";

/** First-response target for requesters the billing source does not know. */
const UNKNOWN_CUSTOMER_SLA_HOURS = 48;

export async function lookupEntitlement(env: Env, accountId: string, email: string): Promise<Entitlement> {
  const db = getDb(env);
  const [row] = await db
    .select({ customer: schema.customers, plan: schema.plans })
    .from(schema.customers)
    .leftJoin(schema.plans, eq(schema.plans.id, schema.customers.planId))
    .where(and(eq(schema.customers.accountId, accountId), eq(schema.customers.email, email.toLowerCase())))
    .limit(1);
  if (!row) {
    return { tier: "unknown", plan: "none", slaHours: UNKNOWN_CUSTOMER_SLA_HOURS, customerName: null, company: null };
  }
  return {
    tier: row.plan?.tier ?? "unknown",
    plan: row.plan?.name ?? "none",
    slaHours: row.plan?.slaHours ?? UNKNOWN_CUSTOMER_SLA_HOURS,
    customerName: row.customer.name,
    company: row.customer.company,
  };
}
