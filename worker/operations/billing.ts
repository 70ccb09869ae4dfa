// What admins do with the billing sources (the Connectors page's Billing
// section): validated input in, audited changes out (worker/billing/
// billing-sources.ts), and the account's cached entitlements dropped after
// every change, so the next lookup asks the source now in force.
import { accountAgent } from "../agent/stubs";
import { billingSourcesView, saveGenericSource, saveStripeSource, setBillingSourceEnabled } from "../billing/billing-sources";
import { BILLING_SOURCE_KINDS, type BillingSourceKind, type BillingSourcesView, genericSourceInputSchema, stripeSourceInputSchema } from "../domain/billing";
import { fieldErrors, HttpError } from "../domain/errors";
import type { SessionUser } from "../domain/types";
import { actorOf, requireRole } from "../identity/session";

export async function billingOverview(env: Env, user: SessionUser, accountId: string): Promise<BillingSourcesView> {
  requireRole(user, accountId, "admin");
  return billingSourcesView(env, accountId);
}

export async function updateStripeBilling(env: Env, user: SessionUser, accountId: string, raw: unknown) {
  requireRole(user, accountId, "admin");
  const parsed = stripeSourceInputSchema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, "the Stripe settings are not valid", { fields: fieldErrors(parsed.error) });
  const stripe = await saveStripeSource(env, accountId, parsed.data, actorOf(user));
  await forgetCached(env, accountId);
  return stripe;
}

export async function updateGenericBilling(env: Env, user: SessionUser, accountId: string, raw: unknown) {
  requireRole(user, accountId, "admin");
  const parsed = genericSourceInputSchema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, "the billing lookup settings are not valid", { fields: fieldErrors(parsed.error) });
  const generic = await saveGenericSource(env, accountId, parsed.data, actorOf(user));
  await forgetCached(env, accountId);
  return generic;
}

/** Switches a billing source on (the other one goes off) or off (the built-in tables answer again). */
export async function enableBillingSource(env: Env, user: SessionUser, accountId: string, kindParam: string, enabled: boolean) {
  requireRole(user, accountId, "admin");
  if (!(BILLING_SOURCE_KINDS as readonly string[]).includes(kindParam)) throw new HttpError(404, `no billing source "${kindParam}"`);
  await setBillingSourceEnabled(env, accountId, kindParam as BillingSourceKind, enabled, actorOf(user));
  await forgetCached(env, accountId);
  return { enabled };
}

async function forgetCached(env: Env, accountId: string) {
  await (await accountAgent(env, accountId)).forgetEntitlements({ all: true });
}
