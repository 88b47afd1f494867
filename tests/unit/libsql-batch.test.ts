// The batches db/client.ts writes itself in the server's JSON protocol
// (db/libsql-batch.ts), against a real sqld: values go in and come back as
// @libsql/client sends and reads them, and each step's outcome (ran, failed
// with the server's code, skipped by its condition) is told apart.
import { createClient, type Client } from "@libsql/client/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Batch, LibsqlError, pipelineEndpoint } from "@/db/libsql-batch";
import { libsqlFetch } from "@/db/libsql-fetch";
import { startSqld, type Sqld } from "../helpers/sqld";

let sqld: Sqld;
let client: Client;
beforeAll(async () => {
  sqld = await startSqld();
  client = createClient({ url: sqld.url, fetch: libsqlFetch, intMode: "number" });
  await client.execute("create table items (id integer primary key, name text not null unique, size integer, ratio real, data blob)");
});
afterAll(async () => {
  client?.close();
  await sqld?.stop();
});

describe("a batch in the server's JSON protocol", () => {
  it("sends and reads every kind of value as @libsql/client does", async () => {
    const values = [
      null,
      "text with é, 🎵 and a lone \ud83c half",
      1.5,
      42,
      2n ** 53n - 1n,
      true,
      new Date(1_700_000_000_000),
      new Uint8Array([0, 1, 254, 255]),
    ];
    const select = `select ${values.map(() => "?").join(", ")}`;
    const batch = new Batch();
    const step = batch.add(select, values, { rows: true });
    const [outcome] = await batch.send(pipelineEndpoint(new URL(sqld.url), undefined));
    const expected = (await client.execute({ sql: select, args: values })).rows[0]!;
    expect(outcome).toMatchObject({ status: "ok" });
    const row = (outcome as { rows: unknown[][] }).rows[0]!;
    expect(row).toEqual(Array.from({ length: values.length }, (_, i) => expected[i]));
    expect(step).toBe(0);
    // The lone half of a surrogate pair is stored as U+FFFD, as SQLite does in a file.
    expect(row[1]).toBe("text with é, 🎵 and a lone \ufffd half");
  });

  it("tells steps that ran, failed (with the server's code) and were skipped by their condition", async () => {
    const batch = new Batch();
    const begin = batch.add("BEGIN IMMEDIATE", []);
    const first = batch.add("insert into items (name, size) values (?, ?)", ["one", 1], { when: { type: "ok", step: begin } });
    const taken = batch.add("insert into items (name) values (?)", ["one"], { when: { type: "ok", step: first } });
    const skipped = batch.add("insert into items (name) values (?)", ["two"], { when: { type: "ok", step: taken } });
    const commit = batch.add("COMMIT", [], { when: { type: "ok", step: first } });
    batch.add("ROLLBACK", [], { when: { type: "not", cond: { type: "ok", step: commit } } });
    const outcomes = await batch.send(pipelineEndpoint(new URL(sqld.url), undefined));
    expect(outcomes[first]).toEqual({ status: "ok", rows: [], changes: 1, lastInsertRowid: 1 });
    expect(outcomes[taken]).toMatchObject({ status: "failed", error: expect.any(LibsqlError) });
    expect((outcomes[taken] as { error: LibsqlError }).error).toMatchObject({
      code: "SQLITE_CONSTRAINT",
      message: expect.stringContaining("UNIQUE"),
    });
    expect(outcomes[skipped]).toEqual({ status: "skipped" });
    expect(outcomes[commit]).toMatchObject({ status: "ok" });
    expect((await client.execute("select name from items order by id")).rows.map((r) => r.name)).toEqual(["one"]);
  });

  it("answers a refused request with the server's message", async () => {
    const batch = new Batch();
    batch.add("select 1", []);
    await expect(batch.send(pipelineEndpoint(new URL("v9/", sqld.url), undefined))).rejects.toThrow(LibsqlError);
  });
});
