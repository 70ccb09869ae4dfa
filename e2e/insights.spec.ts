// "Is triage helping?" in a real browser: tickets in two languages go through
// the real path and a person's decisions (over the REST API, as a script would),
// then a lead filters the Insights page by category and language, the tables
// change, and the filters survive a reload (they live in the URL).
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

/** Waits until the proposal waits for a person, then decides it. */
async function decide(baseURL: string, token: string, taskId: string, decision: Record<string, string>) {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  await expect(async () => {
    const res = await fetch(`${baseURL}/api/accounts/${DEMO.account}/proposals/${taskId}`, { headers });
    expect(((await res.json()) as { status?: string }).status).toBe("awaiting_review");
  }).toPass({ timeout: 30_000 });
  const res = await fetch(`${baseURL}/api/accounts/${DEMO.account}/tasks/${taskId}/decision`, { method: "POST", headers, body: JSON.stringify(decision) });
  expect(res.status).toBe(200);
}

test("a lead filters the triage insights by category and language, and the filters stay in the URL", async ({ page, baseURL }) => {
  const token = await apiToken(baseURL!, DEMO.agent);
  const english = await postTicket(baseURL!, uniqueTicket());
  const german = await postTicket(
    baseURL!,
    uniqueTicket({
      subject: `Doppelte Abbuchung im November (${Date.now()})`,
      body: "Guten Tag, auf meiner Kreditkarte sehe ich diesen Monat zwei Abbuchungen für den Pro-Tarif. Bitte prüfen Sie das und erstatten Sie den doppelten Betrag.",
    }),
  );
  await decide(baseURL!, token, english, { action: "approve" });
  await decide(baseURL!, token, german, { action: "reject", note: "answered by phone" });

  await signIn(page, DEMO.lead);
  await page.getByTestId("nav-insights").click();
  await hydrated(page);
  const section = page.getByTestId("triage-insights");
  const byCategory = page.getByTestId("triage-by-category");
  const byLanguage = page.getByTestId("triage-by-language");
  await expect(section).toBeVisible();
  await expect(page.getByTestId("triage-outcomes-chart")).toBeVisible();
  // Unfiltered: both languages, and billing among the categories.
  await expect(byLanguage.locator("tbody tr[data-key=en]")).toContainText("English");
  await expect(byLanguage.locator("tbody tr[data-key=de]")).toContainText("German");
  await expect(byCategory.locator("tbody tr[data-key=billing]")).toBeVisible();
  const allTasks = Number(await page.getByTestId("triage-total-tasks").innerText());
  expect(allTasks).toBeGreaterThanOrEqual(2);

  // German only: one language row left, with the rejection.
  await page.getByTestId("triage-filter-language").selectOption("de");
  await expect(page).toHaveURL(/[?&]language=de/);
  await expect(byLanguage.locator("tbody tr")).toHaveCount(1);
  await expect(byLanguage.locator("tbody tr[data-key=de]")).toBeVisible();
  const germanRow = byLanguage.locator("tbody tr[data-key=de]");
  expect(Number(await germanRow.locator('[data-column="Rejected"]').innerText())).toBeGreaterThanOrEqual(1);
  await expect(byCategory.locator("tbody tr[data-key=billing]")).toBeVisible();

  // And billing: one category row too.
  await page.getByTestId("triage-filter-category").selectOption("billing");
  await expect(page).toHaveURL(/[?&]category=billing/);
  await expect(page).toHaveURL(/[?&]language=de/);
  await expect(byCategory.locator("tbody tr")).toHaveCount(1);
  await expect(page.getByTestId("triage-totals")).toContainText("billing · German");
  const filteredTasks = Number(await page.getByTestId("triage-total-tasks").innerText());
  expect(filteredTasks).toBeGreaterThanOrEqual(1);
  expect(filteredTasks).toBeLessThan(allTasks);

  // A reload keeps the filters (and the selects work again once it is hydrated).
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("triage-filter-language")).toHaveValue("de");
  await expect(page.getByTestId("triage-filter-category")).toHaveValue("billing");
  await expect(byLanguage.locator("tbody tr")).toHaveCount(1);

  // A category nobody wrote about in German: the tables say so.
  await page.getByTestId("triage-filter-category").selectOption("outage");
  await expect(byCategory).toContainText("No triaged tasks in this window.");

  // Clearing brings everything back.
  await page.getByTestId("triage-filters-clear").click();
  await expect(page).not.toHaveURL(/language=/);
  await expect(byLanguage.locator("tbody tr[data-key=en]")).toBeVisible();
  expect(Number(await page.getByTestId("triage-total-tasks").innerText())).toBeGreaterThanOrEqual(allTasks);
});

test("an agent cannot open the insights, nor read them over the API", async ({ page, baseURL }) => {
  const token = await apiToken(baseURL!, DEMO.agent);
  const res = await fetch(`${baseURL}/api/accounts/${DEMO.account}/insights/triage?days=7`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(403);
  await signIn(page, DEMO.agent);
  const visit = await page.goto(`/accounts/${DEMO.account}/insights`);
  expect(visit?.status()).toBe(403);
});
