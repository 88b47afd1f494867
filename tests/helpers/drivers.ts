// Runs a test file's tests once per database driver, each with its own server:
//
//   describeEachDatabase("callbacks", (database) => {
//     const server = setupServer(database, { env: { WORKER: "0" } });
//     it("stores a callback", async () => {
//       await server().callback(...);
//       expect(await server().sql("select count(*) as n from tasks")).toEqual([{ n: 1 }]);
//     });
//   });
//
// TEST_DATABASE=better-sqlite3 (or =libsql) runs only that driver, here and as
// the default driver of every other startServer() call:
//   TEST_DATABASE=libsql npx vitest run tests/callbacks.test.ts
// Not imported by server.ts (Playwright and the scripts load that one without vitest).
import { afterAll, beforeAll, describe } from "vitest";
import { startServer, type DatabaseDriver, type StartOptions, type TestServer } from "./server";

export const DATABASES = ["better-sqlite3", "libsql"] as const satisfies readonly DatabaseDriver[];

/** The drivers to test: all of DATABASES, or only $TEST_DATABASE when it is set. */
export function selectedDatabases(): DatabaseDriver[] {
  const only = process.env.TEST_DATABASE?.trim();
  if (!only) return [...DATABASES];
  if (!(DATABASES as readonly string[]).includes(only)) {
    throw new Error(`TEST_DATABASE must be one of ${DATABASES.join(", ")}, not ${JSON.stringify(only)}`);
  }
  return [only as DatabaseDriver];
}

/** `describe(name [driver], ...)` once per selected driver (built on describe.each). */
export function describeEachDatabase(name: string, fn: (database: DatabaseDriver) => void): void {
  describe.each(selectedDatabases())(`${name} [%s]`, fn);
}

/**
 * Inside a describe: starts a server on `database` before its tests and closes
 * it (app and its sqld) after them. Returns a getter for the server.
 */
export function setupServer(database: DatabaseDriver, options: Omit<StartOptions, "database"> = {}): () => TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startServer({ ...options, database });
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error(`The ${database} server is not running (did its beforeAll fail?)`);
    return server;
  };
}
