// Tail latency in a real browser: a ticket is drafted through the real path
// (its tool calls and the whole round go to the tool log and its rollup), then
// a lead opens Insights, sees each tool and the whole draft against their
// budgets with the slowest calls, and switches to 7 days (kept in the URL).
// Agents see none of it.
import { expect, test } from "@playwright/test";
import { DEMO, hydrated, postTicket, signIn, uniqueTicket } from "./helpers";

async function apiToken(baseURL: string, email: string): Promise<string> {
  const res = await fetch(`${baseURL}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: DEMO.password() }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

test("a lead sees the latency per tool and of the whole draft, and switches to 7 days", async ({ page, baseURL }) => {
  const agent = await apiToken(baseURL!, DEMO.agent);
  const taskId = await postTicket(baseURL!, uniqueTicket());
  // Drafted: the round's tool calls and its `draft` row are logged.
  await expect(async () => {
    const res = await fetch(`${baseURL}/api/accounts/${DEMO.account}/proposals/${taskId}`, { headers: { authorization: `Bearer ${agent}` } });
    expect(((await res.json()) as { status?: string }).status).toBe("awaiting_review");
  }).toPass({ timeout: 30_000 });

  await signIn(page, DEMO.lead);
  await page.getByTestId("nav-insights").click();
  const section = page.getByTestId("latency");
  await expect(section).toBeVisible();
  await expect(section.getByRole("heading", { name: "Latency" })).toBeVisible();
  await expect(section).toContainText("each tool call 100 ms, a whole draft 400 ms");
  const table = page.getByTestId("latency-table");
  for (const tool of ["read_ticket", "lookup_entitlement", "summarize_context", "draft_reply"]) {
    await expect(table.locator(`tr[data-tool=${tool}]`)).toBeVisible();
  }
  const draft = page.getByTestId("latency-draft");
  await expect(draft).toContainText("Whole draft");
  await expect(draft).toContainText("400 ms");
  expect(Number((await draft.locator("td").first().innerText()).replace(/,/g, ""))).toBeGreaterThanOrEqual(1);
  // The slowest calls link their task to the queue.
  const slow = page.getByTestId("latency-slow-call");
  await expect(slow.first()).toBeVisible();
  expect(await slow.count()).toBeLessThanOrEqual(10);
  await expect(slow.first().getByRole("link")).toHaveAttribute("href", /\/accounts\/demo\/queue\?task=t_/);

  // 7 days: in the URL, and a reload keeps it.
  const switcher = page.getByTestId("latency-window");
  await expect(switcher.getByRole("link", { name: "Last 24 hours" })).toHaveAttribute("aria-current", "page");
  await switcher.getByRole("link", { name: "Last 7 days" }).click();
  await expect(page).toHaveURL(/[?&]latency=7d/);
  await expect(switcher.getByRole("link", { name: "Last 7 days" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("latency-draft")).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("latency-window").getByRole("link", { name: "Last 7 days" })).toHaveAttribute("aria-current", "page");
  // The triage filters keep the latency window.
  await page.getByTestId("triage-filter-days").selectOption("7");
  await expect(page).toHaveURL(/[?&]days=7/);
  await expect(page).toHaveURL(/[?&]latency=7d/);
  // Back to 24 hours (once the page has rendered the new filters: the URL changes before React re-renders the links).
  const back = page.getByTestId("latency-window").getByRole("link", { name: "Last 24 hours" });
  await expect(back).toHaveAttribute("href", /[?&]days=7/);
  await back.click();
  await expect(page).not.toHaveURL(/latency=/);
  await expect(page).toHaveURL(/[?&]days=7/);
});

test("an agent sees no latency: no Insights link, the page and the API answer 403", async ({ page, baseURL }) => {
  const token = await apiToken(baseURL!, DEMO.agent);
  const res = await fetch(`${baseURL}/api/accounts/${DEMO.account}/insights/latency?window=7d`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(403);
  await signIn(page, DEMO.agent);
  await expect(page.getByTestId("nav-insights")).toHaveCount(0);
  const visit = await page.goto(`/accounts/${DEMO.account}/insights?latency=7d`);
  expect(visit?.status()).toBe(403);
  await expect(page.getByTestId("latency")).toHaveCount(0);
});
