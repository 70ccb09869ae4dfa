// Every page of the dashboard loads, hydrates and stays quiet: no console error
// or warning (a React hydration mismatch is one) and no uncaught exception,
// signed out, as an admin and as an agent. Each page is a full page load, so
// each one is hydrated from the server's HTML.

import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, type Page, test } from "@playwright/test";
import { MemoryOAuthClient } from "../test/mcp-oauth-client.ts";
import { DEMO, postTicket, signIn, uniqueTicket } from "./helpers";

const ADMIN = "admin@demo.test";
const base = `/accounts/${DEMO.account}`;

/** Collects the page's console errors and warnings and its uncaught exceptions, each with the path it happened on. */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  const where = () => new URL(page.url()).pathname;
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") problems.push(`${where()} console.${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`${where()} pageerror: ${err.message}`));
  return problems;
}

/** A full page load, then: the heading is there and nothing is loading any more (modules loaded, hydrated). */
async function visit(page: Page, path: string, heading: string | RegExp) {
  await page.goto(path, { waitUntil: "networkidle" });
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
}

/** The queue is hydrated once it is connected to the account agent. */
async function visitQueue(page: Page, query = "") {
  await page.goto(`${base}/queue${query}`);
  await expect(page.getByTestId("live-indicator")).toContainText(/live/i, { timeout: 30_000 });
}

test("the sign-in page and an invitation link, signed out", async ({ page }) => {
  const problems = watchConsole(page);
  await visit(page, "/login", "Sign in");
  await visit(page, "/invite/st_inv_0000", "Invitation");
  expect(problems).toEqual([]);
});

test("every page an admin sees", async ({ page, baseURL, browser }) => {
  // A fresh ticket: the queue shows ages of seconds, which must hydrate as they were rendered.
  const taskId = await postTicket(baseURL!, uniqueTicket());
  const problems = watchConsole(page);
  await signIn(page, ADMIN);
  await visitQueue(page);
  await expect(page.locator(`[data-testid="queue-item"][data-task-id="${taskId}"]`)).toBeVisible({ timeout: 30_000 });
  // The queue with the ticket selected: the detail pane is rendered on the server too.
  await visitQueue(page, `?task=${taskId}`);
  await expect(page.getByTestId("proposal-detail")).toBeVisible();
  await visit(page, `${base}/insights`, "Insights");
  await visit(page, `${base}/samples`, "Samples");
  await visit(page, `${base}/knowledge`, "Knowledge");
  await visit(page, `${base}/knowledge?q=${encodeURIComponent("charged twice")}`, "Knowledge");
  await visit(page, `${base}/connectors`, "Connectors");
  await visit(page, `${base}/operations`, "Operations");
  await visit(page, `${base}/members`, "Members");

  // A valid invitation link, opened by someone signed out; then revoked.
  const email = `console.${Date.now()}@demo.test`;
  await page.getByTestId("invite-email").fill(email);
  await page.getByTestId("invite-submit").click();
  const link = await page.getByTestId("invite-link").inputValue();
  const guest = await browser.newContext();
  const newcomer = await guest.newPage();
  const guestProblems = watchConsole(newcomer);
  await visit(newcomer, link, "Join Demo Support");
  await guest.close();
  await page.getByTestId(`invitation-revoke-${email}`).click();
  await expect(page.getByTestId(`invitation-revoke-${email}`)).toHaveCount(0);

  await visit(page, `${base}/tokens`, "Personal API tokens");
  await visit(page, `${base}/connections`, "Your connections");

  // The consent page of an MCP client (registered by the SDK, in Node).
  const oauth = new MemoryOAuthClient(`Console check ${Date.now()}`, "http://127.0.0.1:5398/callback", "tasks:read");
  const transport = new StreamableHTTPClientTransport(new URL("/mcp", baseURL), { authProvider: oauth });
  await expect(new Client({ name: "console check", version: "1.0.0" }).connect(transport)).rejects.toThrow(UnauthorizedError);
  await visit(page, oauth.authorizationUrl!.toString(), /Allow .* to act as you\?/);

  expect([...problems, ...guestProblems]).toEqual([]);
});

test("every page an agent sees", async ({ page }) => {
  const problems = watchConsole(page);
  await signIn(page, DEMO.agent);
  await visitQueue(page);
  await visit(page, `${base}/knowledge`, "Knowledge");
  await visit(page, `${base}/tokens`, "Personal API tokens");
  await visit(page, `${base}/connections`, "Your connections");
  expect(problems).toEqual([]);
});
