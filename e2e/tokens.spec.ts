// Scripting from the browser's side, behind DASHBOARD_PASSWORD: the setup
// page's API tokens card (make, copy, its curl line run as shown, revoke) and
// the API page that renders the OpenAPI document.
import { execFileSync } from "node:child_process";
import { expect, test } from "./fixtures";

const PASSWORD = "tokens e2e password 0123";
test.use({ serverEnv: { DASHBOARD_PASSWORD: PASSWORD } });

test.beforeEach(async ({ page, loginPage }) => {
  await loginPage.goto("/setup");
  await loginPage.logIn(PASSWORD);
  await expect(page).toHaveURL(/\/setup$/);
});

/** Runs the card's curl line in a shell, as a user pasting it would; answers its exit code and output. */
function runShown(command: string): { code: number; output: string } {
  try {
    return {
      code: 0,
      output: execFileSync("bash", ["-c", command], { encoding: "utf8", timeout: 20_000, stdio: ["ignore", "pipe", "pipe"] }),
    };
  } catch (error) {
    return { code: (error as { status: number }).status, output: String((error as { stdout?: string }).stdout ?? "") };
  }
}

test("make a token: shown once with a copy button and a curl line that works; revoked, it stops", async ({ page, context, setupPage }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const token = await setupPage.makeApiToken("e2e script", "read");
  expect(token).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);

  await setupPage.copyToken.click();
  await expect(setupPage.copyToken).toContainText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  const curl = (await setupPage.newTokenCurl.textContent()) ?? "";
  expect(curl).toContain(token);
  const first = runShown(curl);
  expect(first.code).toBe(0);
  expect(JSON.parse(first.output)).toMatchObject({ items: expect.any(Array) });

  const row = setupPage.token("e2e script");
  await expect(row).toContainText("read");
  // The curl line used it: after a refresh of the list its last use is shown.
  await page.reload();
  await expect(setupPage.token("e2e script").getByTestId("api-token-last-used")).toContainText("last used");
  // Shown once: the page no longer has it.
  await expect(setupPage.newToken).toHaveCount(0);
  expect(await page.content()).not.toContain(token);

  await setupPage.revokeToken("e2e script");
  await expect(setupPage.token("e2e script")).toHaveCount(0);
  // curl -f exits 22 on the 401.
  expect(runShown(curl).code).toBe(22);
});

test("the API page renders every operation of the document, with its parameters, answers and schemas", async ({ page, shell, apiDocs }) => {
  await shell.navLink("API").click();
  await expect(page).toHaveURL(/\/api-docs$/);
  await expect(apiDocs.title).toBeVisible();

  const document = (await (await page.request.get("/api/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
  const count = Object.values(document.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
  await expect(apiDocs.operations).toHaveCount(count);

  const list = apiDocs.operation("listTasks");
  await expect(list).toContainText("GET");
  await expect(list).toContainText("/api/tasks");
  await list.locator("summary").click();
  await expect(list).toContainText("status");
  await expect(list).toContainText("unauthorized");
  await list.getByRole("link", { name: "TaskPage" }).click();
  await expect(apiDocs.schema("TaskPage")).toBeInViewport();
  await expect(apiDocs.schema("TaskPage")).toContainText("nextCursor");

  const make = apiDocs.operation("createToken");
  await make.locator("summary").click();
  await expect(make).toContainText("session_required");
  await expect(make).toContainText("nightly backup");
});
