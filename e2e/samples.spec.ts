// Samples for quality review in a real browser: an admin keeps every drafting
// round (Operations, with a refused value shown beside its field), a ticket
// full of customer data is drafted through the real path and edited by an
// agent, then a lead finds the sample beside the edit, opens it with the
// customer data replaced by markers, and downloads the evaluation set.
import { readFile } from "node:fs/promises";
import { expect, type Page, test } from "@playwright/test";
import { DEMO, postTicket, signIn, uniqueTicket } from "./helpers";

const ADMIN = "admin@demo.test";
const base = `/accounts/${DEMO.account}`;

/** Customer data of every kind the samples redact. */
const PRIVATE = {
  email: "jordan.miles@private-mail.test",
  phone: "+44 20 7946 0958",
  card: "4111 1111 1111 1111",
  iban: "DE89 3704 0044 0532 0130 00",
  address: "221B Baker Street",
};

async function apiToken(baseURL: string, email: string): Promise<string> {
  const res = await fetch(`${baseURL}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: DEMO.password() }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

/** Sets the demo account's sample settings over the API (the admin's token). */
async function setSamples(baseURL: string, samples: { share: number; keepDays: number }) {
  const headers = { authorization: `Bearer ${await apiToken(baseURL, ADMIN)}`, "content-type": "application/json" };
  const url = `${baseURL}/api/accounts/${DEMO.account}/operations`;
  const { policy } = (await (await fetch(url, { headers })).json()) as { policy: Record<string, unknown> };
  const res = await fetch(url, { method: "PATCH", headers, body: JSON.stringify({ policy: { ...policy, samples } }) });
  expect(res.status).toBe(200);
}

async function signOut(page: Page) {
  await page.context().clearCookies();
}

test("a lead reviews a redacted sample beside the agent's edit and downloads the evaluation set", async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  try {
    // Agents have no Samples page.
    await signIn(page, DEMO.agent);
    await expect(page.getByTestId("nav-samples")).toHaveCount(0);
    expect((await page.goto(`${base}/samples`))!.status()).toBe(403);
    await signOut(page);

    // The admin keeps every round; a share above 100 % is refused beside its field.
    await signIn(page, ADMIN);
    await page.goto(`${base}/operations`);
    const share = page.getByTestId("ops-samples-share");
    const save = page.getByTestId("ops-samples-save");
    await share.fill("150");
    await save.click();
    await expect(page.locator("#ops-samples-share-error")).toContainText("100");
    await expect(share).toHaveAttribute("aria-invalid", "true");
    await share.fill("100");
    await page.getByTestId("ops-samples-keep-days").fill("30");
    await save.click();
    await expect(page.getByTestId("ops-status")).toContainText("Samples saved: 100 % of drafting rounds are kept for 30 days");
    await expect(page.locator("#ops-samples-share-error")).toHaveCount(0);
    await signOut(page);

    // A ticket with customer data of every kind, drafted and then edited by an agent.
    const taskId = await postTicket(
      baseURL!,
      uniqueTicket({
        subject: `Refund to my bank account (${Date.now()})`,
        body: `Please refund to IBAN ${PRIVATE.iban}: card ${PRIVATE.card} was charged twice. Call me on ${PRIVATE.phone} or write to ${PRIVATE.email}. I moved to ${PRIVATE.address}, London NW1 6XE.`,
      }),
    );
    const headers = { authorization: `Bearer ${await apiToken(baseURL!, DEMO.agent)}`, "content-type": "application/json" };
    await expect(async () => {
      const res = await fetch(`${baseURL}/api/accounts/${DEMO.account}/proposals/${taskId}`, { headers });
      expect(((await res.json()) as { status?: string }).status).toBe("awaiting_review");
    }).toPass({ timeout: 30_000 });
    const decided = await fetch(`${baseURL}/api/accounts/${DEMO.account}/tasks/${taskId}/decision`, {
      method: "POST",
      headers,
      body: JSON.stringify({ action: "edit", body: `Hello, we refunded the second charge. We tried ${PRIVATE.phone} without luck.` }),
    });
    expect(decided.status).toBe(200);

    // The lead finds the sample with the decision beside it.
    await signIn(page, DEMO.lead);
    await page.getByTestId("nav-samples").click();
    await expect(page.getByRole("heading", { level: 1, name: "Samples" })).toBeVisible();
    const row = page.locator("[data-testid=samples-table] tbody tr", { hasText: taskId });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId("sample-decision")).toHaveText("edited");
    await expect(row).toContainText(/\d+ email/);

    // Opened in full: the model's input and output with markers, the edit beside the draft.
    await row.getByTestId("sample-link").click();
    await expect(page).toHaveURL(/[?&]sample=s_[0-9a-f]{32}/);
    const detail = page.getByTestId("sample-detail");
    await expect(detail).toBeVisible();
    await expect(detail.getByTestId("sample-review-action")).toHaveText("edited");
    await expect(detail.getByTestId("sample-review-edit")).toContainText("We tried [phone] without luck.");
    const input = detail.getByTestId("sample-input");
    for (const marker of ["[email]", "[phone]", "[card]", "[iban]", "[address]"]) {
      await expect(input.getByTestId("redaction-marker").filter({ hasText: marker }).first()).toBeVisible();
    }
    await expect(detail.getByTestId("sample-output")).not.toContainText("(no draft)");
    const shown = await detail.innerText();
    for (const value of Object.values(PRIVATE)) expect(shown).not.toContain(value);

    // The evaluation set: one JSON object per line, this round's case with the edit as the reference answer.
    const download = page.waitForEvent("download");
    await page.getByTestId("samples-export").click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^samples-demo-\d{4}-\d{2}-\d{2}\.jsonl$/);
    const text = await readFile((await file.path())!, "utf8");
    const cases = text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { task_id: string; decision: { action: string } | null; final_text: string | null; input: unknown });
    const mine = cases.find((c) => c.task_id === taskId);
    expect(mine?.decision?.action).toBe("edit");
    expect(mine?.final_text).toBe("Hello, we refunded the second charge. We tried [phone] without luck.");
    expect(JSON.stringify(mine?.input)).toContain("[iban]");
    for (const value of Object.values(PRIVATE)) expect(text).not.toContain(value);
  } finally {
    // Leave the shared demo account as seeded for the other tests.
    await setSamples(baseURL!, { share: 5, keepDays: 30 });
  }
});
