// A production server per test worker, on a temp database, shared by its tests.
import { test as base } from "@playwright/test";
import { startServer, type TestServer } from "../tests/helpers/server";

export const test = base.extend<object, { server: TestServer }>({
  server: [
    async ({}, provide) => {
      const server = await startServer();
      await provide(server);
      await server.stop();
    },
    { scope: "worker" },
  ],
  baseURL: async ({ server }, provide) => provide(server.url),
});

export { expect } from "@playwright/test";
