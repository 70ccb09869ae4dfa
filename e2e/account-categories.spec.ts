// An admin adds a category of the account's own on the Operations page: a
// refused save names its field, a saved one shows in the list and in the
// review queue's category filter, and it can be deleted again.
import { expect, test } from "@playwright/test";
import { DEMO, hydrated, signIn } from "./helpers";

test("an admin adds a category; it shows in the list and in the queue's filter", async ({ page }) => {
  const id = `e2e-${Date.now().toString(36)}`;
  const name = `E2E imports ${id.slice(4)}`;
  await signIn(page, "admin@demo.test");
  // A full load, then nothing loading any more: the form is hydrated before it is typed into (the first
  // test of a fresh server waits for the dev server's first compile, and typing into server HTML is lost).
  await page.goto(`/accounts/${DEMO.account}/operations`, { waitUntil: "networkidle" });
  await expect(page.getByRole("heading", { name: "Categories" })).toBeVisible();

  const add = page.getByRole("form", { name: "Add a category" });
  // A built-in id is refused beside the field, and nothing is saved.
  await page.getByTestId("ops-category-new-name").fill(name);
  await page.getByTestId("ops-category-new-id").fill("billing");
  await page.getByTestId("ops-category-new-description").fill("Importing contacts from CSV or Excel files.");
  await page.getByTestId("ops-category-new-examples").fill("The CSV import stops after a few hundred rows\nDer CSV-Import bricht ab");
  await page.getByTestId("ops-category-new-queue").fill("data-onboarding");
  await page.getByTestId("ops-category-new-save").click();
  await expect(add.locator("#ops-category-new-id-error")).toContainText("built-in category");
  await expect(page.getByTestId("ops-category-new-id")).toHaveAttribute("aria-invalid", "true");

  try {
    await page.getByTestId("ops-category-new-id").fill(id);
    await page.getByTestId("ops-category-new-save").click();
    const row = page.getByTestId(`ops-category-${id}`);
    await expect(row).toBeVisible();
    await expect(row.getByTestId("ops-category-name")).toHaveText(name);
    await expect(row).toContainText("2 examples · handoff to data-onboarding");
    // The add form is empty again for the next one.
    await expect(page.getByTestId("ops-category-new-name")).toHaveValue("");

    await page.goto(`/accounts/${DEMO.account}/queue`);
    await hydrated(page);
    const option = page.getByTestId("queue-filter-category").locator(`option[value="${id}"]`);
    await expect(option).toHaveText(name);
    await page.getByTestId("queue-filter-category").selectOption(id);
    await expect(page).toHaveURL(new RegExp(`category=${id}`));

    await page.goto(`/accounts/${DEMO.account}/operations`);
    await hydrated(page);
    await page.getByTestId(`ops-category-${id}`).locator("summary").click();
    await page.getByTestId(`ops-category-${id}-delete`).click();
    await expect(page.getByTestId(`ops-category-${id}`)).toHaveCount(0);
  } finally {
    // Never leave a category in the shared demo account.
    const res = await page.request.get(`/api/accounts/${DEMO.account}/operations`);
    const { policy } = (await res.json()) as { policy: { categories: { id: string }[] } };
    if (policy.categories.some((c) => c.id === id)) {
      await page.request.patch(`/api/accounts/${DEMO.account}/operations`, {
        data: { policy: { ...policy, categories: policy.categories.filter((c) => c.id !== id) } },
      });
    }
  }
});
