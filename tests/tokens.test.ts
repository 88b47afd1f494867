// API tokens over real HTTP, on both drivers: made and listed with a session,
// stored as a hash only, the read and write scopes, the cross-site check
// skipped for bearer requests, lastUsedAt written at most once a minute, a
// revoked token refused at once on a second instance, wrong tokens slowed by
// the login limiter, and a token never in logs, lists or the inbox.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase, setupServer, writeSql } from "./helpers/drivers";
import { requestJson } from "./helpers/http";
import { uniqueTaskId } from "./helpers/ids";
import { FIXTURES, startServer, type TestServer } from "./helpers/server";

const PASSWORD = "tokens password 0123";

type NewToken = { id: number; name: string; scope: "read" | "write"; token: string; createdAt: string };

async function sessionOf(server: TestServer): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ password: PASSWORD, next: "/" }),
    redirect: "manual",
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("suno_session="));
  if (!cookie) throw new Error(`login answered ${res.status} without a session`);
  return cookie.split(";")[0]!;
}

async function makeToken(server: TestServer, cookie: string, name: string, scope: "read" | "write"): Promise<NewToken> {
  const res = await requestJson<NewToken>(server, "/api/tokens", { body: { name, scope }, headers: { cookie } });
  if (res.status !== 201) throw new Error(`POST /api/tokens: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A cover task from the success fixture under a fresh id, so each test has its own. */
async function coverTask(server: TestServer, headers: Record<string, string> = {}): Promise<string> {
  const payload = JSON.parse(fs.readFileSync(path.join(FIXTURES, "callbacks", "cover-success.json"), "utf8")) as {
    data: { taskId: string };
  };
  const taskId = uniqueTaskId("tok");
  payload.data.taskId = taskId;
  expect((await server.callback(payload, { headers })).status).toBe(200);
  return taskId;
}

describeEachDatabase("API tokens", (database) => {
  const server = setupServer(database, { env: { DASHBOARD_PASSWORD: PASSWORD, WORKER: "0" } });
  let cookie = "";
  const made: string[] = [];
  beforeAll(async () => {
    cookie = await sessionOf(server());
  });

  const token = async (scope: "read" | "write", name = `${scope} script`) => {
    const t = await makeToken(server(), cookie, name, scope);
    made.push(t.token);
    return t;
  };

  it("need a session to be made, are shown once as sk_…, and are stored as their SHA-256 only", async () => {
    expect((await requestJson(server(), "/api/tokens", { body: { name: "x", scope: "read" } })).status).toBe(401);
    const t = await token("read", "nightly backup");
    expect(t).toMatchObject({ name: "nightly backup", scope: "read", token: expect.stringMatching(/^sk_[A-Za-z0-9_-]{43}$/) });
    const rows = await server().sql<Record<string, unknown>>("select * from api_tokens where id = ?", [t.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(createHash("sha256").update(t.token).digest("hex"));
    expect(JSON.stringify(rows)).not.toContain(t.token.slice(3));

    const list = await requestJson<{ items: Record<string, unknown>[] }>(server(), "/api/tokens", { headers: { cookie } });
    expect(list.status).toBe(200);
    expect(list.body.items.find((i) => i.id === t.id)).toEqual({
      id: t.id,
      name: "nightly backup",
      scope: "read",
      createdAt: t.createdAt,
      lastUsedAt: null,
    });
    expect(JSON.stringify(list.body)).not.toContain(t.token);
  });

  it("a read token lists and reads, and gets 403 on POST and DELETE", async () => {
    const { token: read } = await token("read");
    const taskId = await coverTask(server());
    for (const pathname of ["/api/tasks", "/api/deliveries", `/api/tasks/${taskId}`, "/api/stats", "/api/health?verbose=1"]) {
      expect((await requestJson(server(), pathname, { headers: bearer(read) })).status, pathname).toBe(200);
    }
    for (const [method, pathname, body] of [
      ["POST", `/api/tasks/${taskId}/download`, undefined],
      ["DELETE", `/api/tasks/${taskId}`, undefined],
      ["POST", "/api/deliveries/replay", { verdict: "rejected", since: "2025-01-01T00:00:00Z" }],
    ] as const) {
      const res = await requestJson<{ error: { code: string } }>(server(), pathname, { method, body, headers: bearer(read) });
      expect(res.status, `${method} ${pathname}`).toBe(403);
      expect(res.body.error.code).toBe("insufficient_scope");
    }
    expect((await requestJson(server(), `/api/tasks/${taskId}`, { headers: bearer(read) })).status).toBe(200);
  });

  it("a write token changes things but never manages tokens; bearer requests skip the cross-site check", async () => {
    const { token: write, id } = await token("write");
    const taskId = await coverTask(server());
    const crossSite = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };
    const replay = { verdict: "rejected", since: "2025-01-01T00:00:00Z" };
    expect(
      (await requestJson(server(), "/api/deliveries/replay", { body: replay, headers: { ...bearer(write), ...crossSite } })).status,
    ).toBe(200);
    // The same from a browser's session is refused as cross-site.
    const bySession = await requestJson<{ error: { code: string } }>(server(), "/api/deliveries/replay", {
      body: replay,
      headers: { cookie, ...crossSite },
    });
    expect(bySession.status).toBe(403);
    expect(bySession.body.error.code).toBe("cross_origin");

    for (const [method, pathname, body] of [
      ["GET", "/api/tokens", undefined],
      ["POST", "/api/tokens", { name: "minted by a token", scope: "write" }],
      ["DELETE", `/api/tokens/${id}`, undefined],
    ] as const) {
      const res = await requestJson<{ error: { code: string } }>(server(), pathname, { method, body, headers: bearer(write) });
      expect(res.status, `${method} ${pathname}`).toBe(403);
      expect(res.body.error.code).toBe("session_required");
    }
    expect((await requestJson(server(), `/api/tasks/${taskId}`, { method: "DELETE", headers: bearer(write) })).status).toBe(204);
    expect((await requestJson(server(), `/api/tasks/${taskId}`, { headers: bearer(write) })).status).toBe(404);
  });

  it("lastUsedAt is written on first use and then at most once a minute", async () => {
    const t = await token("read");
    const lastUsed = async () =>
      (await server().sql<{ at: number | null }>("select last_used_at as at from api_tokens where id = ?", [t.id]))[0]!.at;
    expect(await lastUsed()).toBeNull();
    const before = Date.now();
    expect((await requestJson(server(), "/api/tasks", { headers: bearer(t.token) })).status).toBe(200);
    const first = await lastUsed();
    expect(first).toBeGreaterThanOrEqual(before - 1000);
    for (let i = 0; i < 5; i++) expect((await requestJson(server(), "/api/stats", { headers: bearer(t.token) })).status).toBe(200);
    expect(await lastUsed()).toBe(first);

    // A minute later (its last use moved back), the next request records itself again.
    await writeSql(server(), "update api_tokens set last_used_at = ? where id = ?", [first! - 61_000, t.id]);
    expect((await requestJson(server(), "/api/tasks", { headers: bearer(t.token) })).status).toBe(200);
    expect(await lastUsed()).toBeGreaterThanOrEqual(before);
    const listed = await requestJson<{ items: { id: number; lastUsedAt: string | null }[] }>(server(), "/api/tokens", {
      headers: { cookie },
    });
    expect(listed.body.items.find((i) => i.id === t.id)?.lastUsedAt).toBe(new Date((await lastUsed())!).toISOString());
  });

  it("a revoked token gets 401 at once, on this instance and on a second one on the same database", async () => {
    const t = await token("read");
    const second = await startServer({ database, dataDir: server().dataDir, env: { DASHBOARD_PASSWORD: PASSWORD, WORKER: "0" } });
    try {
      expect((await requestJson(second, "/api/tasks", { headers: bearer(t.token) })).status).toBe(200);
      expect((await requestJson(server(), "/api/tasks", { headers: bearer(t.token) })).status).toBe(200);
      const revoke = await requestJson(server(), `/api/tokens/${t.id}`, { method: "DELETE", headers: { cookie } });
      expect(revoke.status).toBe(204);
      const after = await requestJson<{ error: { code: string } }>(second, "/api/tasks", { headers: bearer(t.token) });
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe("unauthorized");
      expect((await requestJson(server(), "/api/tasks", { headers: bearer(t.token) })).status).toBe(401);
      expect((await requestJson(server(), `/api/tokens/${t.id}`, { method: "DELETE", headers: { cookie } })).status).toBe(404);
    } finally {
      await second.stop();
    }
  });

  it("a token never appears in the log, the token list, or the inbox's stored headers", async () => {
    const t = await token("write", "leak check");
    const taskId = await coverTask(server(), bearer(t.token));
    const deliveries = await requestJson<{ items: { taskId: string | null; headers: Record<string, string> }[] }>(
      server(),
      `/api/deliveries?taskId=${taskId}`,
      { headers: bearer(t.token) },
    );
    const stored = deliveries.body.items.find((d) => d.taskId === taskId)!;
    expect(stored.headers.authorization).toBe("[redacted]");
    const raw = await server().sql<{ headers: string }>("select headers from deliveries where task_id = ?", [taskId]);
    expect(raw[0]!.headers).not.toContain(t.token);
    expect(JSON.stringify(deliveries.body)).not.toContain(t.token);
    // Refused tokens and revoked ones are not logged either.
    await requestJson(server(), "/api/tasks", { headers: bearer(`${t.token}x`) });
    const list = await requestJson(server(), "/api/tokens", { headers: { cookie } });
    for (const secret of made) {
      expect(server().log()).not.toContain(secret);
      expect(JSON.stringify(list.body)).not.toContain(secret);
    }
  });

  // Last: it locks this address out for the rest of the file.
  it("wrong tokens count toward the login limiter: the fifth locks the address, for tokens and passwords alike", async () => {
    const t = await token("read", "locked out");
    // Revoked and wrong tokens of the tests above counted already: start from none.
    await writeSql(server(), "delete from login_failures");
    const outcomes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await requestJson(server(), "/api/tasks", { headers: bearer(`sk_${"A".repeat(43)}`) });
      outcomes.push(res.status);
      if (i === 4) expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(outcomes).toEqual([401, 401, 401, 401, 401]);
    const locked = await requestJson<{ error: { code: string } }>(server(), "/api/tasks", { headers: bearer(t.token) });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe("rate_limited");
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    const login = await fetch(`${server().url}/api/auth/login`, {
      method: "POST",
      body: new URLSearchParams({ password: PASSWORD, next: "/" }),
      redirect: "manual",
    });
    expect(login.headers.get("location")).toMatch(/error=rate/);
  });
});

describe("API tokens without DASHBOARD_PASSWORD", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { WORKER: "0" } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("the API stays open, tokens can still be made for later, and a wrong one changes nothing", async () => {
    const made = await requestJson<NewToken>(server, "/api/tokens", { body: { name: "for later", scope: "write" } });
    expect(made.status).toBe(201);
    expect(made.body.token).toMatch(/^sk_/);
    expect((await requestJson(server, "/api/tasks")).status).toBe(200);
    expect((await requestJson(server, "/api/tasks", { headers: bearer("sk_wrong") })).status).toBe(200);
    expect((await requestJson(server, "/api/tasks", { headers: bearer(made.body.token) })).status).toBe(200);
    const list = await requestJson<{ items: { name: string }[] }>(server, "/api/tokens");
    expect(list.body.items.map((i) => i.name)).toEqual(["for later"]);
  });
});
