// Requests to the libSQL server, counted: on Turso each one is a network round
// trip (5–80 ms), so their number is the latency users see. A counting proxy
// (tests/helpers/sqld-proxy.ts) sits between the app (WORKER=0, as on Vercel)
// and sqld; these are exact counts, so a change that adds a request fails here
// and must change the expectation on purpose.
//
// Which requests came before the answer: the proxy holds every chunk 100 ms in
// each direction, so the last request the answer waited for reached the proxy
// at least 100 ms before the answer reached the test, and every request made
// after the answer reached it later than the answer was sent.
import { createClient, type Client } from "@libsql/client/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePng } from "../scripts/lib/media";
import { coverFailure, coverSuccess } from "./helpers/callbacks";
import { bytes, startFileServer, type FileServer } from "./helpers/file-server";
import { uniqueTaskId } from "./helpers/ids";
import { startServer, type TestServer } from "./helpers/server";
import { startSqld, type Sqld } from "./helpers/sqld";
import { startSqldProxy, type SqldProxy } from "./helpers/sqld-proxy";
import { waitFor } from "./helpers/wait";

const ONE_WAY_MS = 100;
/** No request for this long: the work after an answer is over. */
const QUIET_MS = 1_500;

describe("requests to the libSQL server (WORKER=0)", () => {
  let sqld: Sqld;
  let proxy: SqldProxy;
  let files: FileServer;
  let server: TestServer;
  /** Reads straight from sqld, so the test's own reads are not counted. */
  let direct: Client;

  beforeAll(async () => {
    sqld = await startSqld();
    proxy = await startSqldProxy(sqld.url, { delayMs: ONE_WAY_MS });
    direct = createClient({ url: sqld.url });
    files = await startFileServer();
    files.route("/cover.png", bytes(makePng(64, 64, 3), "image/png"));
    server = await startServer({ databaseUrl: proxy.url, env: { WORKER: "0", DOWNLOAD_ALLOW_PRIVATE: "1" } });
    // Once per process, not per callback: the client's protocol check, the events cursor's first setting.
    await measure(() => server.callback(coverFailure(uniqueTaskId("warm"))));
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await files?.close();
    direct?.close();
    await proxy?.close();
    await sqld?.stop();
  });

  /** Runs `request` and waits until the work after it is over: how many requests came before its answer, and in all. */
  async function measure(request: () => Promise<Response>): Promise<{ status: number; before: number; all: number }> {
    await quiet();
    const start = proxy.requests().length;
    const response = await request();
    await response.arrayBuffer();
    const answeredAt = performance.now();
    const after = await quiet();
    const made = after.slice(start);
    return {
      status: response.status,
      before: made.filter((r) => r.at < answeredAt - ONE_WAY_MS / 2).length,
      all: made.length,
    };
  }

  /** Waits until no request has come for QUIET_MS; answers every request so far. */
  async function quiet() {
    let last = proxy.requests().length;
    let since = performance.now();
    return waitFor(
      () => proxy.requests(),
      (seen) => {
        if (seen.length !== last) [last, since] = [seen.length, performance.now()];
        return performance.now() - since >= QUIET_MS;
      },
      { what: "the app to stop sending requests", timeoutMs: 60_000 },
    );
  }

  // After the answer: finding events to notify is one read, and with no destination no write.
  it("a failure callback: 2 before its answer (one read, one guarded batch), 3 in all", async () => {
    const taskId = uniqueTaskId("rt-failed");
    const counted = await measure(() => server.callback(coverFailure(taskId)));
    expect(counted).toEqual({ status: 200, before: 2, all: 3 });
    const rows = await direct.execute({ sql: "select status from tasks where task_id = ?", args: [taskId] });
    expect(rows.rows.map((r) => r.status)).toEqual(["failed"]);
  });

  // After the answer: events (one read), the claim, the file stored, events again.
  it("a cover callback whose one file is stored after the answer: 2 before it, 6 in all", async () => {
    const taskId = uniqueTaskId("rt-cover");
    const counted = await measure(() => server.callback(coverSuccess(taskId, [`${files.url}/cover.png`])));
    const assets = await direct.execute({ sql: "select status from assets where task_id = ?", args: [taskId] });
    expect(assets.rows.map((r) => r.status)).toEqual(["stored"]);
    expect(counted).toEqual({ status: 200, before: 2, all: 6 });
  });

  it("GET / (the task list): 1", async () => {
    expect(await measure(() => fetch(`${server.url}/`))).toEqual({ status: 200, before: 1, all: 1 });
  });

  it("a task's page: 1", async () => {
    const taskId = uniqueTaskId("rt-page");
    await measure(() => server.callback(coverFailure(taskId)));
    expect(await measure(() => fetch(`${server.url}/tasks/${taskId}`))).toEqual({ status: 200, before: 1, all: 1 });
  });
});
