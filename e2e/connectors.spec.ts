// Admins point help desks at us from the Connectors page; nobody else sees it.
import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

test("an admin sees every source's webhook URL and rotates a secret with a grace period; the secret never comes back", async ({ page }) => {
  await signIn(page, "admin@demo.test");
  await page.getByTestId("nav-connectors").click();
  for (const source of ["generic", "zendesk", "helpscout", "intercom", "front", "chatwoot", "zammad", "freshdesk"]) {
    await expect(page.getByTestId(`connector-url-${source}`)).toHaveValue(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/webhooks/${DEMO.account}/${source}$`));
  }
  const secret = `e2e-zammad-secret-${Date.now()}`;
  await page.getByTestId("connector-secret-zammad").fill(secret);
  await page.getByTestId("connector-grace-zammad").selectOption("1");
  const responses: string[] = [];
  page.on("response", async (r) => {
    if (r.request().method() === "POST") responses.push(await r.text().catch(() => ""));
  });
  await page.getByTestId("connector-secret-save-zammad").click();
  await expect(page.getByTestId("connector-previous-secret-zammad")).toContainText(/still accepted until/i);
  await page.reload();
  expect(await page.content()).not.toContain(secret);
  expect(responses.join("\n")).not.toContain(secret);
});

test("agents do not see the Connectors page", async ({ page }) => {
  await signIn(page, DEMO.agent);
  await expect(page.getByTestId("nav-connectors")).toHaveCount(0);
  const res = await page.goto(`/accounts/${DEMO.account}/connectors`);
  expect(res!.status()).toBe(403);
});
