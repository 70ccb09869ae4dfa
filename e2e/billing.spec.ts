// Stripe as the entitlement source, in a real browser against a local fake
// Stripe (test/fakes/stripe.ts, Stripe's wire format): an admin connects it on
// the Connectors page (key and webhook secret shown only as fingerprints, a
// price mapped to a tier and SLA), a ticket from a Stripe customer is drafted
// with that tier and SLA, and a signed `customer.subscription.updated` event
// drops the cached lookup so the next ticket sees the new plan at once.
// Stripe is switched off again at the end: the other specs share the demo account.
import { createHmac } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import { type FakeStripe, type FakeStripeAccount, startFakeStripe } from "../test/fakes/stripe";
import { DEMO, hydrated, postTicket, signIn, uniqueTicket } from "./helpers";

const KEY = `rk_test_E2e${Date.now()}`;
const WEBHOOK_SECRET = `whsec_E2eSigning${Date.now()}`;
const EMAIL = `stripe-${Date.now()}@customer.example`;

let stripe: FakeStripe;
test.beforeAll(async () => {
  stripe = await startFakeStripe();
});
test.afterAll(async () => {
  await stripe?.stop();
});

/** The customer's Stripe account: one live subscription on `price`. */
async function stripeHas(price: string) {
  const account: FakeStripeAccount = {
    key: KEY,
    customers: [{ id: "cus_e2e", email: EMAIL, name: "Sam Stripe" }],
    subscriptions: [{ id: "sub_e2e", customer: "cus_e2e", status: "active", items: [{ price: { id: price, product: "prod_e2e" } }] }],
    products: [{ id: "prod_e2e", name: "Support plan" }],
  };
  const res = await fetch(`${stripe.url}/_fake/account`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(account) });
  expect(res.status).toBe(200);
}

async function entitlementOf(page: Page, taskId: string) {
  await page.goto(`/accounts/${DEMO.account}/queue?task=${taskId}`);
  const detail = page.getByTestId("proposal-entitlement");
  await expect(detail).toBeVisible({ timeout: 30_000 });
  return detail;
}

test("an admin connects Stripe; its plans drive the tier and SLA; a signed subscription event takes effect at once", async ({ page, baseURL }) => {
  await stripeHas("price_scale_monthly");
  await signIn(page, "admin@demo.test");
  // A full load, hydrated, before the form is used (a submit before hydration shows no result).
  await page.goto(`/accounts/${DEMO.account}/connectors`, { waitUntil: "networkidle" });
  const card = page.getByTestId("billing-stripe");
  await expect(card).toBeVisible();
  // Off and not ready until a key is saved.
  await expect(page.getByTestId("billing-toggle-stripe")).toHaveAttribute("aria-checked", "false");

  // A key that is not a Stripe key is refused beside its field, and nothing is saved.
  const keyStatus = await page.getByTestId("billing-stripe-key-status").textContent();
  await page.getByTestId("billing-stripe-key").fill("pk_test_publishable");
  await page.getByTestId("billing-stripe-save").click();
  await expect(page.getByTestId("billing-stripe-result")).toContainText("the Stripe settings are not valid");
  await expect(card).toContainText("a Stripe restricted key (rk_live_… or rk_test_…)");
  await expect(page.getByTestId("billing-stripe-key-status")).toHaveText(keyStatus!);

  await page.getByTestId("billing-stripe-key").fill(KEY);
  await page.getByTestId("billing-stripe-webhook-secret").fill(WEBHOOK_SECRET);
  await expect(page.getByTestId("billing-stripe-webhook-url")).toHaveValue(`${baseURL}/webhooks/${DEMO.account}/billing/stripe`);
  await page.getByTestId("billing-rule-add").click();
  await page.getByTestId("billing-rule-match-0").fill("price_scale_monthly");
  await page.getByTestId("billing-rule-tier-0").selectOption("enterprise");
  await page.getByTestId("billing-rule-hours-0").fill("3");
  await page.getByTestId("billing-rule-plan-0").fill("Scale");
  await page.getByTestId("billing-rule-add").click();
  await page.getByTestId("billing-rule-match-1").fill("price_starter_monthly");
  await page.getByTestId("billing-rule-tier-1").selectOption("pro");
  await page.getByTestId("billing-rule-hours-1").fill("12");
  await page.getByTestId("billing-rule-plan-1").fill("Starter");
  // Locally, lookups go to the fake (deployed, only api.stripe.com is accepted).
  await card.getByText("Advanced").click();
  await page.getByTestId("billing-stripe-api-base").fill(stripe.url);

  const posted: string[] = [];
  page.on("response", async (r) => {
    if (r.request().method() === "POST") posted.push(await r.text().catch(() => ""));
  });
  await page.getByTestId("billing-stripe-save").click();
  await expect(page.getByTestId("billing-stripe-result")).toContainText("Stripe settings saved");
  await expect(page.getByTestId("billing-stripe-key-status")).toContainText(/set · fp \S+/);

  try {
    await page.getByTestId("billing-toggle-stripe").click();
    await expect(page.getByTestId("billing-toggle-stripe")).toHaveAttribute("aria-checked", "true");
    await expect(page.getByTestId("billing-active")).toContainText("Stripe");

    // The secrets never come back: not in the page, not in any answer.
    await page.reload();
    await expect(page.getByTestId("billing-rule-match-0")).toHaveValue("price_scale_monthly");
    const html = await page.content();
    expect(html).not.toContain(KEY);
    expect(html).not.toContain(WEBHOOK_SECRET);
    expect(posted.join("\n")).not.toContain(KEY);
    expect(posted.join("\n")).not.toContain(WEBHOOK_SECRET);

    // A ticket from the Stripe customer is drafted on the mapped plan.
    const first = await postTicket(baseURL!, uniqueTicket({ requester: { email: EMAIL, name: "Sam Stripe" } }));
    let detail = await entitlementOf(page, first);
    await expect(detail).toContainText("Scale");
    await expect(detail).toContainText("enterprise");
    await expect(detail).toContainText("3 h first response");
    await expect(detail).toContainText("Stripe");

    // The customer downgrades: Stripe signs the event, the cached lookup is dropped.
    await stripeHas("price_starter_monthly");
    const event = JSON.stringify({
      id: "evt_e2e",
      object: "event",
      type: "customer.subscription.updated",
      data: { object: { id: "sub_e2e", object: "subscription", customer: "cus_e2e", status: "active" } },
    });
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac("sha256", WEBHOOK_SECRET).update(`${t}.${event}`).digest("hex");
    const tampered = await fetch(`${baseURL}/webhooks/${DEMO.account}/billing/stripe`, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": `t=${t},v1=${v1.replace(/.$/, (c) => (c === "0" ? "1" : "0"))}` },
      body: event,
    });
    expect(tampered.status).toBe(400);
    const signed = await fetch(`${baseURL}/webhooks/${DEMO.account}/billing/stripe`, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": `t=${t},v1=${v1}` },
      body: event,
    });
    expect(signed.status).toBe(200);

    const second = await postTicket(baseURL!, uniqueTicket({ requester: { email: EMAIL, name: "Sam Stripe" } }));
    detail = await entitlementOf(page, second);
    await expect(detail).toContainText("Starter");
    await expect(detail).toContainText("pro");
    await expect(detail).toContainText("12 h first response");
  } finally {
    // Back to the built-in tables for the specs that follow.
    await page.goto(`/accounts/${DEMO.account}/connectors`);
    await hydrated(page);
    const toggle = page.getByTestId("billing-toggle-stripe");
    if ((await toggle.getAttribute("aria-checked")) === "true") await toggle.click();
    await expect(toggle).toHaveAttribute("aria-checked", "false");
  }
});
