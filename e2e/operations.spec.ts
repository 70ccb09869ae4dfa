// Admins steer the agent without a deploy; the review queue shows SLA and risk.
import { expect, test } from "@playwright/test";
import { DEMO, postTicket, signIn, uniqueTicket } from "./helpers";

// Whatever happens in the test (a timeout cuts its own clean-up short), the
// shared demo account is never left switched off for the tests after it.
test.afterAll(async ({ browser }, testInfo) => {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const page = await context.newPage();
  await signIn(page, "admin@demo.test");
  const res = await page.request.patch(`/api/accounts/${DEMO.account}/operations`, { data: { killSwitch: false } });
  expect(res.ok()).toBe(true);
  await context.close();
});

test("the kill switch holds new tickets until an admin lifts it; the audit export downloads", async ({ page, baseURL }) => {
  await signIn(page, "admin@demo.test");
  // A full load, hydrated, before the switch is clicked (a click before hydration opens no dialog).
  await page.goto(`/accounts/${DEMO.account}/operations`, { waitUntil: "networkidle" });
  await expect(page.getByRole("heading", { level: 1, name: "Operations" })).toBeVisible();
  const kill = page.getByTestId("ops-kill-switch");
  await expect(kill).toHaveAttribute("data-state", "off");
  // Wait for the server to have saved the switch, not just for the toggle to look on.
  const saved = () => page.waitForResponse((r) => r.request().method() === "POST" && /\/operations(\.data)?$/.test(new URL(r.url()).pathname));
  try {
    await kill.click();
    await Promise.all([saved(), page.getByTestId("ops-kill-switch-confirm-accept").click()]);
    await expect(kill).toHaveAttribute("data-state", "on");

    const ticket = uniqueTicket({ subject: `Held while killed ${Date.now()}` });
    const body = JSON.stringify({ ticket });
    const { signHeaders } = await import("../scripts/lib/standard-webhooks.ts");
    const { readDevVars } = await import("../scripts/lib/dev-vars.ts");
    const res = await fetch(`${baseURL}/webhooks/${DEMO.account}/generic`, {
      method: "POST",
      headers: { "content-type": "application/json", ...signHeaders(readDevVars().DEMO_WEBHOOK_SECRET!, body) },
      body,
    });
    expect(res.status).toBe(202);
    const { taskId, status } = (await res.json()) as { taskId: string; status: string };
    expect(status).toBe("held");

    await Promise.all([saved(), kill.click()]);
    await expect(kill).toHaveAttribute("data-state", "off");
    // Lifting it starts the held ticket: it reaches the review queue.
    await page.goto(`/accounts/${DEMO.account}/queue`);
    await expect(page.locator(`[data-testid="queue-item"][data-task-id="${taskId}"]`)).toBeVisible({ timeout: 20_000 });
  } finally {
    // Never leave the shared demo account switched off for the other tests.
    await page.request.patch(`/api/accounts/${DEMO.account}/operations`, { data: { killSwitch: false } });
  }

  await page.goto(`/accounts/${DEMO.account}/operations`);
  const download = page.waitForEvent("download");
  await page.getByTestId("ops-export-csv").click();
  expect((await download).suggestedFilename()).toMatch(/^audit-demo-\d{4}-\d{2}-\d{2}\.csv$/);
});

test("proposals show their SLA time left; agents have no Operations page", async ({ page, baseURL }) => {
  await signIn(page, DEMO.agent);
  await expect(page.getByTestId("nav-operations")).toHaveCount(0);
  expect((await page.goto(`/accounts/${DEMO.account}/operations`))!.status()).toBe(403);
  await page.goto(`/accounts/${DEMO.account}/queue`);
  const taskId = await postTicket(baseURL!, uniqueTicket({ priority: "urgent" }));
  const item = page.locator(`[data-testid="queue-item"][data-task-id="${taskId}"]`);
  await expect(item).toContainText(/due in \d+ (min|h)/, { timeout: 20_000 });
});
