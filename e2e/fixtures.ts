// A production server per test worker, on a temp database, shared by its tests.
// A file can ask for its own server with `test.use({ serverEnv: {...} })`:
// Playwright starts a fresh worker (and server) for each distinct value.
import { test as base } from "@playwright/test";
import { startServer, type TestServer } from "../tests/helpers/server";

export const test = base.extend<object, { server: TestServer; serverEnv: Record<string, string> }>({
  serverEnv: [{}, { scope: "worker", option: true }],
  server: [
    async ({ serverEnv }, provide) => {
      const server = await startServer({ env: serverEnv });
      await provide(server);
      await server.stop();
    },
    { scope: "worker" },
  ],
  baseURL: async ({ server }, provide) => provide(server.url),
  // Tests talk to 127.0.0.1 only: remote URLs in fixtures (provider CDNs) are never fetched.
  context: async ({ context }, provide) => {
    await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort("blockedbyclient"));
    await provide(context);
  },
});

export { expect } from "@playwright/test";
