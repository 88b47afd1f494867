// Group commit: transactions asked for together share a commit, yet a failing
// one undoes only its own writes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "suno-unit-"));
process.env.DATABASE_URL = `file:${path.join(dir, "unit.db")}`;

let client: typeof import("@/db/client");
let schema: typeof import("@/db/schema");
beforeAll(async () => {
  client = await import("@/db/client");
  schema = await import("@/db/schema");
});

const setting = (key: string) => client.getDb().select().from(schema.settings).where(eq(schema.settings.key, key)).get()?.value;

it("commits the transactions of one turn together and isolates a failure", async () => {
  const { writeTransaction } = client;
  const { settings } = schema;
  const results = await Promise.allSettled([
    writeTransaction((tx) => tx.insert(settings).values({ key: "a", value: "1" }).run()),
    writeTransaction((tx) => {
      tx.insert(settings).values({ key: "b", value: "1" }).run();
      throw new Error("boom");
    }),
    writeTransaction((tx) => tx.insert(settings).values({ key: "c", value: "1" }).run()),
    writeTransaction((tx) => tx.insert(settings).values({ key: "a", value: "duplicate key" }).run()),
  ]);
  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "rejected"]);
  expect([setting("a"), setting("b"), setting("c")]).toEqual(["1", undefined, "1"]);
});

it("answers values from the work", async () => {
  const answer = await client.writeTransaction((tx) => tx.insert(schema.settings).values({ key: "d", value: "x" }).returning().all());
  expect(answer).toEqual([{ key: "d", value: "x" }]);
});
