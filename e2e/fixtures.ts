// A production server per test worker, on a temp database, shared by its tests.
// A file can ask for its own server with `test.use({ serverEnv: {...} })` or,
// when its figures must be exact, `test.use({ ownServer: "<file>" })`, or
// for the several-instances/Vercel shape (a libSQL server and an S3 bucket,
// both real and local) with `test.use({ backend: "libsql+s3" })`: Playwright
// starts a fresh worker (and server) for each distinct value.
// Page objects (e2e/pages) are fixtures too: `async ({ taskList, taskPage }) => ...`.
// Every test fails on an error in the browser (e2e/browser-errors.ts); one that
// provokes an HTTP error answer on purpose says so: `browserErrors.allowHttpError(404, "/x")`.
import { test as base, expect } from "@playwright/test";
import { startS3 } from "../tests/helpers/s3";
import { startServer, type TestServer } from "../tests/helpers/server";
import { BrowserErrors } from "./browser-errors";
import { ApiDocsPage } from "./pages/api-docs";
import { Shell } from "./pages/common";
import { InboxPage } from "./pages/inbox";
import { InsightsPage } from "./pages/insights";
import { LoginPage } from "./pages/login";
import { NotificationsPanel } from "./pages/notifications";
import { SetupPage } from "./pages/setup";
import { TaskListPage } from "./pages/task-list";
import { TaskPage } from "./pages/task-page";

type Backend = "sqlite+local" | "libsql+s3";

type Pages = {
  browserErrors: BrowserErrors;
  cspViolations: string[];
  shell: Shell;
  taskList: TaskListPage;
  taskPage: TaskPage;
  inbox: InboxPage;
  insights: InsightsPage;
  setupPage: SetupPage;
  loginPage: LoginPage;
  notifications: NotificationsPanel;
  apiDocs: ApiDocsPage;
};

export const test = base.extend<Pages, { server: TestServer; serverEnv: Record<string, string>; backend: Backend; ownServer: string }>({
  shell: async ({ page }, provide) => provide(new Shell(page)),
  taskList: async ({ page }, provide) => provide(new TaskListPage(page)),
  taskPage: async ({ page }, provide) => provide(new TaskPage(page)),
  inbox: async ({ page }, provide) => provide(new InboxPage(page)),
  insights: async ({ page }, provide) => provide(new InsightsPage(page)),
  setupPage: async ({ page }, provide) => provide(new SetupPage(page)),
  loginPage: async ({ page }, provide) => provide(new LoginPage(page)),
  notifications: async ({ page }, provide) => provide(new NotificationsPanel(page)),
  apiDocs: async ({ page }, provide) => provide(new ApiDocsPage(page)),
  serverEnv: [{}, { scope: "worker", option: true }],
  backend: ["sqlite+local", { scope: "worker", option: true }],
  // Read by no fixture: a distinct value is a distinct worker, hence a server no other file shares.
  ownServer: ["", { scope: "worker", option: true }],
  server: [
    async ({ serverEnv, backend }, provide) => {
      const s3 = backend === "libsql+s3" ? await startS3() : null;
      const server = await startServer({
        database: backend === "libsql+s3" ? "libsql" : "better-sqlite3",
        env: { ...s3?.env, ...serverEnv },
      });
      await provide(server);
      await server.close();
      await s3?.stop();
    },
    { scope: "worker" },
  ],
  baseURL: async ({ server }, provide) => provide(server.url),
  // Tests talk to 127.0.0.1 only: remote URLs in fixtures (provider CDNs) are never fetched.
  context: async ({ context }, provide) => {
    await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort("blockedbyclient"));
    await provide(context);
  },
  // Every test fails on an uncaught exception or a console error in its pages.
  browserErrors: [
    async ({ context }, provide) => {
      const watcher = new BrowserErrors();
      watcher.watch(context);
      await provide(watcher);
      expect(watcher.errors, "errors in the browser (uncaught exceptions, console errors)").toEqual([]);
    },
    { auto: true },
  ],
  // Every test fails on a Content-Security-Policy violation in the browser: a
  // blocked script or style breaks a page without any other visible error.
  cspViolations: [
    async ({ page }, provide) => {
      const violations: string[] = [];
      page.on("console", (message) => {
        if (message.text().includes("Content Security Policy")) violations.push(message.text());
      });
      await provide(violations);
      expect(violations, "Content-Security-Policy violations in the browser console").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
