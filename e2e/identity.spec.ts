// Members, invitations, personal API tokens and sign-out everywhere, in the
// browser against the dev server.
import { expect, test } from "@playwright/test";
import { DEMO, hydrated, signIn } from "./helpers";

const ADMIN = "admin@demo.test";

test("an admin invites a new member; the one-time link signs them up, and they see only that account", async ({ page, browser }) => {
  await signIn(page, ADMIN);
  await page.getByTestId("nav-members").click();
  await expect(page.getByTestId("members-table")).toContainText(DEMO.agent);

  const email = `new.member.${Date.now()}@demo.test`;
  await page.getByTestId("invite-email").fill(email);
  await page.getByTestId("invite-role").selectOption("agent");
  await page.getByTestId("invite-submit").click();
  const linkField = page.getByTestId("invite-link");
  await expect(linkField).toHaveValue(/\/invite\/st_inv_[0-9a-f]{64}$/);
  const link = await linkField.inputValue();
  await expect(page.getByTestId("invite-created")).toContainText("shown only here, once");
  await expect(page.getByTestId("invitations-list")).toContainText(email);

  // The new person, in their own browser.
  const context = await browser.newContext();
  const newcomer = await context.newPage();
  await newcomer.goto(link);
  await hydrated(newcomer);
  await expect(newcomer.getByTestId("invite-for")).toHaveText(email);
  await newcomer.getByTestId("invite-name").fill("Nia Newcomer");
  await newcomer.getByTestId("invite-new-password").fill("a long enough password");
  await newcomer.getByTestId("invite-confirm").fill("a long enough password");
  await newcomer.getByTestId("invite-accept").click();
  await expect(newcomer).toHaveURL(/\/accounts\/demo\/queue/);
  await expect(newcomer.getByTestId("user-name")).toContainText("Nia Newcomer");
  await expect(newcomer.getByTestId("user-role")).toHaveText("agent");
  await expect(newcomer.getByTestId("account-switcher")).toHaveCount(0);
  await expect(newcomer.getByTestId("nav-members")).toHaveCount(0);
  const me = (await (await newcomer.request.get("/api/me")).json()) as { email: string; memberships: { accountId: string }[] };
  expect(me.email).toBe(email);
  expect(me.memberships.map((m) => m.accountId)).toEqual(["demo"]);

  // The link worked once.
  const again = await browser.newContext();
  const late = await again.newPage();
  await late.goto(link);
  await expect(late.getByTestId("invite-invalid")).toContainText(/already been used/);
  await again.close();

  // The admin sees the new member, and can remove them: their next request is refused.
  await page.reload();
  await hydrated(page);
  const row = page.getByTestId("members-table").locator("tr", { hasText: email });
  await expect(row).toContainText("agent");
  await page.getByTestId(`member-remove-${email}`).click();
  await expect(page.getByTestId("members-table")).not.toContainText(email);
  await newcomer.goto("/accounts/demo/queue");
  await expect(newcomer.getByText("404")).toBeVisible();
  await context.close();
});

test("a user creates an API token, uses it from a script, and revokes it", async ({ page, baseURL }) => {
  await signIn(page, DEMO.agent);
  await page.getByTestId("user-menu-toggle").click();
  await page.getByTestId("nav-tokens").click();
  await expect(page).toHaveURL(/\/accounts\/demo\/tokens/);

  const name = `e2e script ${Date.now()}`;
  await page.getByTestId("token-name").fill(name);
  await page.getByTestId("token-scope-tasks:read").check();
  // An agent cannot choose a lead's scope.
  await expect(page.getByTestId("token-scope-figures:read")).toBeDisabled();
  await page.getByTestId("token-create").click();
  const value = page.getByTestId("token-value");
  await expect(value).toHaveValue(/^st_pat_[A-Za-z0-9_-]{43}$/);
  const token = await value.inputValue();
  const row = page.locator(`[data-testid="token-row"][data-token-name="${name}"]`);
  await expect(row).toContainText("tasks:read");
  await expect(row.getByTestId("token-status")).toHaveText("active");
  await expect(row.getByTestId("token-last-used")).toHaveText("never");

  const tasks = () => fetch(`${baseURL}/api/accounts/demo/tasks`, { headers: { authorization: `Bearer ${token}` } });
  expect((await tasks()).status).toBe(200);
  // Only what the scope allows, and never a session's routes.
  expect(
    (
      await fetch(`${baseURL}/api/accounts/demo/tasks/t_x/decision`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: '{"action":"approve"}',
      })
    ).status,
  ).toBe(403);
  expect((await fetch(`${baseURL}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);

  // The page never shows the token again.
  await page.reload();
  await expect(page.getByTestId("token-value")).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
  await expect(row.getByTestId("token-last-used")).not.toHaveText("never");

  await page.getByTestId(`token-revoke-${name}`).click();
  await expect(row.getByTestId("token-status")).toContainText("revoked");
  expect((await tasks()).status).toBe(401);
});

test("sign out everywhere ends the user's sessions in every browser", async ({ page, browser }) => {
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await signIn(other, DEMO.lead);
  await signIn(page, DEMO.lead);

  await page.getByTestId("user-menu-toggle").click();
  await page.getByTestId("sign-out-everywhere").click();
  await expect(page).toHaveURL(/\/login/);

  await other.reload();
  await expect(other).toHaveURL(/\/login/);
  await otherContext.close();
});
