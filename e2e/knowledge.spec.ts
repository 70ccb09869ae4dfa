// The Knowledge page in the browser: an admin adds an article by hand and
// another by uploading a Markdown file, finds them with the search box (ranked
// hits with scores), presses "Sync now" and deletes them; an agent searches the
// same page but sees no control that changes anything.
import { expect, type Page, test } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

const ADMIN = "admin@demo.test";
const page$ = `/accounts/${DEMO.account}/knowledge`;

/** A full load of the page, hydrated (its forms post through fetchers). */
async function openKnowledge(page: Page, query = "") {
  await page.goto(`${page$}${query}`, { waitUntil: "networkidle" });
  await expect(page.getByRole("heading", { level: 1, name: "Knowledge" })).toBeVisible();
}

async function searchFor(page: Page, question: string) {
  await page.getByTestId("knowledge-search-input").fill(question);
  await page.getByTestId("knowledge-search-submit").click();
  await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe(question);
}

/** Console errors and warnings (a hydration mismatch is one) and uncaught exceptions. */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") problems.push(`console.${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  return problems;
}

const row = (page: Page, title: string) => page.locator(`[data-testid="knowledge-article-row"][data-title="${title}"]`);

test("an admin adds, uploads, finds, syncs and deletes knowledge", async ({ page }) => {
  const stamp = Date.now();
  const title = `Replace a quokka warranty card ${stamp}`;
  const uploaded = `Redeem a wombat voucher ${stamp}`;

  await signIn(page, ADMIN);
  await page.getByTestId("nav-knowledge").click();
  await expect(page).toHaveURL(new RegExp(`${page$}$`));
  await openKnowledge(page);

  // Typed by hand, in Markdown.
  await page.getByTestId("knowledge-title").fill(title);
  await page
    .getByTestId("knowledge-body")
    .fill(
      "A lost **quokka warranty card** is replaced for free.\n\n1. Open Account → Warranty.\n2. Choose *Replace card*.\n3. The new card arrives within a week.",
    );
  await page.getByTestId("knowledge-url").fill("https://help.demo.test/quokka-warranty");
  await page.getByTestId("knowledge-tags").fill("warranty, cards");
  await page.getByTestId("knowledge-add").click();
  await expect(page.getByTestId("knowledge-add-result")).toContainText(`"${title}" added`);
  await expect(row(page, title)).toBeVisible();
  await expect(row(page, title)).toContainText("manual");
  await expect(row(page, title)).toContainText("warranty, cards");
  // The form is cleared for the next one.
  await expect(page.getByTestId("knowledge-title")).toHaveValue("");

  // A bad link is refused, and the page says which field is wrong.
  await page.getByTestId("knowledge-title").fill("Broken link");
  await page.getByTestId("knowledge-body").fill("Some text.");
  await page.getByTestId("knowledge-url").fill("ftp://example.com/x");
  await page.getByTestId("knowledge-add").click();
  await expect(page.locator("#knowledge-url-error")).toContainText(/http/);
  await expect(row(page, "Broken link")).toHaveCount(0);
  await page.getByTestId("knowledge-url").fill("");
  await page.getByTestId("knowledge-title").fill("");
  await page.getByTestId("knowledge-body").fill("");

  // Uploaded: the title comes from the file's first heading.
  await page.getByTestId("knowledge-file").setInputFiles({
    name: "wombat-voucher.md",
    mimeType: "text/markdown",
    buffer: Buffer.from(`# ${uploaded}\n\nA **wombat voucher** is redeemed at checkout: enter its code under *Payment → Vouchers*.\n`),
  });
  await page.getByTestId("knowledge-add").click();
  await expect(page.getByTestId("knowledge-add-result")).toContainText(`"${uploaded}" added`);
  await expect(row(page, uploaded)).toBeVisible();

  // Search: the hand-written article comes first, with its link and a score.
  await searchFor(page, "I lost my quokka warranty card, how do I replace it?");
  const first = page.getByTestId("knowledge-hit").first();
  await expect(first).toContainText(title);
  await expect(first.getByRole("link", { name: title })).toHaveAttribute("href", "https://help.demo.test/quokka-warranty");
  await expect(first.getByTestId("knowledge-hit-score")).toHaveText(/^score (0\.\d\d|1\.00)$/);
  await searchFor(page, "wombat voucher checkout");
  await expect(page.getByTestId("knowledge-hit").first()).toContainText(uploaded);

  // Sync now: every help desk connected with outbound credentials (or a note that none is).
  await page.getByTestId("knowledge-sync-now").click();
  await expect(page.getByTestId("knowledge-sync-result")).toContainText(/Synced \d+ source|No help desk is connected/, { timeout: 30_000 });
  await expect(page.getByTestId("knowledge-sources")).toBeVisible();

  // Delete both; search no longer finds them.
  for (const t of [title, uploaded]) {
    await row(page, t).getByTestId("knowledge-delete").click();
    await expect(row(page, t)).toHaveCount(0);
  }
  await searchFor(page, `quokka warranty card ${stamp}`);
  await expect(page.locator(`[data-testid="knowledge-hit"]`, { hasText: title })).toHaveCount(0);
});

test("an agent searches and pages the knowledge but sees nothing that changes it", async ({ page }) => {
  const problems = watchConsole(page);
  await signIn(page, DEMO.agent);
  await expect(page.getByTestId("nav-knowledge")).toBeVisible();
  await openKnowledge(page);
  await expect(page.getByTestId("knowledge-search-input")).toBeVisible();
  await expect(page.getByTestId("knowledge-sources")).toBeVisible();
  await expect(page.getByTestId("knowledge-add")).toHaveCount(0);
  await expect(page.getByTestId("knowledge-file")).toHaveCount(0);
  await expect(page.getByTestId("knowledge-sync-now")).toHaveCount(0);
  await expect(page.getByTestId("knowledge-delete")).toHaveCount(0);

  // Pages of 50, newest change first, with the cursor in the URL.
  const total = Number((await page.getByTestId("knowledge-summary").textContent())?.match(/^(\d+) article/)?.[1]);
  expect(Number.isInteger(total)).toBe(true);
  if (total > 50) {
    await expect(page.getByTestId("knowledge-article-row")).toHaveCount(50);
    const firstOnPageOne = await page.getByTestId("knowledge-article-row").first().getAttribute("data-article-id");
    await page.getByTestId("knowledge-next").click();
    await expect.poll(() => new URL(page.url()).searchParams.get("cursor")).toBeTruthy();
    await expect(page.getByTestId("knowledge-article-row")).toHaveCount(Math.min(total - 50, 50));
    await expect(page.locator(`[data-testid="knowledge-article-row"][data-article-id="${firstOnPageOne}"]`)).toHaveCount(0);
    await page.getByTestId("knowledge-previous").click();
    await expect.poll(() => new URL(page.url()).searchParams.get("cursor")).toBeNull();
    await expect(page.getByTestId("knowledge-article-row").first()).toHaveAttribute("data-article-id", firstOnPageOne!);
    await expect(page.getByTestId("knowledge-previous")).toHaveCount(0);
  } else {
    await expect(page.getByTestId("knowledge-next")).toHaveCount(0);
  }

  await searchFor(page, "charged twice refund");
  await expect(page.getByTestId("knowledge-hits").or(page.getByTestId("knowledge-no-hits"))).toBeVisible();
  expect(problems).toEqual([]);

  // A post by hand is refused all the same.
  const res = await page.request.post(page$, { form: { intent: "sync" }, headers: { origin: new URL(page.url()).origin } });
  expect(res.status()).toBe(403);
});
