// Load, malformed input and crashes: nothing answered 200 is ever lost, no input
// gets a 5xx; once per database driver (tests/helpers/drivers.ts), each with its own server.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coverSuccess, pool, wavSuccess } from "./helpers/callbacks";
import { describeEachDatabase, setupServer } from "./helpers/drivers";
import { uniqueTaskId } from "./helpers/ids";
import { startServer, TOKEN, type TestServer } from "./helpers/server";

// Payloads that look roughly like callbacks, with every field allowed to be wrong.
const junk = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
);
const hex = (minLength: number, maxLength: number) => fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength, maxLength });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(fc.oneof(arb, junk), { nil: undefined });
const callbackLike = fc.record(
  {
    code: maybe(fc.constantFrom(200, 400, 451, 501, 531, "200", "abc", -1, 1e12)),
    msg: maybe(fc.string({ maxLength: 200 })),
    data: maybe(
      fc.record(
        {
          taskId: maybe(fc.oneof(hex(1, 40), fc.string({ maxLength: 300 }))),
          task_id: maybe(hex(0, 40)),
          images: maybe(fc.array(fc.oneof(fc.webUrl(), fc.string()), { maxLength: 4 })),
          audioWavUrl: maybe(fc.webUrl()),
          audio_wav_url: maybe(fc.string()),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  callbackLike.map((v) => JSON.stringify(v)),
  fc.json(),
  fc.string({ unit: "binary", maxLength: 500 }),
  fc.uint8Array({ maxLength: 500 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
  fc.constantFrom(
    "",
    "null",
    "[]",
    "{}",
    '{"data":null}',
    '{"data":[]}',
    '{"code":200,"data":{"taskId":"../../etc/passwd","images":["file:///etc/passwd"]}}',
  ),
);

/**
 * Each request waits this long for its answer: one the server never gives
 * counts as status 0, so a stuck server fails the test with its log instead of
 * hanging it (and its shutdown, which waits for open requests) until the timeout.
 */
const ANSWER_WITHIN_MS = 20_000;

/** The header that tags a request, so the delivery rows it left can be counted. */
const MARKER = "x-test-request";

/**
 * POSTs a callback (JSON or raw text) with the token (or `options.token`), tagged
 * with `options.marker` when given; answers the status, 0 when no answer came in time.
 */
async function send(
  server: TestServer,
  body: unknown,
  path = "/api/callbacks",
  options: { marker?: string; token?: string } = {},
): Promise<number> {
  try {
    const res = await fetch(`${server.url}${path}?token=${encodeURIComponent(options.token ?? TOKEN)}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(options.marker ? { [MARKER]: options.marker } : {}) },
      body: typeof body === "string" ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
    await res.arrayBuffer();
    return res.status;
  } catch (error) {
    if ((error as Error).name === "TimeoutError") return 0;
    throw error;
  }
}

/** The end of the server's log, as the message of a failed assertion. */
const logTail = (server: TestServer) => `server log:\n${server.log().slice(-4000)}`;

describeEachDatabase("robustness", (database) => {
  const server = setupServer(database);

  describe("concurrency", () => {
    it("200 concurrent callbacks for distinct tasks are all answered 200 and all stored", async () => {
      const ids = Array.from({ length: 200 }, (_, i) => uniqueTaskId(i % 2 ? "c" : "w"));
      const statuses = await Promise.all(ids.map((id, i) => send(server(), i % 2 ? coverSuccess(id) : wavSuccess(id))));
      expect(
        statuses.filter((s) => s !== 200),
        logTail(server()),
      ).toEqual([]);

      const among = `task_id in (${ids.map(() => "?").join(",")})`;
      const stored = await server().sql<{ task_id: string }>(`select task_id from tasks where ${among}`, ids);
      expect(stored.map((r) => r.task_id).sort()).toEqual([...ids].sort());
      expect(await server().sql(`select count(*) as n from deliveries where ${among}`, ids)).toEqual([{ n: 200 }]);
    });
  });

  describe("malformed input", () => {
    it("hundreds of generated payloads never get a 5xx, each leaves exactly one delivery, and the server stays healthy", async () => {
      const samples = fc.sample(body, { numRuns: 400, seed: 20261123 });
      const paths = ["/api/callbacks", "/api/callbacks/cover", "/api/callbacks/wav"];
      const run = uniqueTaskId("fuzz");
      const marker = (i: number) => `${run}-${i}`;
      // Every 10th with a wrong token: refused before the body is read (401), so no delivery is kept.
      const unauthorized = (i: number) => i % 10 === 9;
      const statuses = await pool(samples.length, 8, (i) =>
        send(server(), samples[i]!, paths[i % 3], { marker: marker(i), token: unauthorized(i) ? "wrong-token-wrong-token" : undefined }),
      );
      expect(
        statuses.filter((s) => s >= 500 || s === 0),
        logTail(server()),
      ).toEqual([]);
      expect(statuses.filter((s, i) => (unauthorized(i) ? s !== 401 : s !== 200 && s !== 400))).toEqual([]);
      // Two over the size limit, answered 413 and not kept either.
      const big = "x".repeat(1_048_577);
      expect(await send(server(), big, "/api/callbacks", { marker: marker(samples.length) })).toBe(413);
      expect(await send(server(), `{"msg":"${big}"}`, "/api/callbacks/cover", { marker: marker(samples.length + 1) })).toBe(413);

      // Accepted, duplicate and rejected alike: one row per request that got past the token and the size limit, none for the others.
      const rows = await server().sql<{ marker: string; n: number }>(
        `select json_extract(headers, '$."${MARKER}"') as marker, count(*) as n from deliveries
          where json_extract(headers, '$."${MARKER}"') like ? group by marker`,
        [`${run}-%`],
      );
      const count = new Map(rows.map((r) => [r.marker, r.n]));
      const expected = Array.from({ length: samples.length + 2 }, (_, i) => (i < samples.length && !unauthorized(i) ? 1 : 0));
      expect(expected.map((_, i) => count.get(marker(i)) ?? 0)).toEqual(expected);
      expect(expected.filter((n) => n === 1)).toHaveLength(360);
      expect((await fetch(`${server().url}/api/health`)).status).toBe(200);
    });

    it("valid callbacks with odd contents (any code, any text, odd URLs) are all accepted", async () => {
      const odd = fc.record({
        code: fc.integer({ min: -1000, max: 100_000 }),
        msg: fc.option(fc.string({ unit: "grapheme", maxLength: 300 }), { nil: null }),
        data: fc.record({
          taskId: hex(1, 40),
          images: fc.array(fc.string({ unit: "grapheme", minLength: 1, maxLength: 200 }), { minLength: 1, maxLength: 4 }),
        }),
      });
      const samples = fc.sample(odd, { numRuns: 150, seed: 7 });
      const statuses = await pool(samples.length, 8, (i) => send(server(), samples[i]!, "/api/callbacks/cover"));
      expect(
        statuses.filter((s) => s !== 200),
        logTail(server()),
      ).toEqual([]);
    });

    it("odd requests are answered with 4xx and the JSON error envelope, not 5xx", async () => {
      const url = server().url;
      const callbacks = `${url}/api/callbacks`;
      const odd: [string, Promise<Response>, number, string][] = [
        [
          "a JSON body sent as text/plain",
          fetch(`${callbacks}?token=${TOKEN}`, { method: "POST", body: "{}", headers: { "content-type": "text/plain" } }),
          400,
          "invalid_callback",
        ],
        ["no body", fetch(`${callbacks}?token=${TOKEN}`, { method: "POST" }), 400, "invalid_callback"],
        // The first token counts (searchParams.get): this one is right, the body is not.
        ["a second token", fetch(`${callbacks}?token=${TOKEN}&token=x`, { method: "POST", body: "{}" }), 400, "invalid_callback"],
        ["a 5000-character token", fetch(`${callbacks}?token=${"x".repeat(5000)}`, { method: "POST", body: "{}" }), 401, "unauthorized"],
        ["limit above 200", fetch(`${url}/api/tasks?limit=5000`), 400, "invalid_request"],
        ["an unknown status", fetch(`${url}/api/tasks?status=done`), 400, "invalid_request"],
        ["a cursor the API never gave", fetch(`${url}/api/tasks?cursor=-1`), 400, "invalid_request"],
        ["a task id with ../", fetch(`${url}/api/tasks/${encodeURIComponent("../../x")}`), 404, "not_found"],
        ["an unknown verdict", fetch(`${url}/api/deliveries?verdict=maybe`), 400, "invalid_request"],
      ];
      const answers = await Promise.all(odd.map(([, pending]) => pending));
      for (const [i, [what, , status, code]] of odd.entries()) {
        const res = answers[i]!;
        expect(res.status, what).toBe(status);
        expect(res.headers.get("content-type"), what).toMatch(/^application\/json\b/);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body, what).toEqual({ error: { code, message: expect.stringMatching(/\S/) } });
      }
    });
  });

  describe("crash safety", () => {
    it("after kill -9 in the middle of a burst, every callback answered 200 is in the database", async () => {
      const crashServer = await startServer({ database });
      try {
        const answered: string[] = [];
        let stop = false;
        const burst = pool(3000, 16, async () => {
          if (stop) return;
          const id = uniqueTaskId("k");
          try {
            const res = await crashServer.callback(coverSuccess(id));
            if (res.status === 200) answered.push(id);
          } catch {
            // the server died under this request: it was never answered
          }
        });
        const deadline = Date.now() + 30_000; // a stuck server() fails the check below instead of hanging here
        while (answered.length < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        await crashServer.stop("SIGKILL");
        stop = true;
        await burst;
        expect(answered.length, logTail(crashServer)).toBeGreaterThanOrEqual(300);

        await crashServer.restart();
        const present = new Set((await crashServer.sql<{ task_id: string }>("select task_id from tasks")).map((r) => r.task_id));
        const [deliveries] = await crashServer.sql<{ n: number }>("select count(*) as n from deliveries");
        expect(answered.filter((id) => !present.has(id))).toEqual([]);
        expect(deliveries!.n).toBeGreaterThanOrEqual(answered.length);
        expect((await fetch(`${crashServer.url}/api/health`)).status).toBe(200);
      } finally {
        await crashServer.close();
      }
    });
  });
});
