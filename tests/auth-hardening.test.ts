// Login and session hardening over real HTTP against `next start`: redirects
// after login stay on-site, guessing is slowed without locking the owner out
// of a known browser, sessions live server-side, refused callbacks are counted
// without a write each, and the Origin check ignores X-Forwarded-Host.
import { createHash, createHmac } from "node:crypto";
import http from "node:http";
import { expect, it } from "vitest";
import { describeEachDatabase, setupServer, writeSql } from "./helpers/drivers";
import { startServer, type TestServer } from "./helpers/server";
import { waitFor } from "./helpers/wait";

const PASSWORD = "hardening password";

type Cookies = Record<string, string>;

/** The cookies a response sets (an empty value when it clears one). */
function cookiesOf(res: Response): Cookies {
  const out: Cookies = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair!.indexOf("=");
    out[pair!.slice(0, eq)] = pair!.slice(eq + 1);
  }
  return out;
}

const cookieHeader = (cookies: Cookies) =>
  Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join("; ");

type LoginOptions = { password?: string; next?: string; address?: string; cookies?: Cookies; headers?: Record<string, string> };

function login(server: TestServer, { password = PASSWORD, next = "/setup", address, cookies = {}, headers = {} }: LoginOptions = {}) {
  return fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(address ? { "x-forwarded-for": address } : {}),
      ...(Object.keys(cookies).length ? { cookie: cookieHeader(cookies) } : {}),
      ...headers,
    },
    body: new URLSearchParams({ password, next }),
    redirect: "manual",
  });
}

/** Logs in and answers the session (and device) cookies. */
async function loggedIn(server: TestServer, address: string, cookies: Cookies = {}): Promise<Cookies> {
  const res = await login(server, { address, cookies });
  expect(res.headers.get("location")).toBe("/setup");
  const set = cookiesOf(res);
  expect(set.suno_session).toBeTruthy();
  return { ...cookies, ...set };
}

const getTasks = (server: TestServer, cookies: Cookies) => fetch(`${server.url}/api/tasks`, { headers: { cookie: cookieHeader(cookies) } });

/** A Location that a browser resolves to this site: one leading "/", never "//" or "/\", no characters browsers drop. */
function expectOnSite(location: string | null, next: string) {
  expect(location, next).toMatch(/^\/(?![/\\])/);
  expect(location, next).not.toMatch(/[\u0000-\u001f\u007f]/);
  expect(new URL(location!, "http://dashboard.test").host, next).toBe("dashboard.test");
}

/** A bare POST on a connection of its own that closes after the answer; answers the status. */
function postWithoutKeepAlive(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", agent: false, headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end("{}");
  });
}

const EVIL_NEXT = [
  "/.//evil.example",
  "/%2e//evil.example",
  "/%2E%2e//evil.example",
  "/a/..//evil.example",
  "/..//evil.example",
  "/./\\evil.example",
  "/\\evil.example",
  "/\t/evil.example",
  "/.\t//evil.example",
  "//evil.example/x",
];

describeEachDatabase("auth hardening", (database) => {
  // Behind a proxy of our own: each test speaks from addresses of its own.
  const server = setupServer(database, { env: { DASHBOARD_PASSWORD: PASSWORD, TRUST_PROXY: "1", WORKER: "0" } });
  // Reached directly: X-Forwarded-For is the client's to forge.
  const direct = setupServer(database, { env: { DASHBOARD_PASSWORD: PASSWORD, WORKER: "0" } });

  it("after login, the POST and the login page redirect on-site whatever next says", async () => {
    const session = await loggedIn(server(), "10.1.0.1");
    for (const next of EVIL_NEXT) {
      const posted = await login(server(), { address: "10.1.0.1", next });
      expect(posted.status).toBe(303);
      expectOnSite(posted.headers.get("location"), next);

      const page = await fetch(`${server().url}/login?${new URLSearchParams({ next })}`, {
        headers: { cookie: cookieHeader(session) },
        redirect: "manual",
      });
      expect([303, 307, 308], next).toContain(page.status);
      expectOnSite(page.headers.get("location"), next);
    }
  });

  it("an Origin naming another site is refused even when X-Forwarded-Host agrees with it", async () => {
    const forged = await login(server(), {
      address: "10.1.0.2",
      headers: { origin: "https://evil.example", "x-forwarded-host": "evil.example" },
    });
    expect(forged.status).toBe(403);
    expect((await forged.json()).error.code).toBe("cross_origin");
    const own = await login(server(), { address: "10.1.0.2", headers: { origin: server().url } });
    expect(own.status).toBe(303);
  });

  it("sessions are kept server-side: only the id's hash is stored, with its client; requests do not rewrite it", async () => {
    const session = await loggedIn(server(), "10.2.0.1", {});
    const [id] = session.suno_session!.split(".");
    const rows = await server().sql<{ id_hash: string; user_agent: string | null; remote_address: string | null; last_seen_at: number }>(
      "select id_hash, user_agent, remote_address, last_seen_at from sessions where remote_address = '10.2.0.1'",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_hash).toBe(createHash("sha256").update(id!).digest("hex"));
    expect(rows[0]!.user_agent).toBeTruthy();
    const stored = JSON.stringify(await server().sql("select * from sessions"));
    expect(stored).not.toContain(id);

    for (let i = 0; i < 3; i++) expect((await getTasks(server(), session)).status).toBe(200);
    const after = await server().sql<{ last_seen_at: number }>("select last_seen_at from sessions where id_hash = ?", [rows[0]!.id_hash]);
    expect(after[0]!.last_seen_at).toBe(rows[0]!.last_seen_at);

    // An expired row is no session, whatever the cookie says.
    await writeSql(server(), "update sessions set expires_at = 0 where id_hash = ?", [rows[0]!.id_hash]);
    expect((await getTasks(server(), session)).status).toBe(401);
  });

  it("logout deletes the session: a copied cookie stops working at once", async () => {
    const session = await loggedIn(server(), "10.2.0.2");
    const copy = { suno_session: session.suno_session! };
    expect((await getTasks(server(), copy)).status).toBe(200);
    const out = await fetch(`${server().url}/api/auth/logout`, {
      method: "POST",
      headers: { cookie: cookieHeader(session) },
      redirect: "manual",
    });
    expect(out.status).toBe(303);
    expect(cookiesOf(out).suno_session).toBe("");
    expect((await getTasks(server(), copy)).status).toBe(401);
  });

  it("the old password-derived cookie format is refused", async () => {
    const expires = String(Date.now() + 86_400_000);
    const key = createHash("sha256").update(`suno-dashboard/session/v1\0${PASSWORD}`).digest();
    const old = `${expires}.${createHmac("sha256", key).update(expires).digest("base64url")}`;
    expect((await getTasks(server(), { suno_session: old })).status).toBe(401);
  });

  it("a cookie from another install with the same password is refused", async () => {
    const other = await startServer({ database, env: { DASHBOARD_PASSWORD: PASSWORD, TRUST_PROXY: "1", WORKER: "0" } });
    try {
      const theirs = await loggedIn(other, "10.2.0.3");
      expect((await getTasks(other, theirs)).status).toBe(200);
      expect((await getTasks(server(), { suno_session: theirs.suno_session! })).status).toBe(401);
      const ours = await loggedIn(server(), "10.2.0.3");
      expect((await getTasks(other, { suno_session: ours.suno_session! })).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it("the setup page counts active sessions, and log out everywhere ends them all", async () => {
    const a = await loggedIn(server(), "10.3.0.1");
    const b = await loggedIn(server(), "10.3.0.2");
    const html = (await (await fetch(`${server().url}/setup`, { headers: { cookie: cookieHeader(a) } })).text()).replaceAll("<!-- -->", "");
    const [active] = await server().sql<{ n: number }>("select count(*) as n from sessions where expires_at > ?", [Date.now()]);
    expect(active!.n).toBeGreaterThanOrEqual(2);
    expect(html).toContain(`${active!.n} active sessions`);

    // Not for strangers: without a session it ends nothing.
    const stranger = await fetch(`${server().url}/api/auth/logout?everywhere=1`, { method: "POST", redirect: "manual" });
    expect(stranger.status).toBe(401);
    expect((await getTasks(server(), b)).status).toBe(200);

    const out = await fetch(`${server().url}/api/auth/logout?everywhere=1`, {
      method: "POST",
      headers: { cookie: cookieHeader(a) },
      redirect: "manual",
    });
    expect(out.status).toBe(303);
    expect((await getTasks(server(), a)).status).toBe(401);
    expect((await getTasks(server(), b)).status).toBe(401);
    expect(await server().sql("select * from sessions")).toEqual([]);
  });

  it("a flood of bad-token callbacks is counted in full, with a handful of writes", async () => {
    // Counts every statement that writes the counter row, whatever the driver.
    await writeSql(server(), "create table test_counter_writes (n integer not null)");
    await writeSql(server(), "insert into test_counter_writes values (0)");
    for (const event of ["insert", "update"]) {
      await writeSql(
        server(),
        `create trigger test_count_${event} after ${event} on settings when new.key = 'unauthorized_callbacks'
         begin update test_counter_writes set n = n + 1; end`,
      );
    }
    const N = 60;
    for (let i = 0; i < N; i++) {
      expect((await server().callback({ code: 200, data: { taskId: `bad-${i}` } }, { token: "wrong-token-wrong-token" })).status).toBe(401);
    }
    const session = await loggedIn(server(), "10.4.0.1");
    const html = (await (await fetch(`${server().url}/setup`, { headers: { cookie: cookieHeader(session) } })).text()).replaceAll(
      "<!-- -->",
      "",
    );
    expect(html).toContain(`${N} callbacks were refused`);

    // Stored as an integer's text on both drivers (libSQL once summed it as a float: "60.0").
    const stored = await waitFor(
      async () => {
        const [row] = await server().sql<{ value: string }>("select value from settings where key = 'unauthorized_callbacks'");
        return row?.value;
      },
      (value) => Number(value) === N,
      { timeoutMs: 15_000, stepMs: 200, what: `the count of ${N} refused callbacks stored` },
    );
    expect(stored).toBe(String(N));
    const [writes] = await server().sql<{ n: number }>("select n from test_counter_writes");
    expect(writes!.n).toBeGreaterThan(0);
    expect(writes!.n).toBeLessThanOrEqual(N / 10);
  });

  it("refused callbacks counted in memory are written at a normal shutdown", async () => {
    const own = await startServer({ database, env: { WORKER: "0" } });
    try {
      // On connections that close, so nothing keeps the server from exiting at once.
      for (let i = 0; i < 7; i++) expect(await postWithoutKeepAlive(`${own.url}/api/callbacks`)).toBe(401);
      await own.restart(); // SIGTERM, then a new process on the same data
      const [row] = await own.sql<{ value: string }>("select value from settings where key = 'unauthorized_callbacks'");
      expect(row?.value).toBe("7");
    } finally {
      await own.close();
    }
  });

  it("rotating X-Forwarded-For does not escape the per-address limit (TRUST_PROXY unset)", async () => {
    for (let i = 0; i < 5; i++) {
      const res = await login(direct(), { password: `guess ${i}`, address: `10.5.0.${i}` });
      expect(res.headers.get("location")).toMatch(/error=(wrong|rate)/);
    }
    const right = await login(direct(), { address: "10.5.0.99" });
    const location = right.headers.get("location")!;
    expect(location).toContain("error=rate");
    expect(cookiesOf(right).suno_session).toBeUndefined();
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
    const page = await (await fetch(`${direct().url}${location}`)).text();
    expect(page).toMatch(/Too many failed attempts/);
  });

  // Last on this server: it locks every untrusted client out for a while.
  it("after a flood from many addresses an untrusted client is throttled, while the owner's known browsers still log in", async () => {
    const owner = await loggedIn(server(), "10.6.0.1");
    expect(owner.suno_device).toBeTruthy();
    const laptop = await loggedIn(server(), "10.6.0.2");
    expect(laptop.suno_device).toBeTruthy();
    expect(laptop.suno_device).not.toBe(owner.suno_device);

    const outcomes: string[] = [];
    for (let i = 0; i < 40; i++) {
      outcomes.push((await login(server(), { password: `guess ${i}`, address: `10.7.${i}.1` })).headers.get("location") ?? "");
    }
    expect(outcomes.at(-1)).toContain("error=rate");

    const stranger = await login(server(), { address: "10.8.0.1" });
    expect(stranger.headers.get("location")).toContain("error=rate");
    expect(Number(stranger.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(cookiesOf(stranger).suno_session).toBeUndefined();

    // The owner's browser, from anywhere, even one of the flooding addresses.
    for (const address of ["10.8.0.2", "10.7.3.1"]) {
      const res = await login(server(), { address, cookies: { suno_device: owner.suno_device! } });
      expect(res.headers.get("location"), address).toBe("/setup");
      expect((await getTasks(server(), cookiesOf(res))).status).toBe(200);
    }

    // A known browser's own wrong guesses lock that browser only.
    for (let i = 0; i < 5; i++)
      await login(server(), { password: `typo ${i}`, address: "10.6.0.2", cookies: { suno_device: laptop.suno_device! } });
    const locked = await login(server(), { address: "10.6.0.2", cookies: { suno_device: laptop.suno_device! } });
    expect(locked.headers.get("location")).toContain("error=rate");
    const still = await login(server(), { address: "10.6.0.2", cookies: { suno_device: owner.suno_device! } });
    expect(still.headers.get("location")).toBe("/setup");
  });
});
