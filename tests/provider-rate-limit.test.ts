// 60 pending tracked tasks polled with tiny intervals: the fake provider never
// sees more than 20 requests in any 10 seconds, and manual actions still get through.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFakeProvider, type FakeProvider } from "../scripts/lib/fake-provider";
import { startServer, type TestServer } from "./helpers/server";

const LIMIT = 20;
const WINDOW_MS = 10_000;
const RUN_MS = 25_000;
const TASKS = 60;

let fake: FakeProvider;
let server: TestServer;
beforeAll(async () => {
  fake = await startFakeProvider({ delayMs: 1_000 });
  server = await startServer({
    env: { SUNO_API_BASE_URL: fake.url, SUNO_API_KEY: fake.key, POLL_AFTER_SECONDS: "0", POLL_INTERVAL_SECONDS: "1" },
  });
});
afterAll(async () => {
  await server?.stop();
  await fake?.stop();
});

/** The most requests that arrived within any WINDOW_MS. */
function busiestWindow(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]! - sorted[i]! >= WINDOW_MS) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

it(
  `never more than ${LIMIT} requests in any ${WINDOW_MS / 1000} s, over ${RUN_MS / 1000} s of ${TASKS} tasks due every second`,
  { timeout: 90_000 },
  async () => {
    const started = Date.now();
    const ids = Array.from({ length: TASKS }, (_, i) => `pending-${i}-${Math.random().toString(36).slice(2, 8)}`);
    for (const taskId of ids) fake.addTask({ kind: i(taskId) % 2 ? "wav" : "cover", taskId, marker: "never" });
    const tracked = await Promise.all(
      ids.map((taskId) =>
        fetch(new URL("/api/tasks", server.url), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ action: "track", kind: i(taskId) % 2 ? "wav" : "cover", taskId }),
        }).then((r) => r.status),
      ),
    );
    // Tracking never fails for lack of room: the immediate poll is skipped instead.
    expect(tracked.every((s) => s === 201)).toBe(true);

    // Halfway, a person clicks "Poll now" and "credits": the reserve lets them through (or a clear 429).
    await new Promise((r) => setTimeout(r, RUN_MS / 2));
    const manual = await fetch(new URL(`/api/tasks/${ids[0]}/poll`, server.url), { method: "POST" });
    const manualBody = (await manual.json()) as { error?: { code: string; message: string } };
    if (manual.status === 429) {
      expect(manualBody.error).toMatchObject({ code: "rate_limited" });
      expect(manualBody.error!.message).toContain("20 requests every 10 seconds");
    } else {
      expect(manual.status).toBe(200);
    }

    await new Promise((r) => setTimeout(r, started + RUN_MS - Date.now()));
    const times = fake.requests.filter((r) => r.at <= started + RUN_MS).map((r) => r.at);
    const busiest = busiestWindow(times);
    console.log(
      `${times.length} provider requests in ${RUN_MS / 1000} s; busiest ${WINDOW_MS / 1000} s window: ${busiest}; manual poll: ${manual.status}`,
    );
    expect(busiest).toBeLessThanOrEqual(LIMIT);
    // The limiter is used, not idle: close to the budget of 2.5 windows.
    expect(times.length).toBeGreaterThanOrEqual(35);
    // The provider never had to say "too many".
    expect(fake.requests.filter((r) => r.code === 429 || r.code === 430 || r.code === 405)).toEqual([]);
    // Every task got polled in turn (oldest due first), none starved.
    const polled = new Set(fake.requests.map((r) => r.query.taskId));
    expect(ids.filter((id) => polled.has(id)).length).toBeGreaterThanOrEqual(Math.min(TASKS, times.length - 5));
  },
);

/** A stable number from a task id, to mix kinds. */
function i(taskId: string): number {
  return Number(taskId.split("-")[1]);
}
