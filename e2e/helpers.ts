// Helpers for the browser tests: demo credentials from .dev.vars and signed
// webhook deliveries, exactly as a help desk would send them.
import { expect, type Page } from "@playwright/test";
import { readDevVars } from "../scripts/lib/dev-vars.ts";
import { signHeaders } from "../scripts/lib/standard-webhooks.ts";

const vars = () => readDevVars();

export const DEMO = {
  account: "demo",
  agent: "agent@demo.test",
  lead: "lead@demo.test",
  password: () => vars().DEMO_PASSWORD!,
};

export async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(DEMO.password());
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(/\/accounts\/demo\/queue/);
  // Hydrated before the test clicks on: a link clicked earlier is a full page load, and a form
  // used on that page before it hydrates posts without the handlers that show its result.
  await hydrated(page);
}

/** Waits until React has hydrated the page (app/root.tsx marks <html data-hydrated>). */
export async function hydrated(page: Page) {
  await expect(page.locator("html[data-hydrated]")).toBeAttached({ timeout: 30_000 });
}

let n = 0;
export function uniqueTicket(overrides: Record<string, unknown> = {}) {
  n += 1;
  return {
    id: `E2E-${Date.now()}-${n}`,
    subject: `Charged twice for November (${Date.now()}-${n})`,
    body: "Hi, my card was charged twice for the Pro plan this month. Could you look into it?",
    requester: { email: "e2e.customer@example.com", name: "Erin Tester" },
    priority: "normal",
    ...overrides,
  };
}

/** Posts a signed ticket to the running app; returns the task id. */
export async function postTicket(baseURL: string, ticket: Record<string, unknown>): Promise<string> {
  const body = JSON.stringify({ ticket });
  const res = await fetch(`${baseURL}/webhooks/${DEMO.account}/generic`, {
    method: "POST",
    headers: { "content-type": "application/json", ...signHeaders(vars().DEMO_WEBHOOK_SECRET!, body) },
    body,
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { taskId: string }).taskId;
}
