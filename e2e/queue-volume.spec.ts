// The review queue at volume in a real browser: the first page of a queue
// longer than a page, live arrivals, filters, "load more", the keyboard, and
// two reviewers on the same queue. Runs after the other browser tests (its
// own project in playwright.config.ts): the tickets it leaves open would push
// theirs off the first page.
import { expect, type Page, test } from "@playwright/test";
import { DEMO, postTicket, signIn, uniqueTicket } from "./helpers";

const OPEN_AT_START = 60;

/** The API's view of the queue, to wait for drafting to finish. */
async function counts(page: Page): Promise<{ open: number; awaiting_review: number; drafting: number }> {
  const res = await page.request.get(`/api/accounts/${DEMO.account}/proposals?limit=1`);
  return ((await res.json()) as { counts: { open: number; awaiting_review: number; drafting: number } }).counts;
}

test("a queue longer than a page: first page, live arrivals, filters, load more, keyboard, and a second reviewer's view", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  await signIn(page, DEMO.agent);
  const before = await counts(page);
  for (let i = 0; i < OPEN_AT_START; i++) {
    await postTicket(baseURL!, uniqueTicket({ subject: `Volume ticket ${i}`, priority: i % 2 ? "low" : "normal" }));
  }
  await expect.poll(async () => (await counts(page)).awaiting_review, { timeout: 90_000 }).toBeGreaterThanOrEqual(before.awaiting_review + OPEN_AT_START);

  // The first page only, with the whole queue's counts.
  await page.reload();
  const items = page.getByTestId("queue-item");
  await expect(items).toHaveCount(50);
  await expect(page.getByTestId("queue-count")).toContainText(new RegExp(`${before.open + OPEN_AT_START} open`));
  await expect(page.getByTestId("live-indicator")).toContainText(/live/i);

  // More on demand: scrolling to the button loads the next page by itself; a
  // click does the same if it is still there (the load may already have
  // replaced it, so a click that finds it gone is not a failure).
  const loadMore = page.getByTestId("queue-load-more");
  await loadMore.scrollIntoViewIfNeeded();
  await expect(async () => {
    if (await loadMore.isVisible()) await loadMore.click({ timeout: 1_000 }).catch(() => undefined);
    await expect(items).toHaveCount(before.open + OPEN_AT_START, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("queue-end")).toBeVisible();

  // A second reviewer watches the same queue.
  const leadContext = await browser.newContext();
  const lead = await leadContext.newPage();
  await signIn(lead, DEMO.lead);

  // An urgent ticket from an enterprise customer arrives: due in 30 minutes, it appears at the top, live, on both screens.
  const urgent = uniqueTicket({
    subject: "Checkout is down for all our users",
    priority: "urgent",
    requester: { email: "elena.petrova@northwindhealth.example", name: "Elena Petrova" },
  });
  const urgentId = await postTicket(baseURL!, urgent);
  for (const p of [page, lead]) {
    await expect(p.getByTestId("queue-item").first()).toHaveAttribute("data-task-id", urgentId, { timeout: 30_000 });
    await expect(p.getByTestId("queue-item").first()).toHaveAttribute("data-status", "awaiting_review", { timeout: 30_000 });
  }

  // Filters live in the URL and ask the server for matching rows only.
  await page.getByTestId("queue-filter-priority").selectOption("low");
  await expect(page).toHaveURL(/priority=low/);
  await expect(items.first()).toBeVisible();
  await expect(items.getByTestId("priority-badge").filter({ hasNotText: "low" })).toHaveCount(0);
  await expect(items).toHaveCount(OPEN_AT_START / 2);
  await page.getByTestId("queue-filters-clear").click();
  await expect(page).not.toHaveURL(/priority=/);
  await expect(items.first()).toHaveAttribute("data-task-id", urgentId);

  // The keyboard: ? lists the keys, j/k move, focus and the announcement follow, / reaches the filters.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press("?");
  await expect(page.getByTestId("keyboard-help")).toBeVisible();
  await expect(page.getByTestId("keyboard-help")).toContainText("Approve and send");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("keyboard-help")).toBeHidden();
  await page.keyboard.press("j");
  await expect(page).toHaveURL(new RegExp(`task=${urgentId}`));
  await expect(items.first().getByRole("link")).toBeFocused();
  await expect(items.first().getByRole("link")).toHaveAttribute("aria-current", "true");
  await expect(page.getByTestId("queue-announcement")).toContainText(urgent.subject);
  await page.keyboard.press("j");
  await expect(items.nth(1).getByRole("link")).toHaveAttribute("aria-current", "true");
  await page.keyboard.press("k");
  await expect(items.first().getByRole("link")).toHaveAttribute("aria-current", "true");
  await expect(page.getByTestId("proposal-detail")).toHaveAttribute("data-task-id", urgentId);
  await expect(page.getByTestId("proposal-draft")).toBeVisible();
  await page.keyboard.press("/");
  await expect(page.getByTestId("queue-filter-status")).toBeFocused();
  await page.keyboard.press("Escape");

  // The lead has the same proposal open; the agent approves it with "a".
  await lead.getByTestId("queue-item").first().click();
  await expect(lead.getByTestId("proposal-detail")).toHaveAttribute("data-task-id", urgentId);
  await page.keyboard.press("a");
  await expect(page.getByTestId("decision-status")).toContainText(/sent/i, { timeout: 20_000 });
  // Gone from the lead's list, and the lead's open detail says so, without a reload.
  await expect(lead.locator(`[data-testid="queue-item"][data-task-id="${urgentId}"]`)).toHaveCount(0, { timeout: 20_000 });
  await expect(lead.getByText("This proposal is no longer open")).toBeVisible();
  await leadContext.close();
});
