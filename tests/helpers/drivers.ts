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
import type { InValue } from "@libsql/client/http";
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

/**
 * Runs one write on a server's database from the test process, whatever the
 * driver, and answers how many rows it changed: for states no endpoint can make
 * (e.g. a task first seen two days ago). `server.sql()` is for reads.
 */
export async function writeSql(server: TestServer, query: string, args: unknown[] = []): Promise<number> {
  if (server.databaseUrl.startsWith("file:")) {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(server.dbFile, { fileMustExist: true });
    try {
      db.pragma("busy_timeout = 5000"); // the app's worker writes too
      return db.prepare(query).run(...args).changes;
    } finally {
      db.close();
    }
  }
  const { createClient } = await import("@libsql/client/http");
  const client = createClient({ url: server.databaseUrl, authToken: server.env.DATABASE_AUTH_TOKEN || undefined });
  try {
    return (await client.execute({ sql: query, args: args as InValue[] })).rowsAffected;
  } finally {
    client.close();
  }
}
