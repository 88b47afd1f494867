// The sqld test helper: a real libSQL server, reachable through @libsql/client's
// HTTP entry, whose batches are atomic, and which stops without leaving anything.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client/http";
import { afterAll, describe, expect, it } from "vitest";
import { startSqld, type Sqld } from "./helpers/sqld";

const started: Sqld[] = [];
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
});

async function start(options?: Parameters<typeof startSqld>[0]) {
  const sqld = await startSqld(options);
  started.push(sqld);
  return sqld;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function connectError(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(null);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe("startSqld", () => {
  it("serves SQL over HTTP, rolls back a failing write batch, and stops completely", async () => {
    const sqld = await start();
    expect(sqld.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${sqld.url}/health`)).status).toBe(200);

    const client = createClient({ url: sqld.url });
    try {
      await client.execute("create table items (id integer primary key, name text not null unique)");
      await client.execute({ sql: "insert into items (name) values (?)", args: ["first"] });
      expect((await client.execute("select id, name from items")).rows.map((r) => ({ ...r }))).toEqual([{ id: 1, name: "first" }]);

      // The 2nd statement violates the unique constraint: the 1st must be undone with it.
      await expect(
        client.batch(
          [
            { sql: "insert into items (name) values (?)", args: ["second"] },
            { sql: "insert into items (name) values (?)", args: ["first"] },
          ],
          "write",
        ),
      ).rejects.toThrow(/UNIQUE constraint failed/);
      expect((await client.execute("select name from items order by id")).rows.map((r) => r.name)).toEqual(["first"]);
    } finally {
      client.close();
    }

    const { pid, port, dir } = sqld;
    expect(pidAlive(pid)).toBe(true);
    await sqld.stop();
    await sqld.stop(); // idempotent
    expect(sqld.running()).toBe(false);
    expect(pidAlive(pid)).toBe(false);
    expect(await connectError(port)).toBe("ECONNREFUSED");
    expect(fs.existsSync(dir)).toBe(false); // its own temporary folder is removed
  });

  it("gives every start its own port and folder", async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a.port).not.toBe(b.port);
    expect(a.dir).not.toBe(b.dir);
    expect(a.pid).not.toBe(b.pid);
    await Promise.all([a.stop(), b.stop()]);
  });

  it("keeps the data of a given folder across a restart on the same port", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "suno-sqld-keep-"));
    try {
      const first = await start({ dir });
      const client = createClient({ url: first.url });
      await client.batch(["create table kept (v text)", "insert into kept values ('still here')"], "write");
      client.close();
      await first.stop();
      expect(fs.existsSync(dir)).toBe(true); // a given folder is never removed

      const second = await start({ dir, port: first.port });
      expect(second.url).toBe(first.url);
      const again = createClient({ url: second.url });
      expect((await again.execute("select v from kept")).rows.map((r) => r.v)).toEqual(["still here"]);
      again.close();
      await second.stop();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
