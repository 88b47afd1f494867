// Sessions over real HTTP against `next start` with DASHBOARD_PASSWORD set.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "./helpers/server";

const PASSWORD = "first password";
let server: TestServer;

beforeAll(async () => {
  server = await startServer({ env: { DASHBOARD_PASSWORD: PASSWORD } });
});
afterAll(async () => {
  await server?.stop();
});

async function login(password: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ password, next: "/setup" }),
    redirect: "manual",
  });
}

const sessionOf = (res: Response) => /suno_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
const getTasks = (cookie?: string) => fetch(`${server.url}/api/tasks`, { headers: cookie ? { cookie: `suno_session=${cookie}` } : {} });

describe("login", () => {
  it("sets an httpOnly, SameSite=Lax cookie and returns to the page asked for", async () => {
    const res = await login(PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/setup");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    expect((await getTasks(sessionOf(res))).status).toBe(200);
  });

  it("marks the cookie Secure behind an https proxy", async () => {
    const res = await login(PASSWORD, { "x-forwarded-proto": "https" });
    expect(res.headers.get("set-cookie")).toMatch(/Secure/i);
  });

  it("never redirects off-site after login", async () => {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      body: new URLSearchParams({ password: PASSWORD, next: "//evil.example/x" }),
      redirect: "manual",
    });
    expect(res.headers.get("location")).toBe("/");
  });

  it("refuses forged sessions", async () => {
    expect((await getTasks(`${"A".repeat(43)}.${"B".repeat(43)}`)).status).toBe(401);
    expect((await getTasks("garbage")).status).toBe(401);
    expect((await getTasks(sessionOf(await login(PASSWORD)))).status).toBe(200);
  });

  it("changing the password logs everyone out", async () => {
    const session = sessionOf(await login(PASSWORD))!;
    const other = await startServer({ dataDir: server.dataDir, env: { DASHBOARD_PASSWORD: "second password" } });
    try {
      const res = await fetch(`${other.url}/api/tasks`, { headers: { cookie: `suno_session=${session}` } });
      expect(res.status).toBe(401);
    } finally {
      await other.stop();
    }
  });

  it("logout clears the cookie", async () => {
    const res = await fetch(`${server.url}/api/auth/logout`, { method: "POST", redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toMatch(/suno_session=;.*Max-Age=0/i);
  });

  // Last: it locks this address out. The policy (lib/auth/login-limiter.ts):
  // an address without a device cookie has five free failures, and the fifth
  // starts a 30 s lock, during which every try is refused unchecked.
  it("slows down password guessing: the fifth wrong password locks for 30 s", async () => {
    const outcomes: (string | null)[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await login(`guess ${i}`);
      outcomes.push(new URL(res.headers.get("location") ?? "", server.url).searchParams.get("error"));
    }
    expect(outcomes).toEqual(["wrong", "wrong", "wrong", "wrong", "rate", "rate", "rate", "rate"]);
    const right = await login(PASSWORD);
    expect(right.headers.get("location")).toContain("error=rate");
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(right.headers.get("retry-after"))).toBeLessThanOrEqual(30);
  });
});
