// Billing sources per account (D1 `billing_sources`; this module is its one
// writer): Stripe (a restricted API key, the tier mapping, the webhook
// endpoint's signing secret) or a generic signed lookup URL. Secrets are sealed
// like the connectors' (worker/crypto/secret-box.ts, CONNECTOR_SECRETS_KEY) and
// leave this module in clear only to call out or to verify; admins see
// fingerprints. At most one source is on per account; every change is audited
// (`billing.*`, fingerprints only).
import { and, eq } from "drizzle-orm";
import { auditInsert } from "../audit/audit-trail";
import { openSecret, sealSecret, secretFingerprint } from "../crypto/secret-box";
import { getDb, schema } from "../db/client";
import {
  type BillingSourceKind,
  type BillingSourcesView,
  type GenericSourceInput,
  STRIPE_API_ORIGIN,
  type StripeMapping,
  type StripeSourceInput,
  stripeMappingSchema,
} from "../domain/billing";
import { HttpError } from "../domain/errors";
import { checkOutboundUrl, OutboundUrlError } from "../integrations/common/outbound-url";
import { secretsKeyOf } from "../integrations/connector-settings";

const secretPurpose = (accountId: string, kind: BillingSourceKind) => `${accountId}/billing-${kind}/secret`;
const webhookPurpose = (accountId: string) => `${accountId}/billing-stripe/webhook`;

type BillingRow = typeof schema.billingSources.$inferSelect;

const EMPTY_MAPPING: StripeMapping = { rules: [] };

async function rows(env: Env, accountId: string): Promise<Map<BillingSourceKind, BillingRow>> {
  const found = await getDb(env).select().from(schema.billingSources).where(eq(schema.billingSources.accountId, accountId));
  return new Map(found.map((r) => [r.kind, r]));
}

/** The stored mapping, or none when it no longer reads (it is validated on the way in). */
function mappingOf(r: BillingRow | undefined): StripeMapping {
  const parsed = stripeMappingSchema.safeParse(r?.mapping);
  return parsed.success ? parsed.data : EMPTY_MAPPING;
}

/** The billing source that answers lookups, opened for the call; null when the built-in tables do. */
export type ActiveBillingSource =
  | { kind: "stripe"; apiKey: string; baseUrl: string; mapping: StripeMapping }
  | { kind: "generic"; url: string; secret: string };

export async function activeBillingSource(env: Env, accountId: string): Promise<ActiveBillingSource | null> {
  const [r] = await getDb(env)
    .select()
    .from(schema.billingSources)
    .where(and(eq(schema.billingSources.accountId, accountId), eq(schema.billingSources.enabled, true)))
    .limit(1);
  if (!r?.secret || !r.url) return null;
  const secret = await openSecret(secretsKeyOf(env), r.secret, secretPurpose(accountId, r.kind));
  if (r.kind === "stripe")
    return { kind: "stripe", apiKey: secret, baseUrl: checkedUrl(env, "stripe", r.url).toString().replace(/\/$/, ""), mapping: mappingOf(r) };
  return { kind: "generic", url: checkedUrl(env, "generic", r.url).toString(), secret };
}

/**
 * Stripe's webhook signing secret for an account (to verify its events), or
 * why there is none: the account does not exist, or Stripe is not connected.
 */
export async function stripeWebhookSecret(env: Env, accountId: string): Promise<{ status: "ok"; secret: string } | { status: "no_account" | "not_connected" }> {
  const db = getDb(env);
  const [account, source] = await db.batch([
    db.select({ id: schema.accounts.id }).from(schema.accounts).where(eq(schema.accounts.id, accountId)).limit(1),
    db
      .select({ enabled: schema.billingSources.enabled, webhookSecret: schema.billingSources.webhookSecret })
      .from(schema.billingSources)
      .where(and(eq(schema.billingSources.accountId, accountId), eq(schema.billingSources.kind, "stripe")))
      .limit(1),
  ]);
  if (!account.length) return { status: "no_account" };
  const r = source[0];
  if (!r?.enabled || !r.webhookSecret) return { status: "not_connected" };
  return { status: "ok", secret: await openSecret(secretsKeyOf(env), r.webhookSecret, webhookPurpose(accountId)) };
}

export async function billingSourcesView(env: Env, accountId: string): Promise<BillingSourcesView> {
  const byKind = await rows(env, accountId);
  const stripe = byKind.get("stripe");
  const generic = byKind.get("generic");
  const fp = (value: string | null | undefined) => (value ? { fingerprint: value } : null);
  return {
    active: stripe?.enabled ? "stripe" : generic?.enabled ? "generic" : "builtin",
    stripe: {
      enabled: stripe?.enabled ?? false,
      apiKey: fp(stripe?.secretFingerprint),
      webhookSecret: fp(stripe?.webhookSecretFingerprint),
      mapping: mappingOf(stripe),
      apiBaseUrl: stripe?.url ?? STRIPE_API_ORIGIN,
      webhookPath: `/webhooks/${encodeURIComponent(accountId)}/billing/stripe`,
      updatedAt: stripe?.updatedAt ?? null,
      updatedBy: stripe?.updatedBy ?? null,
    },
    generic: {
      enabled: generic?.enabled ?? false,
      url: generic?.url ?? null,
      secret: fp(generic?.secretFingerprint),
      updatedAt: generic?.updatedAt ?? null,
      updatedBy: generic?.updatedBy ?? null,
    },
  };
}

/**
 * Saves Stripe's settings (input validated by the caller with
 * `stripeSourceInputSchema`): a new key or webhook secret replaces the stored
 * one, an empty one keeps it; the mapping is replaced whole.
 */
export async function saveStripeSource(env: Env, accountId: string, input: StripeSourceInput, actor: string): Promise<BillingSourcesView["stripe"]> {
  const url = checkedUrl(env, "stripe", input.apiBaseUrl || STRIPE_API_ORIGIN, "apiBaseUrl");
  const before = (await rows(env, accountId)).get("stripe");
  const key = secretsKeyOf(env);
  const set: Partial<BillingRow> = {
    url: url.toString().replace(/\/$/, ""),
    mapping: input.mapping,
    updatedAt: new Date().toISOString(),
    updatedBy: actor,
  };
  if (input.apiKey) {
    set.secret = await sealSecret(key, input.apiKey, secretPurpose(accountId, "stripe"));
    set.secretFingerprint = await secretFingerprint(input.apiKey);
  }
  if (input.webhookSecret) {
    set.webhookSecret = await sealSecret(key, input.webhookSecret, webhookPurpose(accountId));
    set.webhookSecretFingerprint = await secretFingerprint(input.webhookSecret);
  }
  if (!before?.secret && !set.secret)
    throw new HttpError(400, "enter the Stripe API key (a restricted key, rk_…)", { fields: [{ path: "apiKey", message: "required the first time" }] });
  await upsert(env, accountId, "stripe", set);
  await audit(
    env,
    accountId,
    actor,
    "billing.stripe_updated",
    { keyFingerprint: before?.secretFingerprint ?? null, webhookFingerprint: before?.webhookSecretFingerprint ?? null, rules: mappingOf(before).rules.length },
    {
      keyFingerprint: set.secretFingerprint ?? before?.secretFingerprint ?? null,
      webhookFingerprint: set.webhookSecretFingerprint ?? before?.webhookSecretFingerprint ?? null,
      rules: input.mapping.rules.length,
      metadataKey: input.mapping.metadataKey ?? null,
    },
  );
  return (await billingSourcesView(env, accountId)).stripe;
}

/** Saves the generic source's lookup URL and (when given) its signing secret. */
export async function saveGenericSource(env: Env, accountId: string, input: GenericSourceInput, actor: string): Promise<BillingSourcesView["generic"]> {
  const url = checkedUrl(env, "generic", input.url, "url");
  const before = (await rows(env, accountId)).get("generic");
  const set: Partial<BillingRow> = { url: url.toString(), updatedAt: new Date().toISOString(), updatedBy: actor };
  if (input.secret) {
    set.secret = await sealSecret(secretsKeyOf(env), input.secret, secretPurpose(accountId, "generic"));
    set.secretFingerprint = await secretFingerprint(input.secret);
  }
  if (!before?.secret && !set.secret)
    throw new HttpError(400, "enter or generate the signing secret", { fields: [{ path: "secret", message: "required the first time" }] });
  await upsert(env, accountId, "generic", set);
  await audit(
    env,
    accountId,
    actor,
    "billing.generic_updated",
    { url: before?.url ?? null, fingerprint: before?.secretFingerprint ?? null },
    { url: set.url, fingerprint: set.secretFingerprint ?? before?.secretFingerprint ?? null },
  );
  return (await billingSourcesView(env, accountId)).generic;
}

/** Turns a source on (switching the other one off: one answers lookups) or off. */
export async function setBillingSourceEnabled(env: Env, accountId: string, kind: BillingSourceKind, enabled: boolean, actor: string) {
  const byKind = await rows(env, accountId);
  const r = byKind.get(kind);
  if (enabled && (!r?.secret || !r.url)) {
    const missing = kind === "stripe" ? "save the Stripe API key" : "save the lookup URL and its signing secret";
    throw new HttpError(409, `${missing} before switching it on`);
  }
  const now = new Date().toISOString();
  const db = getDb(env);
  const other: BillingSourceKind = kind === "stripe" ? "generic" : "stripe";
  const switchedOff = enabled && byKind.get(other)?.enabled;
  const update = db
    .update(schema.billingSources)
    .set({ enabled, updatedAt: now, updatedBy: actor })
    .where(and(eq(schema.billingSources.accountId, accountId), eq(schema.billingSources.kind, kind)));
  if (switchedOff) {
    // At most one source answers: switching one on switches the other off, in the same batch.
    await db.batch([
      update,
      db
        .update(schema.billingSources)
        .set({ enabled: false, updatedAt: now, updatedBy: actor })
        .where(and(eq(schema.billingSources.accountId, accountId), eq(schema.billingSources.kind, other))),
    ]);
  } else {
    await update;
  }
  await audit(
    env,
    accountId,
    actor,
    enabled ? "billing.enabled" : "billing.disabled",
    { enabled: r?.enabled ?? false },
    { kind, enabled, switchedOff: switchedOff ? other : null },
  );
}

async function upsert(env: Env, accountId: string, kind: BillingSourceKind, set: Partial<BillingRow>) {
  await getDb(env)
    .insert(schema.billingSources)
    .values({ accountId, kind, ...set })
    .onConflictDoUpdate({ target: [schema.billingSources.accountId, schema.billingSources.kind], set });
}

async function audit(env: Env, accountId: string, actor: string, action: string, before: unknown, after: unknown) {
  await auditInsert(getDb(env), { accountId, actor, action, before, after, artifact: "billing" });
}

/**
 * Where a billing source may be called: Stripe only at api.stripe.com, the
 * generic source at any public https host (the connectors' rule,
 * worker/integrations/common/outbound-url.ts; loopback only where tests allow it).
 */
function checkedUrl(env: Env, kind: BillingSourceKind, raw: string, field?: string): URL {
  try {
    const url = checkOutboundUrl(raw, "generic", env);
    const loopback = url.protocol === "http:";
    if (kind === "stripe" && !loopback && url.host !== "api.stripe.com")
      throw new OutboundUrlError(`Stripe is reached at ${STRIPE_API_ORIGIN}, not ${url.host}`);
    // The client adds /v1/… itself: a base with a path would call /v1/v1/….
    if (kind === "stripe" && !loopback && url.pathname !== "/")
      throw new OutboundUrlError(`Stripe's API base is ${STRIPE_API_ORIGIN}, without a path (not ${url.pathname})`);
    return url;
  } catch (err) {
    if (!(err instanceof OutboundUrlError) || !field) throw err;
    throw new HttpError(400, `the URL is refused: ${err.message}`, { fields: [{ path: field, message: err.message }] });
  }
}
