// Requests to the libSQL server, counted: on Turso each one is a network round
// trip (5–80 ms), so their number is the latency users see. A counting proxy
// (tests/helpers/sqld-proxy.ts) sits between the app (WORKER=0, as on Vercel)
// and sqld; these are exact counts, so a change that adds a request fails here
// and must change the expectation on purpose.
//
// Which requests came before the answer: the proxy holds every chunk 100 ms in
// each direction (countRequests in tests/helpers/sqld-proxy.ts says why that
// tells them apart).
//
// The dashboard is password-protected, as deployments are: pages carry a
// session (one read in proxy.ts), API scripts a bearer token (one read: the
// token and the login limiter's lock together).
import { createClient, type Client } from "@libsql/client/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePng } from "../scripts/lib/media";
import { coverFailure, coverSuccess } from "./helpers/callbacks";
import { bytes, startFileServer, type FileServer } from "./helpers/file-server";
import { uniqueTaskId } from "./helpers/ids";
import { startServer, type TestServer } from "./helpers/server";
import { startSqld, type Sqld } from "./helpers/sqld";
import { countRequests, startSqldProxy, type SqldProxy } from "./helpers/sqld-proxy";
import { loginCookie, requestJson } from "./helpers/http";

const ONE_WAY_MS = 100;
const PASSWORD = "round trips password 0123";
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
    server = await startServer({ databaseUrl: proxy.url, env: { WORKER: "0", DOWNLOAD_ALLOW_PRIVATE: "1", DASHBOARD_PASSWORD: PASSWORD } });
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
    const { status, before, all } = await countRequests(proxy, request, { oneWayMs: ONE_WAY_MS, quietMs: QUIET_MS });
    return { status, before, all };
  }

  // Before the answer, a callback for a task new to the dashboard is one batch: the
  // task's read and the write planned for a new task, guarded. After the answer:
  // finding events to notify is one read, and with no destination no write.
  it("a failure callback for a new task: 1 before its answer (the read and the guarded write together), 2 in all", async () => {
    const taskId = uniqueTaskId("rt-failed");
    const counted = await measure(() => server.callback(coverFailure(taskId)));
    expect(counted).toEqual({ status: 200, before: 1, all: 2 });
    const rows = await direct.execute({ sql: "select status from tasks where task_id = ?", args: [taskId] });
    expect(rows.rows.map((r) => r.status)).toEqual(["failed"]);
  });

  // The state this process's last write left the task in is the next guess.
  it("a second callback for a task this process wrote: 1 before its answer, 2 in all", async () => {
    const taskId = uniqueTaskId("rt-again");
    await measure(() => server.callback(coverFailure(taskId)));
    expect(await measure(() => server.callback(coverFailure(taskId)))).toEqual({ status: 200, before: 1, all: 2 });
    const deliveries = await direct.execute({ sql: "select verdict from deliveries where task_id = ? order by id", args: [taskId] });
    expect(deliveries.rows.map((r) => r.verdict)).toEqual(["accepted", "duplicate"]);
  });

  // The guess is refused, has written nothing, and brought the task's read
  // back; the write planned on that read follows: two, as without a guess.
  it("a callback for a task changed elsewhere since: 2 before its answer, 3 in all, and the stale guess left nothing behind", async () => {
    const taskId = uniqueTaskId("rt-changed");
    await measure(() => server.callback(coverFailure(taskId)));
    // Another instance (or the poller) moved the task on meanwhile.
    await direct.execute({ sql: "update tasks set status = 'pending', code = null, message = null where task_id = ?", args: [taskId] });
    const counted = await measure(() => server.callback(coverFailure(taskId, 502, "Second failure")));
    expect(counted).toEqual({ status: 200, before: 2, all: 3 });
    const tasks = await direct.execute({
      sql: "select status, code, message, delivery_count from tasks where task_id = ?",
      args: [taskId],
    });
    expect(tasks.rows.map((r) => [r.status, r.code, r.message, r.delivery_count])).toEqual([["failed", 502, "Second failure", 2]]);
    const deliveries = await direct.execute({ sql: "select verdict from deliveries where task_id = ? order by id", args: [taskId] });
    expect(deliveries.rows.map((r) => r.verdict)).toEqual(["accepted", "accepted"]);
  });

  // Group commit: at most 4 batches on their way at once, each leaving 5 ms
  // after the one before; the writes asked for meanwhile wait and go together
  // in the next. The 16 callbacks all come within the first round trip (200
  // ms here): however they spread over it, their writes take at most 5
  // requests. No destination: the work after the answers writes nothing.
  it("sixteen failure callbacks at once: their writes go in at most 5 requests, and all sixteen are written", async () => {
    const taskIds = Array.from({ length: 16 }, (_, i) => uniqueTaskId(`rt-group-${i}`));
    const { made } = await countRequests(
      proxy,
      async () => {
        const answers = await Promise.all(taskIds.map((taskId) => server.callback(coverFailure(taskId))));
        await Promise.all(answers.slice(0, -1).map((answer) => answer.arrayBuffer()));
        expect(answers.map((answer) => answer.status)).toEqual(taskIds.map(() => 200));
        return answers.at(-1)!;
      },
      { oneWayMs: ONE_WAY_MS, quietMs: QUIET_MS },
    );
    const writes = made.filter((request) => request.body.includes('"BEGIN IMMEDIATE"'));
    expect(writes.length).toBeGreaterThanOrEqual(2); // the first goes alone
    expect(writes.length).toBeLessThanOrEqual(5);
    const rows = await direct.execute({
      sql: `select count(*) as n from tasks where status = 'failed' and task_id in (${taskIds.map(() => "?").join(", ")})`,
      args: taskIds,
    });
    expect(rows.rows[0]!.n).toBe(16);
  });

  // After the answer: events (one read), the claim, the file stored, events again.
  it("a cover callback whose one file is stored after the answer: 1 before it, 5 in all", async () => {
    const taskId = uniqueTaskId("rt-cover");
    const counted = await measure(() => server.callback(coverSuccess(taskId, [`${files.url}/cover.png`])));
    const assets = await direct.execute({ sql: "select status from assets where task_id = ?", args: [taskId] });
    expect(assets.rows.map((r) => r.status)).toEqual(["stored"]);
    expect(counted).toEqual({ status: 200, before: 1, all: 5 });
  });

  it("GET / (the task list) with a session: 2 (the session, the page)", async () => {
    const cookie = await loginCookie(server, PASSWORD);
    expect(await measure(() => fetch(`${server.url}/`, { headers: { cookie } }))).toEqual({ status: 200, before: 2, all: 2 });
  });

  it("a task's page with a session: 2", async () => {
    const taskId = uniqueTaskId("rt-page");
    await measure(() => server.callback(coverFailure(taskId)));
    const cookie = await loginCookie(server, PASSWORD);
    expect(await measure(() => fetch(`${server.url}/tasks/${taskId}`, { headers: { cookie } }))).toEqual({
      status: 200,
      before: 2,
      all: 2,
    });
  });

  it("GET /api/tasks with an API token: 2 (the token and the address's lock in one read, the list)", async () => {
    const made = await requestJson<{ token: string }>(server, "/api/tokens", {
      body: { name: "round trips", scope: "read" },
      headers: { cookie: await loginCookie(server, PASSWORD) },
    });
    expect(made.status).toBe(201);
    const authorization = `Bearer ${made.body.token}`;
    // Its first use records lastUsedAt (at most once a minute): not what is counted here.
    await measure(() => fetch(`${server.url}/api/tasks`, { headers: { authorization } }));
    expect(await measure(() => fetch(`${server.url}/api/tasks`, { headers: { authorization } }))).toEqual({
      status: 200,
      before: 2,
      all: 2,
    });
  });
});
