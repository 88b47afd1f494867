import { expect, test } from "./fixtures";

test("the dashboard's home page renders", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByText("Suno callback dashboard")).toBeVisible();
});
