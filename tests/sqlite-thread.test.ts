// The SQLite thread of a file: server (db/sqlite-thread.ts), on the built
// server: while callbacks arrive it indexes their bodies and checkpoints the
// WAL in place of the main connection, whose automatic checkpoint is off
// meanwhile. A WAL nobody checkpoints grows with every commit.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { setupServer } from "./helpers/drivers";
import { uniqueTaskId } from "./helpers/ids";

describe("the SQLite thread", () => {
  const server = setupServer("better-sqlite3");

  it("keeps the WAL checkpointed under a stream of callbacks", { timeout: 120_000 }, async () => {
    const family = uniqueTaskId("wal");
    const CALLBACKS = 3_000;
    let next = 0;
    // 16 at a time, as a busy provider would send them.
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < CALLBACKS) {
          const n = next++;
          const res = await server().callback({ code: 501, msg: "stream", data: { taskId: `${family}-${n}` } });
          expect(res.status).toBe(200);
        }
      }),
    );
    // Checkpointed every second: about 4 MiB at the end (the WAL file keeps its largest size). Never
    // checkpointed, these commits leave about 54 MiB (measured with the main connection's checkpoint off).
    const walMiB = fs.statSync(`${server().dbFile}-wal`).size / 2 ** 20;
    expect(walMiB).toBeLessThan(16);
  });
});
