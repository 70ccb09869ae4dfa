// An outside agent on the MCP server, end to end: the official MCP SDK client
// (running here, in Node) registers with the running app and sends the
// person's browser to sign in and consent; the agent proposes a reply to a
// ticket that came through the signed webhook; the proposal waits in the
// dashboard's queue until the person approves it there; the client then sees
// it sent. Finally the person disconnects the client on the tokens page.

import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { expect, test } from "@playwright/test";
import { MemoryOAuthClient } from "../test/mcp-oauth-client.ts";
import { DEMO, hydrated, postTicket, uniqueTicket } from "./helpers";

// Where a desktop MCP client would listen for the OAuth redirect. Nothing listens:
// the browser's request is answered by the test (page.route) and the code read from it.
const CALLBACK = "http://127.0.0.1:5398/callback";

type Structured = CallToolResult & { structuredContent?: Record<string, unknown> };

test("an MCP client connects after the person consents, proposes a reply, and it is sent only after approval in the dashboard", async ({ page, baseURL }) => {
  const mcpUrl = new URL("/mcp", baseURL);
  const clientName = `E2E Agent ${Date.now()}`;
  const oauth = new MemoryOAuthClient(clientName, CALLBACK, "tasks:read tickets:read drafts:write replies:propose");

  // 1. The client discovers the authorization server, registers, and asks the person's browser to authorize.
  const first = new StreamableHTTPClientTransport(mcpUrl, { authProvider: oauth });
  await expect(new Client({ name: clientName, version: "1.0.0" }).connect(first)).rejects.toThrow(UnauthorizedError);
  expect(oauth.authorizationUrl?.pathname).toBe("/oauth/authorize");

  // 2. In the browser: sign in first, then the consent page in the dashboard.
  let callback: URL | null = null;
  await page.route(`${CALLBACK}**`, async (route) => {
    callback = new URL(route.request().url());
    await route.fulfill({ status: 200, contentType: "text/plain", body: "You can close this window." });
  });
  await page.goto(oauth.authorizationUrl!.toString());
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId("login-purpose")).toContainText(/connect an app/i);
  await page.getByTestId("login-email").fill(DEMO.agent);
  await page.getByTestId("login-password").fill(DEMO.password());
  await page.getByTestId("login-submit").click();

  await expect(page).toHaveURL(/\/oauth\/authorize\?/);
  await expect(page.getByTestId("consent-client-name")).toHaveText(clientName);
  await expect(page.getByTestId("consent-redirect-host")).toHaveText("127.0.0.1");
  await expect(page.getByTestId("consent-loopback-warning")).toBeVisible();
  await expect(page.getByTestId("consent-account-name")).toContainText("Demo Support");
  for (const scope of ["tasks:read", "tickets:read", "drafts:write", "replies:propose"]) {
    await expect(page.getByTestId(`consent-scope-${scope}`)).toBeChecked();
  }
  await page.getByTestId("consent-approve").click();
  await expect.poll(() => callback?.searchParams.get("code") ?? null, { timeout: 15_000 }).not.toBeNull();
  await first.finishAuth(callback!.searchParams.get("code")!);

  // 3. Connected: the tools of the granted scopes.
  const client = new Client({ name: clientName, version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: oauth }));
  const tools = (await client.listTools()).tools.map((t) => t.name);
  expect(tools).toEqual(expect.arrayContaining(["list_awaiting_review", "get_task_status", "read_ticket", "draft_reply", "propose_reply"]));

  // 4. A ticket arrives through the signed webhook; the agent reads it and proposes a reply.
  const ticket = uniqueTicket();
  await postTicket(baseURL!, ticket);
  const read = (await client.callTool({ name: "read_ticket", arguments: { ticket_id: ticket.id } })) as Structured;
  expect(read.structuredContent).toMatchObject({ subject: ticket.subject });
  const body = `Hi Erin,\n\nThanks for letting us know about the double charge. Our billing team is looking into it and will confirm what happened.\n\nDemo Support (${ticket.id})`;
  const proposed = (await client.callTool({ name: "propose_reply", arguments: { ticket_id: ticket.id, body } })) as Structured;
  expect(proposed.isError).toBeFalsy();
  expect(proposed.structuredContent).toMatchObject({ status: "pending", check: { tool: "get_task_status" } });
  const taskId = proposed.structuredContent!.task_id as string;
  const status = async () =>
    ((await client.callTool({ name: "get_task_status", arguments: { task_id: taskId } })) as Structured).structuredContent!.status as string;

  // 5. The person finds it in the review queue, marked as proposed over MCP, and approves it.
  await page.goto(`/accounts/${DEMO.account}/queue`);
  // The page is hydrated and connected to the agent before anyone clicks.
  await expect(page.getByTestId("live-indicator")).toContainText(/live/i, { timeout: 30_000 });
  const item = page.locator(`[data-testid="queue-item"][data-task-id="${taskId}"]`);
  await expect(item).toBeVisible({ timeout: 30_000 });
  await expect(item.getByTestId("queue-mcp")).toBeVisible();
  await item.click();
  await expect(page.getByTestId("proposal-origin")).toContainText(clientName);
  await expect(page.getByTestId("proposal-draft")).toContainText("Our billing team is looking into it", { timeout: 20_000 });
  expect(await status()).toBe("awaiting_review");
  await expect(page.getByTestId("decision-approve")).toBeEnabled();
  await page.getByTestId("decision-approve").click();
  await expect(page.getByTestId("decision-status")).toContainText(/sent/i, { timeout: 20_000 });

  // 6. The client learns the outcome.
  await expect.poll(status, { timeout: 20_000 }).toBe("sent");

  // 7. The person disconnects the client; its tokens stop working at once.
  await page.goto(`/accounts/${DEMO.account}/tokens`);
  await hydrated(page);
  const row = page.locator(`[data-testid="mcp-client-row"][data-client-name="${clientName}"]`);
  await expect(row).toContainText("replies:propose");
  await row.getByTestId("mcp-client-revoke").click();
  await expect(row).toHaveCount(0, { timeout: 10_000 });
  await expect(client.callTool({ name: "list_awaiting_review", arguments: {} })).rejects.toThrow();
  await client.close();
});
