// Setup: the test callback end to end, and the submit forms' validation.
import { expect, test } from "./fixtures";

test("send a test callback → it is in the list → its page shows the gallery", async ({ page }) => {
  await page.goto("/setup");
  await page.getByRole("button", { name: "Send a test callback" }).click();
  const link = page.getByTestId("test-task-link");
  await expect(link).toBeVisible();
  const taskId = (await link.textContent())!.match(/test-[0-9a-f]+/)![0];
  await expect(page.getByTestId("toast").filter({ hasText: "Test callback received" })).toBeVisible();

  await page.getByRole("link", { name: "Tasks" }).click();
  const row = page
    .getByTestId("task-table")
    .getByRole("row")
    .filter({ has: page.getByTitle(taskId, { exact: true }) });
  await expect(row).toContainText("succeeded");
  await expect(row).toContainText("2/2 stored");

  await row.getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/tasks/${taskId}$`));
  const images = page.getByTestId("gallery").getByRole("img");
  await expect(images).toHaveCount(2);
  // The sample covers really load (served by this dashboard under /samples).
  await expect.poll(() => images.evaluateAll((els) => els.map((el) => (el as HTMLImageElement).naturalWidth))).toEqual([480, 480]);

  // Lightbox: opens on click, arrows browse, Esc closes and focus returns.
  const opener = page.getByRole("button", { name: "Open Cover 1 in the viewer" });
  await opener.click();
  const dialog = page.getByTestId("lightbox");
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Cover 1 of 2");
  await expect(dialog.getByRole("button", { name: /Close/ })).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(dialog).toContainText("Cover 2 of 2");
  await page.keyboard.press("ArrowRight");
  await expect(dialog).toContainText("Cover 1 of 2");
  await page.keyboard.press("ArrowLeft");
  await expect(dialog).toContainText("Cover 2 of 2");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  // Focus returns to the thumbnail of the cover last shown.
  await expect(page.getByRole("button", { name: "Open Cover 2 in the viewer" })).toBeFocused();
  await opener.click();
  await dialog.getByRole("button", { name: /Close/ }).click();
  await expect(opener).toBeFocused();
});

test("the submit forms validate with the API's schema and show the server's refusal", async ({ page }) => {
  await page.goto("/setup");
  await page.getByRole("tab", { name: "WAV" }).click();
  await page.getByLabel("Music task id").fill("has spaces!");
  await page.getByRole("button", { name: "Convert to WAV" }).click();
  await expect(page.getByText("Music task id must be 1-128 letters, digits or _ . : -")).toBeVisible();
  await expect(page.getByText("Audio id is required")).toBeVisible();
  await expect(page.getByLabel("Music task id")).toHaveAttribute("aria-invalid", "true");

  // Valid input reaches the server, which refuses without SUNO_API_KEY; the reason is shown.
  await page.getByRole("tab", { name: "Cover" }).click();
  await page.getByLabel("Music task id").fill("73d6128b3523a0079df10da9471017c8");
  await page.getByRole("button", { name: "Generate cover" }).click();
  await expect(page.getByTestId("submit-error")).not.toBeEmpty();
  await expect(page.getByTestId("toast").filter({ hasText: "The server refused" })).toBeVisible();
});
