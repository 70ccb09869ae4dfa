// Entitlements from billing systems: Stripe against the local fake
// (test/fakes/stripe.ts, Stripe's wire format), the generic signed lookup, the
// five-minute cache in the account agent and its invalidation by Stripe's
// signed webhooks, and who may see or change the settings over REST.
import { env, exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ACCOUNT, api, OTHER_ACCOUNT, signIn, USERS } from "../../test/fixtures";
import { entitlementForTask } from "../agent/entitlements";
import { accountAgent } from "../agent/stubs";
import { hmac, toHex } from "../crypto/hashing";
import { getDb, schema } from "../db/client";
import type { BillingSourcesView, StripeMapping } from "../domain/billing";
import { sign, verify } from "../integrations/generic/standard-webhooks";
import { genericEntitlement } from "./generic-source";
import { BillingSourceError } from "./source-common";
import { stripeEntitlement } from "./stripe";

// The fake's data (test/fakes/stripe.ts is Node code, outside this project's types: the shapes are restated here).
interface FakePrice {
  id: string;
  product: string;
  lookup_key?: string;
  nickname?: string;
  metadata?: Record<string, string>;
}
interface FakeStripeSubscription {
  id: string;
  customer: string;
  status: string;
  metadata?: Record<string, string>;
  items: { price: FakePrice }[];
}
interface FakeStripeAccount {
  customers: { id: string; email: string; name?: string | null; metadata?: Record<string, string> }[];
  subscriptions: FakeStripeSubscription[];
  products?: { id: string; name: string; metadata?: Record<string, string> }[];
}

const STRIPE = env.FAKE_STRIPE_URL!;
const WEBHOOK_SECRET = "whsec_c3RyaXBlLXdlYmhvb2stdGVzdC1zZWNyZXQ";
const PRO = { match: "price_pro_monthly", tier: "pro", slaHours: 8, plan: "Pro" } as const;
const ENT = { match: "prod_enterprise", tier: "enterprise", slaHours: 2 } as const;
const MAPPING: StripeMapping = { rules: [PRO, ENT], metadataKey: "support_tier" };

let keys = 0;
const newKey = () => `rk_test_${crypto.randomUUID().replaceAll("-", "")}${++keys}`;

async function fake(path: string, body: unknown) {
  const res = await fetch(`${STRIPE}${path}`, { method: "POST", body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

/** A fresh Stripe account in the fake (its own key), with the given data. */
async function stripeAccount(data: FakeStripeAccount): Promise<string> {
  const key = newKey();
  await fake("/_fake/account", { key, ...data });
  return key;
}

async function stripeRequests(key: string) {
  const res = await fetch(`${STRIPE}/_fake/requests?key=${key}`);
  return ((await res.json()) as { requests: { path: string; query: Record<string, string | string[]> }[] }).requests;
}

/** Calls Stripe directly (no cache), recording callVendor's waits instead of sleeping. */
function lookup(key: string, email: string, mapping: StripeMapping = MAPPING, sleeps: number[] = []) {
  return stripeEntitlement(
    {
      baseUrl: STRIPE,
      credentials: { apiKey: key },
      idempotencyKey: "",
      fetch: (i, init) => fetch(i, init),
      retry: { sleep: async (ms) => void sleeps.push(ms) },
    },
    mapping,
    email,
  );
}

const sub = (id: string, customer: string, price: string, product: string, extra: Partial<FakeStripeSubscription> = {}): FakeStripeSubscription => ({
  id,
  customer,
  status: "active",
  items: [{ price: { id: price, product } }],
  ...extra,
});

describe("Stripe lookups", () => {
  it("maps one active subscription by price id, and names the customer", async () => {
    const key = await stripeAccount({
      customers: [{ id: "cus_1", email: "pat@shop.test", name: "Pat Doe", metadata: { company: "Initech" } }],
      subscriptions: [sub("sub_1", "cus_1", "price_pro_monthly", "prod_pro")],
    });
    const { entitlement, customers } = await lookup(key, "pat@shop.test");
    expect(entitlement).toEqual({ tier: "pro", plan: "Pro", slaHours: 8, customerName: "Pat Doe", company: "Initech", source: "stripe" });
    expect(customers).toEqual(["cus_1"]);
    const requests = await stripeRequests(key);
    expect(requests.map((r) => r.path)).toEqual(["/v1/customers", "/v1/subscriptions"]);
    expect(requests[0]!.query).toMatchObject({ email: "pat@shop.test", limit: "100" });
    // No status: Stripe lists every subscription but canceled ones; nothing is expanded (five levels would be refused).
    expect(requests[1]!.query).toEqual({ customer: "cus_1", limit: "100" });
  });

  it("takes the best tier over several subscriptions and customers; ignores canceled, unpaid and incomplete ones", async () => {
    const key = await stripeAccount({
      customers: [
        { id: "cus_a", email: "ops@bigco.test", name: null },
        { id: "cus_b", email: "ops@bigco.test", name: "BigCo Ops" },
      ],
      subscriptions: [
        sub("sub_a1", "cus_a", "price_pro_monthly", "prod_pro"),
        sub("sub_a2", "cus_a", "price_ent_old", "prod_enterprise", { status: "canceled" }),
        sub("sub_b1", "cus_b", "price_ent_2025", "prod_enterprise", { status: "unpaid" }),
        sub("sub_b2", "cus_b", "price_ent_2026", "prod_enterprise", { status: "incomplete" }),
        sub("sub_b3", "cus_b", "price_ent_trial", "prod_enterprise", { status: "trialing" }),
      ],
      products: [{ id: "prod_enterprise", name: "Enterprise (annual)" }],
    });
    const { entitlement, customers } = await lookup(key, "ops@bigco.test");
    // The product rule has no plan name: the product's (fetched by id, once) is the plan.
    expect(entitlement).toMatchObject({ tier: "enterprise", slaHours: 2, plan: "Enterprise (annual)", customerName: "BigCo Ops" });
    expect(customers).toEqual(["cus_a", "cus_b"]);
    const products = (await stripeRequests(key)).filter((r) => r.path === "/v1/products");
    expect(products).toEqual([expect.objectContaining({ query: { limit: "100", "ids[]": "prod_enterprise" } })]);

    // Past due still counts (Stripe is retrying the payment); a lower tier never beats a higher one.
    const pastDue = await stripeAccount({
      customers: [{ id: "cus_p", email: "late@payer.test" }],
      subscriptions: [
        sub("sub_p1", "cus_p", "price_basic", "prod_basic", { status: "past_due", metadata: { support_tier: "Pro" } }),
        sub("sub_p2", "cus_p", "price_free", "prod_free", { metadata: { support_tier: "free" } }),
      ],
    });
    expect((await lookup(pastDue, "late@payer.test")).entitlement).toMatchObject({ tier: "pro", slaHours: 8 });
  });

  it("gives `unknown` for no customer, a customer without live subscriptions, or items no rule maps", async () => {
    const key = await stripeAccount({
      customers: [
        { id: "cus_x", email: "lapsed@shop.test", name: "Lapsed" },
        { id: "cus_y", email: "odd@shop.test" },
      ],
      subscriptions: [sub("sub_x", "cus_x", "price_pro_monthly", "prod_pro", { status: "canceled" }), sub("sub_y", "cus_y", "price_other", "prod_other")],
    });
    const unknown = { tier: "unknown", plan: "none", slaHours: 48, source: "stripe" };
    expect((await lookup(key, "nobody@shop.test")).entitlement).toMatchObject({ ...unknown, customerName: null });
    expect((await lookup(key, "lapsed@shop.test")).entitlement).toMatchObject({ ...unknown, customerName: "Lapsed" });
    expect((await lookup(key, "odd@shop.test")).entitlement).toMatchObject(unknown);
  });

  it("maps by product id, lookup key, and the metadata key on the subscription, price or product", async () => {
    const key = await stripeAccount({
      customers: [
        { id: "cus_prod", email: "prod@m.test" },
        { id: "cus_lk", email: "lk@m.test" },
        { id: "cus_sm", email: "sm@m.test" },
        { id: "cus_pm", email: "pm@m.test" },
        { id: "cus_prm", email: "prm@m.test" },
      ],
      subscriptions: [
        sub("sub_prod", "cus_prod", "price_x1", "prod_enterprise"),
        { id: "sub_lk", customer: "cus_lk", status: "active", items: [{ price: { id: "price_x2", product: "prod_x", lookup_key: "team_monthly" } }] },
        sub("sub_sm", "cus_sm", "price_x3", "prod_x", { metadata: { support_tier: "enterprise" } }),
        {
          id: "sub_pm",
          customer: "cus_pm",
          status: "active",
          items: [{ price: { id: "price_x4", product: "prod_x", nickname: "Legacy", metadata: { support_tier: "pro" } } }],
        },
        sub("sub_prm", "cus_prm", "price_x5", "prod_tiered"),
      ],
      products: [
        { id: "prod_enterprise", name: "Enterprise" },
        { id: "prod_tiered", name: "Team Plus", metadata: { support_tier: "free" } },
      ],
    });
    const mapping: StripeMapping = { rules: [ENT, { match: "team_monthly", tier: "pro", slaHours: 6, plan: "Team" }], metadataKey: "support_tier" };
    expect((await lookup(key, "prod@m.test", mapping)).entitlement).toMatchObject({ tier: "enterprise", slaHours: 2, plan: "Enterprise" });
    expect((await lookup(key, "lk@m.test", mapping)).entitlement).toMatchObject({ tier: "pro", slaHours: 6, plan: "Team" });
    // A metadata tier takes the SLA of that tier's rule, else the tier's default.
    expect((await lookup(key, "sm@m.test", mapping)).entitlement).toMatchObject({ tier: "enterprise", slaHours: 2 });
    expect((await lookup(key, "pm@m.test", mapping)).entitlement).toMatchObject({ tier: "pro", slaHours: 6, plan: "Legacy" });
    expect((await lookup(key, "prm@m.test", mapping)).entitlement).toMatchObject({ tier: "free", slaHours: 48, plan: "Team Plus" });
    // Without the metadata key, metadata names nothing.
    expect((await lookup(key, "sm@m.test", { rules: mapping.rules })).entitlement.tier).toBe("unknown");
  });

  it("reads every page (has_more + starting_after) and finds the email written in another case", async () => {
    const subscriptions = Array.from({ length: 150 }, (_, i) => sub(`sub_${String(i).padStart(3, "0")}`, "cus_many", "price_free", "prod_free"));
    subscriptions.push(sub("sub_last", "cus_many", "price_ent", "prod_enterprise"));
    const key = await stripeAccount({ customers: [{ id: "cus_many", email: "many@subs.test" }], subscriptions });
    const { entitlement } = await lookup(key, "Many@Subs.test", { rules: [ENT, { match: "price_free", tier: "free", slaHours: 48 }] });
    expect(entitlement).toMatchObject({ tier: "enterprise", slaHours: 2 });
    const requests = await stripeRequests(key);
    // Stripe's email filter is exact: as written (no one), then lower-cased.
    expect(requests.filter((r) => r.path === "/v1/customers").map((r) => r.query.email)).toEqual(["Many@Subs.test", "many@subs.test"]);
    expect(requests.filter((r) => r.path === "/v1/subscriptions").map((r) => r.query.starting_after ?? null)).toEqual([null, "sub_099"]);
  });

  it("retries 429 and 5xx honoring Retry-After, then answers", async () => {
    const key = await stripeAccount({
      customers: [{ id: "cus_r", email: "r@retry.test" }],
      subscriptions: [sub("sub_r", "cus_r", "price_pro_monthly", "prod_pro")],
    });
    await fake("/_fake/script", { key, status: 429, times: 1, retryAfter: 2 });
    const sleeps: number[] = [];
    expect((await lookup(key, "r@retry.test", MAPPING, sleeps)).entitlement.tier).toBe("pro");
    expect(sleeps).toEqual([2000]);

    await fake("/_fake/script", { key, status: 503, times: 2 });
    const backoff: number[] = [];
    expect((await lookup(key, "r@retry.test", MAPPING, backoff)).entitlement.tier).toBe("pro");
    expect(backoff).toHaveLength(2);

    // Still failing after three attempts: retryable, for the Workflow step's own backoff.
    await fake("/_fake/script", { key, status: 500, times: 3 });
    const err = await lookup(key, "r@retry.test").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BillingSourceError);
    expect(err).toMatchObject({ retryable: true, message: expect.stringContaining("Stripe API GET /v1/customers failed: 500") });
  });

  it("fails a revoked key at once, not retryable, with a message saying what to do and no key in it", async () => {
    const key = await stripeAccount({ customers: [], subscriptions: [] });
    await fake("/_fake/revoke", { key });
    const err = (await lookup(key, "a@b.test").catch((e: unknown) => e)) as BillingSourceError;
    expect(err).toBeInstanceOf(BillingSourceError);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("Stripe refused the API key (401)");
    expect(err.message).toContain("api_key_expired");
    expect(err.message).not.toContain(key);
    expect(await stripeRequests(key)).toHaveLength(1);
  });
});

// ── the generic signed lookup ────────────────────────────────────────────────

const GENERIC_SECRET = "whsec_Z2VuZXJpYy1iaWxsaW5nLWxvb2t1cC1zZWNyZXQ=";

/** A billing system as documented: checks our signature, answers signed (or as `tweak` says). */
function billingSystem(answer: Record<string, unknown>, tweak: { unsigned?: boolean; ageSeconds?: number; tamper?: boolean; otherId?: boolean } = {}) {
  const seen: { url: string; verdict: string | null }[] = [];
  const fetcher: typeof fetch = async (input, init) => {
    const req = new Request(input, init);
    const verdict = await verify(
      GENERIC_SECRET,
      { id: req.headers.get("webhook-id"), timestamp: req.headers.get("webhook-timestamp"), signature: req.headers.get("webhook-signature") },
      new TextEncoder().encode(req.url),
    );
    seen.push({ url: req.url, verdict });
    const body = JSON.stringify(answer);
    const id = tweak.otherId ? "msg_other" : req.headers.get("webhook-id")!;
    const timestamp = String(Math.floor(Date.now() / 1000) - (tweak.ageSeconds ?? 0));
    const headers = new Headers({ "content-type": "application/json" });
    if (!tweak.unsigned) {
      headers.set("webhook-id", id);
      headers.set("webhook-timestamp", timestamp);
      headers.set("webhook-signature", await sign(GENERIC_SECRET, id, timestamp, body));
    }
    return new Response(tweak.tamper ? body.replace('"free"', '"enterprise"') : body, { headers });
  };
  return { seen, fetcher };
}

const askGeneric = (fetcher: typeof fetch, email = "sam@shop.test") =>
  genericEntitlement(
    { fetch: fetcher, retry: { sleep: async () => {} } },
    { url: "https://billing.example.com/entitlements?team=7", secret: GENERIC_SECRET },
    email,
  );

describe("the generic billing lookup", () => {
  it("signs its request over the URL and accepts a signed answer about the email asked", async () => {
    const { seen, fetcher } = billingSystem({ email: "sam@shop.test", tier: "pro", plan: "Team", sla_hours: 6, customer_name: "Sam", company: "Shop" });
    expect(await askGeneric(fetcher)).toEqual({ tier: "pro", plan: "Team", slaHours: 6, customerName: "Sam", company: "Shop", source: "generic" });
    expect(seen).toEqual([{ url: "https://billing.example.com/entitlements?team=7&email=sam%40shop.test", verdict: null }]);
    // Tier only: the plan and SLA come from the tier.
    expect(await askGeneric(billingSystem({ email: "sam@shop.test", tier: "enterprise" }).fetcher)).toMatchObject({
      tier: "enterprise",
      plan: "Enterprise",
      slaHours: 2,
    });
  });

  it.each([
    ["unsigned", { unsigned: true }, "missing signature"],
    ["stale", { ageSeconds: 600 }, "stale timestamp"],
    ["tampered", { tamper: true }, "bad signature"],
    ["replayed (another id)", { otherId: true }, "webhook-id is not the request's"],
  ])("refuses an answer that is %s, not retryable", async (_what, tweak, reason) => {
    const err = (await askGeneric(billingSystem({ email: "sam@shop.test", tier: "free" }, tweak).fetcher).catch((e: unknown) => e)) as BillingSourceError;
    expect(err).toBeInstanceOf(BillingSourceError);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(reason);
  });

  it("refuses an answer about another email, or not in the documented shape", async () => {
    await expect(askGeneric(billingSystem({ email: "eve@shop.test", tier: "enterprise" }).fetcher)).rejects.toThrow("not for the email asked about");
    await expect(askGeneric(billingSystem({ email: "sam@shop.test", tier: "gold" }).fetcher)).rejects.toThrow("tier:");
  });
});

// ── the cache, the webhook, and the settings over REST ───────────────────────

const settingsPath = `/api/accounts/${ACCOUNT}/billing`;

async function adminToken() {
  return signIn(USERS.admin.email);
}

/** Connects the account to a fresh fake Stripe account through the REST API (as the Connectors page does). */
async function connectStripe(data: FakeStripeAccount, account = ACCOUNT) {
  const key = await stripeAccount(data);
  const token = await adminToken();
  const put = await api(`/api/accounts/${account}/billing/stripe`, {
    method: "PUT",
    token,
    body: JSON.stringify({ apiKey: key, webhookSecret: WEBHOOK_SECRET, mapping: MAPPING, apiBaseUrl: STRIPE }),
  });
  expect(put.status, await put.clone().text()).toBe(200);
  const on = await api(`/api/accounts/${account}/billing/stripe/enabled`, { method: "POST", token, body: JSON.stringify({ enabled: true }) });
  expect(on.status, await on.clone().text()).toBe(200);
  return key;
}

async function stripeSigned(body: string, secret = WEBHOOK_SECRET, t = Math.floor(Date.now() / 1000)) {
  return `t=${t},v1=${toHex(await hmac("SHA-256", secret, new TextEncoder().encode(`${t}.${body}`)))}`;
}

function postStripeEvent(body: string, signature: string | null, account = ACCOUNT) {
  const headers = new Headers({ "content-type": "application/json" });
  if (signature !== null) headers.set("stripe-signature", signature);
  return exports.default.fetch(`https://triage.test/webhooks/${account}/billing/stripe`, { method: "POST", headers, body });
}

const subscriptionEvent = (customer: string, type = "customer.subscription.updated") =>
  JSON.stringify({ id: `evt_${crypto.randomUUID()}`, object: "event", type, data: { object: { id: "sub_c", object: "subscription", customer } } });

describe("cache, webhook and settings", () => {
  it("caches five minutes in the account agent; the tool log shows the miss and the hit; a signed webhook drops the entry", async () => {
    const key = await connectStripe({
      customers: [{ id: "cus_c", email: "cached@shop.test", name: "Cass" }],
      subscriptions: [sub("sub_c", "cus_c", "price_pro_monthly", "prod_pro")],
    });
    const agent = await accountAgent(env, ACCOUNT);
    const customerCalls = async () => (await stripeRequests(key)).filter((r) => r.path === "/v1/customers").length;

    // Through the Workflow's lookup: one tool-log row per call, with the cache's part.
    await entitlementForTask(env, ACCOUNT, "t_cache", "cached@shop.test");
    await entitlementForTask(env, ACCOUNT, "t_cache", "Cached@Shop.test");
    const rows = await getDb(env)
      .select()
      .from(schema.toolInvocations)
      .where(and(eq(schema.toolInvocations.taskId, "t_cache"), eq(schema.toolInvocations.tool, "lookup_entitlement")));
    expect(rows.map((r) => [r.actor, r.outcome, (r.output as { cache: string; source: string; tier: string }).cache])).toEqual([
      ["workflow", "ok", "miss"],
      ["workflow", "ok", "hit"],
    ]);
    expect(rows[0]!.output).toMatchObject({ tier: "pro", source: "stripe" });
    expect(await customerCalls()).toBe(1);

    // Just under five minutes: still a hit; past them: a miss, and Stripe is asked again.
    const now = Date.now();
    expect(await agent.entitlementFor("cached@shop.test", now + 4 * 60_000)).toMatchObject({ ok: true, cache: "hit" });
    expect(await agent.entitlementFor("cached@shop.test", now + 5 * 60_000 + 1000)).toMatchObject({ ok: true, cache: "miss", entitlement: { tier: "pro" } });
    expect(await customerCalls()).toBe(2);
    expect(await agent.entitlementFor("cached@shop.test")).toMatchObject({ cache: "hit" });

    // Stripe says the subscription changed: the entry goes at once, the next lookup asks Stripe.
    await fake("/_fake/account", {
      key,
      customers: [{ id: "cus_c", email: "cached@shop.test" }],
      subscriptions: [sub("sub_c", "cus_c", "price_ent", "prod_enterprise")],
    });
    const body = subscriptionEvent("cus_c");
    const res = await postStripeEvent(body, await stripeSigned(body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, dropped: 1 });
    expect(await agent.entitlementFor("cached@shop.test")).toMatchObject({ ok: true, cache: "miss", entitlement: { tier: "enterprise", slaHours: 2 } });

    // An event about a customer we never saw drops the emails cached as having no Stripe customer (it may be theirs now).
    expect(await agent.entitlementFor("new@shop.test")).toMatchObject({ cache: "miss", entitlement: { tier: "unknown" } });
    const created = subscriptionEvent("cus_new", "customer.subscription.created");
    expect(await (await postStripeEvent(created, await stripeSigned(created))).json()).toEqual({ received: true, dropped: 1 });
    expect(await agent.entitlementFor("cached@shop.test")).toMatchObject({ cache: "hit" });
    expect(await agent.entitlementFor("new@shop.test")).toMatchObject({ cache: "miss" });
  });

  it("refuses stale, tampered, unsigned, oversized and misdirected Stripe events; acknowledges other types", async () => {
    await connectStripe({ customers: [], subscriptions: [] });
    const body = subscriptionEvent("cus_z");
    const stale = await postStripeEvent(body, await stripeSigned(body, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 600));
    expect([stale.status, await stale.json()]).toEqual([400, { error: "Stripe-Signature refused: stale timestamp" }]);
    const tampered = await postStripeEvent(body.replace("cus_z", "cus_y"), await stripeSigned(body));
    expect([tampered.status, await tampered.json()]).toEqual([400, { error: "Stripe-Signature refused: bad signature" }]);
    const wrongSecret = await postStripeEvent(body, await stripeSigned(body, "whsec_someoneElsesSecret1234"));
    expect(wrongSecret.status).toBe(400);
    const unsigned = await postStripeEvent(body, null);
    expect([unsigned.status, await unsigned.json()]).toEqual([400, { error: "Stripe-Signature refused: missing signature" }]);
    const big = JSON.stringify({ type: "customer.subscription.updated", pad: "x".repeat(300 * 1024) });
    expect((await postStripeEvent(big, await stripeSigned(big))).status).toBe(413);

    const other = JSON.stringify({ id: "evt_1", type: "invoice.paid", data: { object: { customer: "cus_z" } } });
    const ignored = await postStripeEvent(other, await stripeSigned(other));
    expect([ignored.status, await ignored.json()]).toEqual([200, { received: true, ignored: true }]);

    // Globex has not connected Stripe; nobody has an account "nope".
    const notConnected = await postStripeEvent(body, await stripeSigned(body), OTHER_ACCOUNT);
    expect(notConnected.status).toBe(404);
    expect(((await notConnected.json()) as { error: string }).error).toContain("Stripe is not connected");
    expect((await postStripeEvent(body, await stripeSigned(body), "nope")).status).toBe(404);
    expect((await exports.default.fetch(`https://triage.test/webhooks/${ACCOUNT}/billing/stripe`)).status).toBe(405);
  });

  it("fails a lookup with a revoked key as data from the agent (not retryable), and caches nothing", async () => {
    const key = await connectStripe({ customers: [], subscriptions: [] });
    await fake("/_fake/revoke", { key });
    const answer = await (await accountAgent(env, ACCOUNT)).entitlementFor("who@ever.test");
    expect(answer).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining("Stripe refused the API key (401)") });
  });

  it("lets only admins read or change billing settings; secrets never come back; bad input names its fields", async () => {
    const key = await connectStripe({ customers: [], subscriptions: [] });
    const admin = await adminToken();
    const read = await api(settingsPath, { token: admin });
    expect(read.status).toBe(200);
    const text = await read.text();
    expect(text).not.toContain(key);
    expect(text).not.toContain(WEBHOOK_SECRET);
    const view = JSON.parse(text) as BillingSourcesView;
    expect(view).toMatchObject({
      active: "stripe",
      stripe: {
        enabled: true,
        apiKey: { fingerprint: expect.any(String) },
        webhookSecret: { fingerprint: expect.any(String) },
        mapping: MAPPING,
        webhookPath: `/webhooks/${ACCOUNT}/billing/stripe`,
      },
      generic: { enabled: false, url: null, secret: null },
    });
    // Saving the mapping again without a key keeps the stored key (the same fingerprint); the answer has no secret either.
    const again = await api(`${settingsPath}/stripe`, { method: "PUT", token: admin, body: JSON.stringify({ mapping: { rules: [PRO] }, apiBaseUrl: STRIPE }) });
    const againText = await again.text();
    expect(again.status).toBe(200);
    expect(againText).not.toContain(key);
    expect(JSON.parse(againText)).toMatchObject({ apiKey: view.stripe.apiKey, mapping: { rules: [PRO] } });

    const bad = await api(`${settingsPath}/stripe`, {
      method: "PUT",
      token: admin,
      body: JSON.stringify({ apiKey: "pk_live_publishable", mapping: { rules: [{ match: "", tier: "gold", slaHours: 0 }] } }),
    });
    expect(bad.status).toBe(400);
    const fields = ((await bad.json()) as { fields: { path: string }[] }).fields.map((f) => f.path);
    expect(fields).toEqual(expect.arrayContaining(["apiKey", "mapping.rules.0.match", "mapping.rules.0.tier", "mapping.rules.0.slaHours"]));
    // Stripe only at api.stripe.com (loopback only where tests allow it).
    const elsewhere = await api(`${settingsPath}/stripe`, {
      method: "PUT",
      token: admin,
      body: JSON.stringify({ mapping: { rules: [] }, apiBaseUrl: "https://evil.example.com" }),
    });
    expect(elsewhere.status).toBe(400);
    // The client adds /v1 itself: Stripe's own host with a path is refused too, saying why.
    const withPath = await api(`${settingsPath}/stripe`, {
      method: "PUT",
      token: admin,
      body: JSON.stringify({ mapping: { rules: [] }, apiBaseUrl: "https://api.stripe.com/v1" }),
    });
    expect(withPath.status).toBe(400);
    expect(await withPath.text()).toContain("without a path");

    // The generic source needs its secret before it can go on; switching it on switches Stripe off.
    const generic = await api(`${settingsPath}/generic`, {
      method: "PUT",
      token: admin,
      body: JSON.stringify({ url: "https://billing.example.com/lookup", secret: GENERIC_SECRET }),
    });
    expect(generic.status).toBe(200);
    expect(await generic.text()).not.toContain(GENERIC_SECRET);
    expect((await api(`${settingsPath}/generic/enabled`, { method: "POST", token: admin, body: JSON.stringify({ enabled: true }) })).status).toBe(200);
    expect(((await (await api(settingsPath, { token: admin })).json()) as BillingSourcesView).active).toBe("generic");
    expect((await api(`${settingsPath}/generic/enabled`, { method: "POST", token: admin, body: JSON.stringify({ enabled: false }) })).status).toBe(200);
    expect(((await (await api(settingsPath, { token: admin })).json()) as BillingSourcesView).active).toBe("builtin");
    expect((await api(`${settingsPath}/paypal/enabled`, { method: "POST", token: admin, body: JSON.stringify({ enabled: true }) })).status).toBe(404);

    for (const who of [USERS.agent, USERS.lead]) {
      const token = await signIn(who.email);
      expect((await api(settingsPath, { token })).status, who.role).toBe(403);
      expect((await api(`${settingsPath}/stripe`, { method: "PUT", token, body: JSON.stringify({ mapping: { rules: [] } }) })).status, who.role).toBe(403);
      expect((await api(`${settingsPath}/generic`, { method: "PUT", token, body: JSON.stringify({ url: "https://x.example.com" }) })).status, who.role).toBe(
        403,
      );
      expect((await api(`${settingsPath}/stripe/enabled`, { method: "POST", token, body: JSON.stringify({ enabled: true }) })).status, who.role).toBe(403);
    }
    expect((await api(settingsPath)).status).toBe(401);
    expect((await api(`/api/accounts/${OTHER_ACCOUNT}/billing`, { token: admin })).status).toBe(404);

    // Every change is audited with fingerprints, never the secrets.
    const audit = await getDb(env).select().from(schema.auditEvents).where(eq(schema.auditEvents.accountId, ACCOUNT));
    const billing = JSON.stringify(audit.filter((a) => a.action.startsWith("billing.")));
    expect(billing).toContain("billing.stripe_updated");
    expect(billing).not.toContain(key);
    expect(billing).not.toContain(GENERIC_SECRET);
  });
});
