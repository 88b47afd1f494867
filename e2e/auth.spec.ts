// DASHBOARD_PASSWORD set: login, sessions, the open routes, cross-origin refusal.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

const PASSWORD = "correct horse battery staple";
test.use({ serverEnv: { DASHBOARD_PASSWORD: PASSWORD } });

test("pages redirect to the login; a wrong password is refused, the right one lets in; logout logs out", async ({
  page,
  context,
  loginPage,
  setupPage,
  shell,
}) => {
  await page.goto("/deliveries?verdict=rejected");
  await expect(page).toHaveURL(/\/login\?next=%2Fdeliveries%3Fverdict%3Drejected$/);

  await loginPage.logIn("not the password");
  await expect(loginPage.error).toHaveRole("alert");
  await expect(loginPage.error).toHaveText("That password is not right.");
  expect((await context.cookies()).find((c) => c.name === "suno_session")).toBeUndefined();

  await loginPage.logIn(PASSWORD);
  await expect(page).toHaveURL(/\/deliveries\?verdict=rejected$/);
  await expect(shell.heading("Inbox")).toBeVisible();

  const cookie = (await context.cookies()).find((c) => c.name === "suno_session");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false, path: "/" });
  // This browser is now known: password guessing from elsewhere cannot lock it out.
  const device = (await context.cookies()).find((c) => c.name === "suno_device");
  expect(device).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });

  // The session works for the API the pages use.
  expect((await page.request.get("/api/tasks")).status()).toBe(200);

  // The login page sends a logged-in user on.
  await loginPage.goto("/setup");
  await expect(page).toHaveURL(/\/setup$/);

  // Setup no longer warns that the dashboard is open.
  await setupPage.goto();
  await expect(shell.heading("Setup")).toBeVisible();
  await expect(setupPage.openNotice).toHaveCount(0);

  await loginPage.logout.click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
});

test("the API refuses without a session; callbacks and health stay open", async ({ playwright, server }) => {
  const api = await playwright.request.newContext({ baseURL: server.url });
  for (const path of ["/api/tasks", "/api/deliveries", "/api/stats", "/api/tasks/anything"]) {
    const res = await api.get(path);
    expect(res.status(), path).toBe(401);
    expect((await res.json()).error.code).toBe("unauthorized");
  }
  expect((await api.post("/api/setup/test-callback")).status()).toBe(401);
  expect((await api.get("/api/health")).status()).toBe(200);
  expect((await server.callback({ code: 501, msg: "no", data: { taskId: "auth-open-1" } })).status).toBe(200);
  expect((await server.callback({ code: 501, msg: "no", data: { taskId: "auth-open-2" } }, { path: "/api/callbacks/cover" })).status).toBe(
    200,
  );
  // A forged cookie is no session.
  const forged = await api.get("/api/tasks", { headers: { cookie: `suno_session=${Date.now() + 1e9}.${"A".repeat(43)}` } });
  expect(forged.status()).toBe(401);
  await api.dispose();
});

test("state-changing requests from another origin are refused", async ({ page, server, loginPage, shell }) => {
  await loginPage.goto();
  await loginPage.logIn(PASSWORD);
  await expect(shell.heading("Tasks")).toBeVisible();

  const crossSite = await page.request.post("/api/setup/test-callback", { headers: { origin: "https://evil.example" } });
  expect(crossSite.status()).toBe(403);
  const sameOrigin = await page.request.post("/api/setup/test-callback", { headers: { origin: server.url } });
  expect(sameOrigin.status()).toBe(201);
  // The login form itself is protected the same way.
  const crossLogin = await page.request.post("/api/auth/login", {
    headers: { origin: "https://evil.example" },
    form: { password: PASSWORD },
  });
  expect(crossLogin.status()).toBe(403);
});

test("log out everywhere ends the sessions of every browser", async ({ page, browser, server, browserErrors }) => {
  const other = await browser.newContext({ baseURL: server.url });
  browserErrors.watch(other);
  const otherPage = await other.newPage();
  const logIn = async (p: Page) => {
    await p.goto("/login?next=%2Fsetup");
    await p.getByLabel("Password").fill(PASSWORD);
    await p.getByRole("button", { name: "Log in" }).click();
    await expect(p.getByRole("heading", { name: "Setup" })).toBeVisible();
  };
  const activeSessions = page.getByTestId("active-sessions");
  // Earlier tests may have left sessions: count from what this one sees first.
  await logIn(page);
  await expect(activeSessions).toHaveText(/^\d+ active sessions?$/);
  const before = Number((await activeSessions.textContent())!.split(" ")[0]);
  await logIn(otherPage);
  await page.reload();
  await expect(activeSessions).toHaveText(`${before + 1} active sessions`);

  await page.getByRole("button", { name: "Log out everywhere" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await otherPage.goto("/setup");
  await expect(otherPage).toHaveURL(/\/login\?next=%2Fsetup$/);
  await other.close();
});
