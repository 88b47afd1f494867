// The libSQL transport keeps the client's one-shot streams open on the server
// (db/libsql-streams.ts), against a real sqld. Which server connection ran a
// request shows in connection-local state: `PRAGMA foreign_keys = off` on one
// connection is read back only on the same one.
import { createClient, type Client } from "@libsql/client/http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { libsqlFetch } from "@/db/libsql-fetch";
import { asClosed } from "@/db/libsql-streams";
import { freePort } from "../helpers/ports";
import { startSqld, type Sqld } from "../helpers/sqld";
import { startSqldProxy } from "../helpers/sqld-proxy";

let sqld: Sqld;
let client: Client;
beforeAll(async () => {
  sqld = await startSqld({ keepDir: true });
  client = createClient({ url: sqld.url, fetch: libsqlFetch });
  await client.execute("create table items (id integer primary key, name text not null unique)");
});
afterAll(async () => {
  client?.close();
  await sqld?.stop();
});

// Each test on a client of its own: streams are kept per server and credentials
// (which a sqld without auth ignores), and an earlier test's may still be kept.
let tests = 0;
beforeEach(() => {
  client.close();
  client = createClient({ url: sqld.url, authToken: `test-${++tests}`, fetch: libsqlFetch });
});
const mark = () => client.execute("pragma foreign_keys = off");
const marked = async () => (await client.execute("pragma foreign_keys")).rows[0]![0] === 0;

describe("libSQL streams kept open between requests", () => {
  it("requests in turn run on one server connection, and answer as the client expects", async () => {
    await mark();
    // A batch repeating a statement (the client stores its text on the stream, then refers to it by id).
    const insert = { sql: "insert into items (name) values (?)", args: ["a"] };
    const results = await client.batch([insert, { ...insert, args: ["b"] }, { ...insert, args: ["c"] }], "write");
    expect(results.map((r) => [r.rowsAffected, Number(r.lastInsertRowid)])).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
    ]);
    // The next batch stores its own texts under the same ids: the last ones were freed.
    const read = await client.batch(["select name from items order by id", "select count(*) as n from items"], "read");
    expect(read[0]!.rows.map((r) => r.name)).toEqual(["a", "b", "c"]);
    expect(read[1]!.rows[0]!.n).toBe(3);
    expect(await marked()).toBe(true);
  });

  it("requests at once each have a stream of their own", async () => {
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 2 === 0
          ? client.execute({ sql: "select ? as n", args: [i] }).then((r) => r.rows[0]!.n)
          : client.batch([{ sql: "select ? as n", args: [i] }], "read").then((r) => r[0]!.rows[0]!.n),
      ),
    );
    expect(answers).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it("a stream whose batch failed and rolled back is kept, with nothing of the batch left and no lock held", async () => {
    await mark();
    expect(await marked()).toBe(true);
    const failing = client.batch(
      [
        { sql: "insert into items (name) values (?)", args: ["d"] },
        { sql: "insert into items (name) values (?)", args: ["a"] }, // unique: fails, the batch rolls back
      ],
      "write",
    );
    await expect(failing).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_CONSTRAINT/) });
    // The batch's ROLLBACK ran: the same connection, out of any transaction, serves the next request.
    expect(await marked()).toBe(true);
    const other = createClient({ url: sqld.url });
    try {
      // Another writer goes straight through, and sees nothing of the failed batch.
      await other.execute({ sql: "insert into items (name) values (?)", args: ["e"] });
      expect((await other.execute("select name from items order by id")).rows.map((r) => r.name)).toEqual(["a", "b", "c", "e"]);
      // And the kept stream is outside a transaction: its write is seen by others at once.
      await client.execute({ sql: "insert into items (name) values (?)", args: ["g"] });
      expect((await other.execute("select count(*) as n from items where name = 'g'")).rows[0]!.n).toBe(1);
    } finally {
      other.close();
    }
  });

  it("a stream whose request failed outright is closed, not kept", async () => {
    await mark();
    expect(await marked()).toBe(true);
    await expect(client.execute({ sql: "insert into items (name) values (?)", args: ["a"] })).rejects.toMatchObject({
      code: expect.stringMatching(/^SQLITE_CONSTRAINT/),
    });
    expect(await marked()).toBe(false);
  });

  it("a stream the server no longer knows (it restarted) is replaced, and the request runs once", async () => {
    await mark();
    expect(await marked()).toBe(true);
    const { port, dir } = sqld;
    await sqld.stop();
    sqld = await startSqld({ port, dir, keepDir: true });
    await client.execute({ sql: "insert into items (name) values (?)", args: ["f"] });
    expect((await client.execute("select count(*) as n from items where name = 'f'")).rows[0]!.n).toBe(1);
    expect(await marked()).toBe(false);
  });

  it("a stream idle for longer than it may be kept is not used again", async () => {
    await mark();
    await new Promise((resolve) => setTimeout(resolve, 5_200));
    expect(await marked()).toBe(false);
  });

  it("a kept stream goes to the address the server names for it (sticky sessions behind a proxy)", async () => {
    // sqld answers each request with its own address as the stream's base URL; the client reaches it through a proxy.
    const port = await freePort();
    const direct = await startSqld({ port, args: ["--http-self-url", `http://127.0.0.1:${port}/`] });
    const proxy = await startSqldProxy(direct.url);
    const behind = createClient({ url: proxy.url, fetch: libsqlFetch });
    try {
      await behind.execute("pragma foreign_keys = off");
      expect((await behind.execute("pragma foreign_keys")).rows[0]![0]).toBe(0);
      // Only the request that opened the stream went through the proxy.
      expect(proxy.requests()).toHaveLength(1);
    } finally {
      behind.close();
      await proxy.close();
      await direct.stop();
    }
  });
});

describe("an answer read as the client expects it", () => {
  // sqld's layout, as the fast path reads it: a batch result, then the two close_sql results added for the stored texts.
  const batch = { type: "ok", response: { type: "batch", result: { step_results: [null], step_errors: [null] } } };
  const freed = { type: "ok", response: { type: "close_sql" } };
  const expected = { baton: null, base_url: null, results: [batch, { type: "ok", response: { type: "close" } }] };

  it("in sqld's field order and in any other, alike", () => {
    const answer = { baton: "b4t0n", base_url: null, results: [batch, freed, freed] };
    const sqld = asClosed(JSON.stringify(answer), 2);
    const other = asClosed(JSON.stringify({ results: answer.results, base_url: null, baton: "b4t0n" }), 2);
    for (const read of [sqld, other]) {
      expect(JSON.parse(read.body)).toEqual(expected);
      expect(read).toMatchObject({ baton: "b4t0n", baseUrl: null, leftOpen: false });
    }
  });

  // A batch: BEGIN, a statement, COMMIT, and the ROLLBACK that runs only when something failed.
  const failedBatch = (rolledBack: boolean) => ({
    ...batch,
    response: {
      ...batch.response,
      result: { step_results: [{}, null, null, rolledBack ? {} : null], step_errors: [null, { message: "UNIQUE", code: "X" }, null, null] },
    },
  });

  it("tells a failed batch that left its transaction open, in either order", () => {
    const answer = { baton: "b4t0n", base_url: "http://db.example/", results: [failedBatch(false)] };
    expect(asClosed(JSON.stringify(answer), 0)).toMatchObject({ leftOpen: true, baseUrl: "http://db.example/" });
    expect(asClosed(JSON.stringify({ results: answer.results, baton: "b4t0n" }), 0)).toMatchObject({ leftOpen: true, baseUrl: null });
  });

  it("tells a group's batch whose COMMIT ran after a guard refused one of its writes: no transaction left", () => {
    // BEGIN, a write's guard (refused), the next write's statement, COMMIT, the ROLLBACK skipped.
    const committed = {
      ...batch,
      response: {
        ...batch.response,
        result: { step_results: [{}, null, {}, {}, null], step_errors: [null, { message: "NOT NULL", code: "X" }, null, null, null] },
      },
    };
    expect(asClosed(JSON.stringify({ baton: "b4t0n", base_url: null, results: [committed] }), 0)).toMatchObject({ leftOpen: false });
  });

  it("tells a failed batch that ended with its rollback, and a failed request, in either order", () => {
    const rolledBack = { baton: "b4t0n", base_url: null, results: [failedBatch(true)] };
    const failed = { baton: "b4t0n", base_url: null, results: [{ type: "error", error: { message: "no such table", code: "X" } }] };
    for (const order of [(a: object) => a, ({ baton, ...rest }: { baton: string }) => ({ ...rest, baton })]) {
      expect(asClosed(JSON.stringify(order(rolledBack)), 0)).toMatchObject({ leftOpen: false });
      expect(asClosed(JSON.stringify(order(failed)), 0)).toMatchObject({ leftOpen: true });
    }
  });
});
