// Admins switch the triage write-back per connector on the Connectors page.
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("each help desk's card offers write-back, off by default, with the fields that help desk takes", async ({ page }) => {
  await signIn(page, "admin@demo.test");
  await page.getByTestId("nav-connectors").click();
  const toggle = page.getByTestId("connector-write-back-toggle-zendesk");
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expect(page.getByTestId("connector-write-back-field-zendesk-tags")).toBeChecked();
  await expect(page.getByTestId("connector-write-back-field-zendesk-priority")).toBeChecked();
  // Help Scout has no priority; Generic has no write-back at all.
  await expect(page.getByTestId("connector-write-back-field-helpscout-tags")).toBeVisible();
  await expect(page.getByTestId("connector-write-back-field-helpscout-priority")).toHaveCount(0);
  await expect(page.getByTestId("connector-write-back-generic")).toHaveCount(0);
  // The demo has no outbound settings: switching on says what is missing and stays off.
  await toggle.click();
  await expect(page.getByTestId("connector-write-back-result-zendesk")).toContainText(
    "set the Zendesk API base URL and credentials before switching write-back on",
  );
  await expect(toggle).toHaveAttribute("aria-checked", "false");
});
