import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium where installed (CI, this machine); Playwright's own browser elsewhere.
const systemChromium = "/usr/bin/chromium";
const executablePath = fs.existsSync(systemChromium) ? systemChromium : undefined;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  forbidOnly: true,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    screenshot: "on",
    trace: "retain-on-failure",
    ...devices["Desktop Chrome"],
    // Far from UTC and en-US, which the pages print dates and numbers in: a
    // page that formats them differently in the browser than on the server
    // fails hydration, which the fixture turns into a failed test.
    timezoneId: "America/Los_Angeles",
    locale: "de-DE",
    launchOptions: {
      executablePath,
      args: [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
