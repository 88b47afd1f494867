// GET /api/health?verbose=1: the setup doctor's checks as JSON, behind the
// session when DASHBOARD_PASSWORD is set (plain /api/health stays open), and
// what the checks see of real events: refused and rejected callbacks, files
// at risk, the worker's and the cron tick's heartbeat.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSql } from "./helpers/drivers";
import { requestJson } from "./helpers/http";
import { uniqueTaskId } from "./helpers/ids";
import { fixture, startServer, type TestServer } from "./helpers/server";

type Check = { id: string; title: string; verdict: "ok" | "warn" | "fail"; detail: string; fix: string | null };
type Verbose = { ok: boolean; verdict: string; checks: Check[] };

const PASSWORD = "doctor-password-123";

const verbose = (server: TestServer, cookie?: string) =>
  requestJson<Verbose>(server, "/api/health?verbose=1", { headers: cookie ? { cookie: `suno_session=${cookie}` } : {} });

const checkOf = (body: Verbose, id: string) => body.checks.find((c) => c.id === id)!;

describe("with DASHBOARD_PASSWORD", () => {
  let server: TestServer;
  let session: string;

  beforeAll(async () => {
    server = await startServer({ env: { DASHBOARD_PASSWORD: PASSWORD } });
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ password: PASSWORD, next: "/setup" }),
      redirect: "manual",
    });
    session = /suno_session=([^;]+)/.exec(login.headers.get("set-cookie") ?? "")![1]!;
  });
  afterAll(() => server.close());

  it("keeps plain /api/health open and without details", async () => {
    const { status, body } = await server.getJson<Record<string, unknown>>("/api/health");
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true });
    expect(body).not.toHaveProperty("checks");
  });

  it.each(["?verbose=1", "?verbose=0&verbose=1", "?x=1&verbose=1"])("asks for a session on /api/health%s (in proxy.ts)", async (query) => {
    const res = await fetch(`${server.url}/api/health${query}`);
    expect(res.status).toBe(401);
    // The proxy's own answer: the route's check behind it is a second lock.
    expect(await res.json()).toEqual({
      error: { code: "unauthorized", message: expect.stringContaining("protected by DASHBOARD_PASSWORD") },
    });
  });

  it("answers an empty verbose as a bad request, without details", async () => {
    const res = await fetch(`${server.url}/api/health?verbose`);
    expect(res.status).toBe(400);
    expect(await res.json()).not.toHaveProperty("checks");
  });

  it("answers every check with a session", async () => {
    const { status, body } = await verbose(server, session);
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.checks.map((c) => c.id)).toEqual([
      "public-url",
      "callback-token",
      "storage",
      "database",
      "last-callback",
      "refused-callbacks",
      "rejected-callbacks",
      "provider",
      "worker",
      "files-at-risk",
    ]);
    // The test server's address is 127.0.0.1: the provider could not reach it.
    expect(checkOf(body, "public-url")).toMatchObject({ verdict: "fail", fix: expect.stringContaining("PUBLIC_BASE_URL") });
    expect(checkOf(body, "callback-token").detail).toContain("CALLBACK_TOKEN");
    expect(checkOf(body, "storage").verdict).not.toBe("fail");
    expect(checkOf(body, "database").detail).toMatch(server.database === "libsql" ? /remote libSQL/ : /^SQLite .*WAL/);
    expect(checkOf(body, "last-callback").verdict).toBe("warn");
    expect(checkOf(body, "provider")).toMatchObject({ verdict: "warn", fix: expect.stringContaining("SUNO_API_KEY") });
    expect(body.verdict).toBe("fail");
  });

  it("sees the worker's heartbeat", async () => {
    await expect.poll(async () => checkOf((await verbose(server, session)).body, "worker").verdict, { timeout: 10_000 }).toBe("ok");
  });

  it("sees callbacks received, refused for their token and rejected for their payload", async () => {
    expect((await server.callback(fixture("callbacks/cover-success.json"))).status).toBe(200);
    expect((await server.callback(fixture("callbacks/cover-success.json"), { token: "wrong-token-0123456789" })).status).toBe(401);
    expect((await server.callback(fixture("callbacks/not-a-callback.json"))).status).toBe(400);
    const { body } = await verbose(server, session);
    expect(checkOf(body, "last-callback")).toMatchObject({ verdict: "ok", detail: "Received just now." });
    expect(checkOf(body, "refused-callbacks")).toMatchObject({ verdict: "warn", detail: expect.stringMatching(/^1 callback was refused/) });
    expect(checkOf(body, "rejected-callbacks")).toMatchObject({
      verdict: "warn",
      detail: expect.stringMatching(/^The last rejected callback came just now: /),
    });
  });

  it("counts files not stored whose remote copy expires within 48 h", async () => {
    const soon = uniqueTaskId("risk");
    const later = uniqueTaskId("safe");
    const now = Date.now();
    await writeSql(
      server,
      "insert into tasks (task_id, kind, status, created_at, updated_at, completed_at, files_expire_at) values (?, 'cover', 'succeeded', ?, ?, ?, ?), (?, 'cover', 'succeeded', ?, ?, ?, ?)",
      [soon, now, now, now, now + 5 * 3_600_000, later, now, now, now, now + 5 * 86_400_000],
    );
    // next_attempt_at null: not due, so the worker leaves them pending.
    await writeSql(
      server,
      "insert into assets (task_id, type, position, remote_url, status, created_at, updated_at) values (?, 'image', 0, 'https://cdn.example/a.png', 'failed', ?, ?), (?, 'image', 1, 'https://cdn.example/b.png', 'pending', ?, ?), (?, 'image', 0, 'https://cdn.example/c.png', 'pending', ?, ?)",
      [soon, now, now, soon, now, now, later, now, now],
    );
    const { body } = await verbose(server, session);
    expect(checkOf(body, "files-at-risk")).toMatchObject({
      verdict: "warn",
      detail: expect.stringContaining("2 files are not stored yet"),
    });
    expect(checkOf(body, "files-at-risk").detail).toContain("in 5 h");
  });
});

describe("without a password, on the cron tick", () => {
  let server: TestServer;
  const CRON_SECRET = "cron-secret-0123456789abcdef";

  beforeAll(async () => {
    server = await startServer({ env: { WORKER: "0", CRON_SECRET } });
  });
  afterAll(() => server.close());

  it("answers verbose health without a session, and sees the tick's heartbeat", async () => {
    const before = await verbose(server);
    expect(before.status).toBe(200);
    expect(checkOf(before.body, "worker")).toMatchObject({ title: "Cron tick", verdict: "warn" });

    const tick = await fetch(`${server.url}/api/cron/tick`, { headers: { authorization: `Bearer ${CRON_SECRET}` } });
    expect(tick.status).toBe(200);
    const after = await verbose(server);
    expect(checkOf(after.body, "worker")).toMatchObject({ verdict: "ok", detail: "The cron tick last ran just now." });
  });

  it("refuses a verbose value it does not know", async () => {
    expect((await fetch(`${server.url}/api/health?verbose=yes`)).status).toBe(400);
  });
});
