// Single sign-on in a real browser: the app (vite dev, OIDC_* from
// playwright.config.ts) sends the browser to the local OpenID Provider
// (scripts/oidc-dev.ts on 127.0.0.1:5299), the person signs in there, and comes
// back signed in to the app. Nobody types the app's password.
import { expect, test } from "@playwright/test";

test("a lead signs in through the identity provider and lands on their queue", async ({ page }) => {
  await page.goto("/login");
  const sso = page.getByTestId("login-oidc");
  await expect(sso).toHaveText("Sign in with Local IdP");
  await sso.click();

  // At the provider.
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:5299\/interaction\//);
  await page.getByLabel("Email").fill("lead@demo.test");
  await page.getByLabel("Password").fill("whatever");
  await page.getByRole("button", { name: "Sign in" }).click();

  // Back in the app, signed in as Lee Lead, in the demo account only.
  await expect(page).toHaveURL(/\/accounts\/demo\/queue$/);
  await expect(page.getByTestId("user-name")).toContainText("Lee Lead");
  await expect(page.getByTestId("user-role")).toHaveText("lead");
  await expect(page.getByText("Demo Support", { exact: true })).toBeVisible();
  await expect(page.getByTestId("account-switcher")).toHaveCount(0);

  const me = await page.request.get("/api/me");
  expect(me.status()).toBe(200);
  const user = (await me.json()) as { email: string; memberships: { accountId: string; role: string }[] };
  expect(user.email).toBe("lead@demo.test");
  expect(user.memberships.map((m) => [m.accountId, m.role])).toEqual([["demo", "lead"]]);
});

test("someone the app does not know is told to ask for an invitation, and gets no session", async ({ page }) => {
  await page.goto("/login");
  await page.getByTestId("login-oidc").click();
  await page.getByLabel("Email").fill("unknown@nowhere.test");
  await page.getByRole("button", { name: "Sign in" }).click();

  await expect(page.getByTestId("sign-in-error")).toHaveText("No account for unknown@nowhere.test: ask an admin to invite you.");
  expect((await page.request.get("/api/me")).status()).toBe(401);
  await page.getByRole("link", { name: "Back to sign in" }).click();
  await expect(page).toHaveURL(/\/login$/);
});
