// The product path in a real browser against the real dev server: a signed
// webhook, a proposal that appears live, a human decision, the result.
import { expect, test } from "@playwright/test";
import { DEMO, postTicket, signIn, uniqueTicket } from "./helpers";

test("a support agent watches a proposal arrive live, edits it, approves it, and the lead's chart moves", async ({ page, baseURL, browser }) => {
  await signIn(page, DEMO.agent);
  await expect(page.getByTestId("live-indicator")).toContainText(/live/i);

  // The lead's figures before.
  const leadContext = await browser.newContext();
  const lead = await leadContext.newPage();
  await signIn(lead, DEMO.lead);
  await lead.getByTestId("nav-insights").click();
  await expect(lead.getByTestId("figures-chart")).toBeVisible();
  const completedBefore = Number(
    await lead
      .getByTestId("today-completed")
      .innerText()
      .then((t) => t.match(/\d+/)![0]),
  );

  // A ticket arrives through the signed webhook while the queue is open: no reload.
  const ticket = uniqueTicket();
  const taskId = await postTicket(baseURL!, ticket);
  const item = page.locator(`[data-testid="queue-item"][data-task-id="${taskId}"]`);
  await expect(item).toBeVisible({ timeout: 20_000 });
  await expect(item).toContainText(ticket.subject);
  await item.click();

  const detail = page.getByTestId("proposal-detail");
  await expect(detail).toBeVisible();
  await expect(page.getByTestId("proposal-draft")).toContainText("Hi Erin,", { timeout: 20_000 });
  await expect(detail.getByTestId("tool-call").first()).toContainText("read_ticket");

  // The pending approval survives a reload.
  await page.reload();
  await expect(page.getByTestId("proposal-draft")).toContainText("Hi Erin,");

  // Edit and approve.
  const edited = `Hi Erin,\n\nI can see the duplicate charge and have asked billing to confirm the correction today.\n\nDemo Support (${taskId})`;
  await page.getByTestId("decision-edit-text").fill(edited);
  await page.getByTestId("decision-edit-submit").click();
  await expect(page.getByTestId("decision-status")).toContainText(/sent/i, { timeout: 20_000 });
  await expect(item).toHaveCount(0, { timeout: 20_000 });

  // The lead sees it as sent, corrected, and the chart's figures moved.
  await expect(async () => {
    await lead.reload();
    await expect(lead.getByTestId("recent-tasks")).toContainText(ticket.subject);
    const completedAfter = Number((await lead.getByTestId("today-completed").innerText()).match(/\d+/)![0]);
    expect(completedAfter).toBe(completedBefore + 1);
  }).toPass({ timeout: 20_000 });
  const row = lead.getByTestId("recent-tasks").locator("tr", { hasText: ticket.subject });
  await expect(row).toContainText(/sent/i);
  await leadContext.close();
});

test("sending back redrafts with the reviewer's note, and ticket HTML is shown as text", async ({ page, baseURL }) => {
  await signIn(page, DEMO.agent);
  const ticket = uniqueTicket({ body: 'Refund please <script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">' });
  const taskId = await postTicket(baseURL!, ticket);
  await page.locator(`[data-testid="queue-item"][data-task-id="${taskId}"]`).click({ timeout: 20_000 });

  await expect(page.getByTestId("ticket-body")).toContainText("<script>window.__pwned = 1</script>");
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  await expect(page.getByTestId("proposal-draft")).toContainText("Hi Erin,", { timeout: 20_000 });
  await page.getByTestId("decision-revise-note").fill('Please add "A specialist will call you back today."');
  await page.getByTestId("decision-revise-submit").click();
  await expect(page.getByTestId("proposal-draft")).toContainText("A specialist will call you back today.", { timeout: 20_000 });
  await expect(page.getByTestId("proposal-detail")).toContainText(/round 2/i);

  await page.getByTestId("decision-reject").click();
  await expect(page.getByTestId("decision-status")).toContainText(/rejected/i, { timeout: 20_000 });
});

test("a German customer asking for a person: the reviewer sees the hard stop and why, and the gloss says it needs a hosted model", async ({
  page,
  baseURL,
}) => {
  await signIn(page, DEMO.agent);
  const ticket = uniqueTicket({
    subject: "Ich will einen Menschen sprechen",
    body: "Seit zwei Tagen komme ich nicht in mein Konto. Bitte verbinden Sie mich mit einem echten Menschen, nicht mit einem Bot.",
  });
  const taskId = await postTicket(baseURL!, ticket);
  await page.locator(`[data-testid="queue-item"][data-task-id="${taskId}"]`).click({ timeout: 20_000 });

  await expect(page.getByTestId("proposal-draft")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("hard-stop")).toContainText("a person must answer");
  await expect(page.getByTestId("proposal-risk").locator('[data-kind="human_request"]')).toContainText("Asks for a person");
  await expect(page.getByTestId("proposal-language")).toContainText("German");

  // The demo runs the offline model: the gloss explains why there is none.
  await page.getByTestId("english-gloss").getByRole("button", { name: "Show an English gloss" }).click();
  await expect(page.getByTestId("gloss-error")).toContainText("needs a hosted model");
});

test("the agent's WebSocket is refused without a session", async ({ page, baseURL }) => {
  await page.goto("/login");
  const outcome = await page.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => resolve("open");
        ws.onerror = () => resolve("refused");
        setTimeout(() => resolve("timeout"), 5000);
      }),
    `${baseURL!.replace("http", "ws")}/agents/account-agent/demo`,
  );
  expect(outcome).toBe("refused");
});
