// Setup: the test callback end to end, and the submit forms' validation.
import { expect, test } from "./fixtures";

test("send a test callback → it is in the list → its page shows the gallery", async ({ page, setupPage, taskList, taskPage, shell }) => {
  await setupPage.goto();
  const taskId = await setupPage.sendTestCallbackAndGetTaskId();
  await expect(shell.toast("Test callback received")).toBeVisible();

  await shell.navLink("Tasks").click();
  const row = taskList.row(taskId);
  await expect(row).toContainText("succeeded");
  await expect(row).toContainText("2/2 stored");

  await row.getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/tasks/${taskId}$`));
  await expect(taskPage.images).toHaveCount(2);
  // The sample covers really load (served by this dashboard under /samples).
  await expect.poll(() => taskPage.images.evaluateAll((els) => els.map((el) => (el as HTMLImageElement).naturalWidth))).toEqual([480, 480]);

  // Lightbox: opens on click, arrows browse, Esc closes and focus returns.
  const dialog = taskPage.lightbox;
  await taskPage.opener(1).click();
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Cover 1 of 2");
  await expect(taskPage.closeLightbox()).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(dialog).toContainText("Cover 2 of 2");
  await page.keyboard.press("ArrowRight");
  await expect(dialog).toContainText("Cover 1 of 2");
  await page.keyboard.press("ArrowLeft");
  await expect(dialog).toContainText("Cover 2 of 2");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  // Focus returns to the thumbnail of the cover last shown.
  await expect(taskPage.opener(2)).toBeFocused();
  await taskPage.opener(1).click();
  await taskPage.closeLightbox().click();
  await expect(taskPage.opener(1)).toBeFocused();
});

test("the submit forms validate with the API's schema and show the server's refusal", async ({ page, setupPage, shell, browserErrors }) => {
  await setupPage.goto();
  await setupPage.chooseForm("WAV");
  await setupPage.musicTaskId.fill("has spaces!");
  await setupPage.submit("Convert to WAV").click();
  await expect(page.getByText("Music task id must be 1-128 letters, digits or _ . : -")).toBeVisible();
  await expect(page.getByText("Audio id is required")).toBeVisible();
  await expect(setupPage.musicTaskId).toHaveAttribute("aria-invalid", "true");

  // Valid input reaches the server, which refuses without SUNO_API_KEY (503); the reason is shown.
  browserErrors.allowHttpError(503, "/api/tasks");
  await setupPage.chooseForm("Cover");
  await setupPage.musicTaskId.fill("73d6128b3523a0079df10da9471017c8");
  await setupPage.submit("Generate cover").click();
  await expect(setupPage.submitError).not.toBeEmpty();
  await expect(shell.toast("The server refused")).toBeVisible();
});
