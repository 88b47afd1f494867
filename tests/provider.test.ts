// Talking to the provider, over real HTTP: `next start` wired to the fake
// provider on 127.0.0.1 (scripts/lib/fake-provider.ts). Submitting, polling and
// provider errors run once per database driver (tests/helpers/drivers.ts), each
// with its own fake and server; the missing-key checks use the default driver.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaskDetail } from "@/db/queries/dto";
import type { getProviderStatus } from "@/lib/provider/status";
import { startFakeProvider, type FakeProvider } from "../scripts/lib/fake-provider";
import { describeEachDatabase, writeSql } from "./helpers/drivers";
import { requestJson, taskDetail } from "./helpers/http";
import { uniqueTaskId } from "./helpers/ids";
import { startServer, TOKEN, type TestServer } from "./helpers/server";
import { waitFor } from "./helpers/wait";

type ErrorBody = { error: { code: string; message: string } };
type ProviderStatus = Awaited<ReturnType<typeof getProviderStatus>>;

const settled = (server: TestServer, taskId: string, timeoutMs = 20_000) =>
  waitFor(
    () => taskDetail(server, taskId),
    (d) => d.task.status !== "pending",
    { timeoutMs, what: `${taskId} to settle` },
  );

describeEachDatabase("with SUNO_API_KEY", (database) => {
  let fake: FakeProvider;
  let server: TestServer;
  beforeAll(async () => {
    fake = await startFakeProvider({ delayMs: 1_500, timeScale: 0.001 });
    server = await startServer({
      database,
      env: {
        SUNO_API_BASE_URL: fake.url,
        SUNO_API_KEY: fake.key,
        DOWNLOAD_ALLOW_PRIVATE: "1",
        POLL_AFTER_SECONDS: "3",
        POLL_INTERVAL_SECONDS: "2",
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await fake?.stop();
  });

  it("submits a cover with the right body and Bearer header; the callback makes it succeed", async () => {
    const musicTaskId = uniqueTaskId("music");
    const created = await requestJson<TaskDetail>(server, "/api/tasks", { body: { action: "cover", musicTaskId } });
    expect(created.status).toBe(201);
    const { task } = created.body;
    expect(task).toMatchObject({ kind: "cover", status: "pending", lastSource: "submit", parentTaskId: musicTaskId });
    expect(created.body.events.map((e) => e.type)).toContain("submitted");

    const call = fake.requests.find(
      (r) => r.path === "/api/v1/suno/cover/generate" && (r.body as { taskId?: string }).taskId === musicTaskId,
    );
    expect(call).toBeDefined();
    expect(call!.method).toBe("POST");
    expect(call!.authorization).toBe(`Bearer ${fake.key}`);
    expect(call!.contentType).toBe("application/json");
    expect(call!.body).toEqual({ taskId: musicTaskId, callBackUrl: `${server.url}/api/callbacks/cover?token=${TOKEN}` });

    const done = await settled(server, task.taskId);
    expect(done.task).toMatchObject({ status: "succeeded", code: 200, lastSource: "callback", deliveryCount: 1 });
    expect(done.assets.map((a) => [a.type, a.position, a.remoteUrl])).toEqual([
      ["image", 0, `${fake.url}/files/${task.taskId}/0.png`],
      ["image", 1, `${fake.url}/files/${task.taskId}/1.png`],
    ]);
    // The fake notes the delivery once it has read the answer, just after the dashboard committed it.
    const attempts = await waitFor(
      () => fake.callbacks.filter((c) => c.taskId === task.taskId),
      (a) => a.length > 0,
      { timeoutMs: 5_000, stepMs: 20, what: "the fake's callback" },
    );
    expect(attempts.map((c) => c.status)).toEqual([200]);
  });

  it("submits a WAV conversion; duplicate callbacks leave one succeeded task", async () => {
    const musicTaskId = uniqueTaskId("music");
    const created = await requestJson<TaskDetail>(server, "/api/tasks", { body: { action: "wav", musicTaskId, audioId: "track-dup-3" } });
    expect(created.status).toBe(201);
    expect(created.body.task).toMatchObject({ kind: "wav", status: "pending", parentTaskId: musicTaskId, audioId: "track-dup-3" });
    const call = fake.requests.find((r) => r.path === "/api/v1/wav/generate" && (r.body as { taskId?: string }).taskId === musicTaskId);
    expect(call!.body).toEqual({
      taskId: musicTaskId,
      audioId: "track-dup-3",
      callBackUrl: `${server.url}/api/callbacks/wav?token=${TOKEN}`,
    });

    const done = await waitFor(
      () => taskDetail(server, created.body.task.taskId),
      (d) => d.task.deliveryCount === 3,
    );
    expect(done.task).toMatchObject({ status: "succeeded", deliveryCount: 3 });
    expect(done.assets).toHaveLength(1);
    expect(done.assets[0]).toMatchObject({ type: "audio", remoteUrl: `${fake.url}/files/${created.body.task.taskId}.wav` });
  });

  it("no callback: the automatic poller finds the result", async () => {
    const created = await requestJson<TaskDetail>(server, "/api/tasks", {
      body: { action: "cover", musicTaskId: uniqueTaskId("music-nocallback") },
    });
    expect(created.status).toBe(201);
    const taskId = created.body.task.taskId;
    const done = await settled(server, taskId);
    expect(done.task).toMatchObject({ status: "succeeded", code: 200, lastSource: "poll", deliveryCount: 0 });
    expect(done.task.pollCount).toBeGreaterThanOrEqual(1);
    expect(done.assets).toHaveLength(2);
    expect(done.events.some((e) => e.type === "poll" && e.detail?.startsWith("succeeded"))).toBe(true);
    expect(fake.callbacks.some((c) => c.taskId === taskId)).toBe(false);
    const polls = fake.requests.filter((r) => r.path === "/api/v1/suno/cover/record-info" && r.query.taskId === taskId);
    expect(polls.length).toBe(done.task.pollCount);
    expect(polls.every((r) => r.authorization === `Bearer ${fake.key}`)).toBe(true);
    // The first poll waits POLL_AFTER_SECONDS after the submission.
    const submittedAt = fake.tasks.get(taskId)!.createdAt;
    expect(polls[0]!.at - submittedAt).toBeGreaterThanOrEqual(2_900);
  });

  it("a failed WAV (GENERATE_WAV_FAILED) found by polling is failed with the provider's code and message", async () => {
    const created = await requestJson<TaskDetail>(server, "/api/tasks", {
      body: {
        action: "wav",
        musicTaskId: uniqueTaskId("music"),
        audioId: "nocallback-fail-451",
      },
    });
    const done = await settled(server, created.body.task.taskId);
    expect(done.task).toMatchObject({ status: "failed", code: 451, message: "Unable to download source audio file", lastSource: "poll" });
    expect(done.assets).toEqual([]);
    // Polling stops once the task is final.
    const count = done.task.pollCount;
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await taskDetail(server, created.body.task.taskId)).task.pollCount).toBe(count);
  });

  it('"already exists" answers (cover 400, WAV 409) are followed, not reported as errors', async () => {
    // Work the provider already has but the dashboard never saw: submitted straight to the fake.
    const musicTaskId = uniqueTaskId("music");
    const cover = fake.generate("cover", { taskId: musicTaskId, callBackUrl: "http://127.0.0.1:9/elsewhere" }) as {
      data: { taskId: string };
    };
    const wav = fake.generate("wav", { taskId: musicTaskId, audioId: "a1", callBackUrl: "http://127.0.0.1:9/elsewhere" }) as {
      data: { taskId: string };
    };

    const c = await requestJson<TaskDetail>(server, "/api/tasks", { body: { action: "cover", musicTaskId } });
    expect(c.status).toBe(201);
    expect(c.body.task).toMatchObject({ taskId: cover.data.taskId, kind: "cover", parentTaskId: musicTaskId });
    expect(c.body.events.find((e) => e.type === "submitted")?.detail).toContain("already had a cover");
    const w = await requestJson<TaskDetail>(server, "/api/tasks", { body: { action: "wav", musicTaskId, audioId: "a1" } });
    expect(w.status).toBe(201);
    expect(w.body.task).toMatchObject({ taskId: wav.data.taskId, kind: "wav", audioId: "a1" });
    expect(fake.requests.filter((r) => r.body && (r.body as { taskId?: string }).taskId === musicTaskId).map((r) => r.code)).toEqual([
      400, 409,
    ]);

    // Their callbacks went elsewhere: polling brings the results.
    expect((await settled(server, cover.data.taskId)).task).toMatchObject({ status: "succeeded", lastSource: "poll" });
    expect((await settled(server, wav.data.taskId)).task).toMatchObject({ status: "succeeded", lastSource: "poll" });

    // Asking again for a task the dashboard already has answers 200 with the same task.
    const again = await requestJson<TaskDetail>(server, "/api/tasks", { body: { action: "cover", musicTaskId } });
    expect(again.status).toBe(200);
    expect(again.body.task.taskId).toBe(cover.data.taskId);
  });

  it("tracks a task submitted elsewhere, polling it right away", async () => {
    const taskId = uniqueTaskId("elsewhere");
    fake.addTask({ kind: "wav", taskId, marker: "nocallback" });
    const tracked = await requestJson<TaskDetail>(server, "/api/tasks", { body: { action: "track", kind: "wav", taskId } });
    expect(tracked.status).toBe(201);
    expect(tracked.body.task).toMatchObject({ taskId, kind: "wav", lastSource: "submit", pollCount: 1 });
    expect(tracked.body.events.map((e) => e.type)).toEqual(["poll", "submitted"]);
    expect((await settled(server, taskId)).task).toMatchObject({ status: "succeeded", lastSource: "poll" });
    const again = await requestJson<TaskDetail>(server, "/api/tasks", { body: { action: "track", kind: "wav", taskId } });
    expect(again.status).toBe(200);
    const mismatch = await requestJson<ErrorBody>(server, "/api/tasks", { body: { action: "track", kind: "cover", taskId } });
    expect(mismatch.status).toBe(409);
    expect(mismatch.body.error.code).toBe("kind_mismatch");
  });

  it("poll now answers the updated detail; every poll is an event, a failed one too", async () => {
    const taskId = uniqueTaskId("elsewhere");
    fake.addTask({ kind: "cover", taskId, marker: "never" });
    await requestJson<TaskDetail>(server, "/api/tasks", { body: { action: "track", kind: "cover", taskId } });
    const before = await taskDetail(server, taskId);
    const polled = await requestJson<TaskDetail>(server, `/api/tasks/${taskId}/poll`, { method: "POST" });
    expect(polled.status).toBe(200);
    expect(polled.body.task.status).toBe("pending");
    expect(polled.body.task.pollCount).toBeGreaterThan(before.task.pollCount);
    expect(polled.body.events[0]).toMatchObject({ type: "poll", detail: "still pending at the provider" });

    // A task the provider does not know: the error is answered and on the timeline.
    const unknown = uniqueTaskId("unknown");
    await requestJson<TaskDetail>(server, "/api/tasks", { body: { action: "track", kind: "cover", taskId: unknown } });
    const failed = await requestJson<ErrorBody>(server, `/api/tasks/${unknown}/poll`, { method: "POST" });
    expect(failed.status).toBe(404);
    expect(failed.body.error.code).toBe("provider_not_found");
    const events = (await taskDetail(server, unknown)).events;
    expect(events[0]).toMatchObject({ type: "poll_failed" });
    expect(events[0]!.detail).toContain("Task not found");

    const missing = await requestJson<ErrorBody>(server, `/api/tasks/no-such-task/poll`, { method: "POST" });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
  });

  it("polls tasks pending for hours less often, and gives up after 48 h", async () => {
    const HOUR = 3_600_000;
    const ages = { recent: 0, hours: 2 * HOUR, day: 7 * HOUR, old: 49 * HOUR };
    const ids = Object.fromEntries(Object.keys(ages).map((k) => [k, uniqueTaskId(`aged-${k}`)])) as Record<keyof typeof ages, string>;
    for (const taskId of Object.values(ids)) {
      fake.addTask({ kind: "cover", taskId, marker: "never" });
      expect((await requestJson<TaskDetail>(server, "/api/tasks", { body: { action: "track", kind: "cover", taskId } })).status).toBe(201);
    }
    // Travel in time: the tasks were first seen long ago and are due now.
    const now = Date.now();
    for (const [k, age] of Object.entries(ages)) {
      const changed = await writeSql(server, "update tasks set created_at = ?, next_poll_at = ? where task_id = ?", [
        now - age,
        now,
        ids[k as keyof typeof ages],
      ]);
      expect(changed).toBe(1);
    }
    const gaveUp = await waitFor(
      () => taskDetail(server, ids.old),
      (d) => d.events.some((e) => e.type === "poll_gave_up"),
      { timeoutMs: 10_000, what: "polling to give up" },
    );
    expect(gaveUp.events[0]!.detail).toContain("48 hours");
    const gap = (taskId: string) =>
      waitFor(
        async () =>
          (
            await server.sql<{ polled: number | null; next: number | null }>(
              "select last_polled_at as polled, next_poll_at as next from tasks where task_id = ?",
              [taskId],
            )
          )[0]!,
        (row) => row.polled !== null && row.polled >= now,
        { timeoutMs: 10_000, what: `a poll of ${taskId}` },
      ).then((row) => row.next! - row.polled!);
    const interval = 2_000;
    expect(await gap(ids.recent)).toBe(interval);
    expect(await gap(ids.hours)).toBe(4 * interval);
    expect(await gap(ids.day)).toBe(20 * interval);
    const [old] = await server.sql<{ next: number | null; polls: number }>(
      "select next_poll_at as next, poll_count as polls from tasks where task_id = ?",
      [ids.old],
    );
    expect(old!.next).toBeNull();
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await taskDetail(server, ids.old)).task.pollCount).toBe(old!.polls);
  });

  it("provider codes become clear errors", async () => {
    const cases: [string, number, string, string][] = [
      ["reject-402", 402, "provider_no_credits", "credits"],
      ["reject-455", 503, "provider_maintenance", "maintenance"],
      ["reject-401", 502, "provider_unauthorized", "SUNO_API_KEY"],
      ["reject-404", 404, "provider_not_found", "does not know"],
      ["reject-500", 502, "provider_error", "code 500"],
    ];
    for (const [marker, status, code, words] of cases) {
      const res = await requestJson<ErrorBody>(server, "/api/tasks", {
        body: { action: "cover", musicTaskId: uniqueTaskId(`music-${marker}`) },
      });
      expect([marker, res.status, res.body.error.code]).toEqual([marker, status, code]);
      expect(res.body.error.message).toContain(words);
    }
    // On the WAV endpoint 429 means "insufficient credits".
    const wav = await requestJson<ErrorBody>(server, "/api/tasks", {
      body: { action: "wav", musicTaskId: uniqueTaskId("music"), audioId: "reject-429" },
    });
    expect([wav.status, wav.body.error.code]).toEqual([402, "provider_no_credits"]);
  });

  it("rejects bad bodies before calling the provider", async () => {
    const before = fake.requests.length;
    for (const body of [
      { action: "cover" },
      { action: "wav", musicTaskId: "m" },
      { action: "track", kind: "mp3", taskId: "t" },
      { action: "remix" },
      "not json",
    ]) {
      const res = await fetch(new URL("/api/tasks", server.url), {
        method: "POST",
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      expect(res.status).toBe(400);
    }
    expect(fake.requests.length).toBe(before);
  });

  it("GET /api/provider reports the configuration and the credits", async () => {
    const { status, body } = await server.getJson<ProviderStatus>("/api/provider");
    expect(status).toBe(200);
    expect(body).toMatchObject({ configured: true, baseUrl: fake.url, error: null });
    expect(body.credits).toBeGreaterThan(900);
    expect(fake.requests.some((r) => r.path === "/api/v1/generate/credit" && r.authorization === `Bearer ${fake.key}`)).toBe(true);
  });
});

describe("without SUNO_API_KEY", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { SUNO_API_KEY: "", SUNO_API_BASE_URL: "http://127.0.0.1:9" } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("submit, track and poll answer a clear error naming SUNO_API_KEY; receiving still works", async () => {
    for (const body of [
      { action: "cover", musicTaskId: "m1" },
      { action: "wav", musicTaskId: "m1", audioId: "a1" },
      { action: "track", kind: "cover", taskId: "t1" },
    ]) {
      const res = await requestJson<ErrorBody>(server, "/api/tasks", { body: body });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe("provider_not_configured");
      expect(res.body.error.message).toContain("SUNO_API_KEY");
    }
    const received = await server.callback({
      code: 200,
      msg: "success",
      data: { taskId: "nokey-1", images: ["http://127.0.0.1:9/a.png"] },
    });
    expect(received.status).toBe(200);
    expect((await taskDetail(server, "nokey-1")).task.status).toBe("succeeded");
    const poll = await requestJson<ErrorBody>(server, "/api/tasks/nokey-1/poll", { method: "POST" });
    expect(poll.status).toBe(503);
    expect(poll.body.error.message).toContain("SUNO_API_KEY");

    const status = await server.getJson<ProviderStatus>("/api/provider");
    expect(status.body).toMatchObject({ configured: false, credits: null, error: { code: "provider_not_configured" } });
  });
});

describeEachDatabase("with a wrong SUNO_API_KEY", (database) => {
  let fake: FakeProvider;
  let server: TestServer;
  beforeAll(async () => {
    fake = await startFakeProvider();
    server = await startServer({ database, env: { SUNO_API_BASE_URL: fake.url, SUNO_API_KEY: "not-the-key", POLL_AFTER_SECONDS: "0" } });
  });
  afterAll(async () => {
    await server?.close();
    await fake?.stop();
  });

  it("says the provider rejected the key, on submit, on poll and on the status read", async () => {
    const submit = await requestJson<ErrorBody>(server, "/api/tasks", { body: { action: "cover", musicTaskId: "m1" } });
    expect([submit.status, submit.body.error.code]).toEqual([502, "provider_unauthorized"]);
    expect(submit.body.error.message).toContain("SUNO_API_KEY");
    expect(fake.requests[0]!.authorization).toBe("Bearer not-the-key");

    fake.addTask({ kind: "cover", taskId: "wrong-key-1" });
    expect(
      (await requestJson<TaskDetail>(server, "/api/tasks", { body: { action: "track", kind: "cover", taskId: "wrong-key-1" } })).status,
    ).toBe(201);
    const poll = await requestJson<ErrorBody>(server, "/api/tasks/wrong-key-1/poll", { method: "POST" });
    expect([poll.status, poll.body.error.code]).toEqual([502, "provider_unauthorized"]);
    const events = (await taskDetail(server, "wrong-key-1")).events;
    expect(events[0]).toMatchObject({ type: "poll_failed" });
    expect(events[0]!.detail).toContain("SUNO_API_KEY");

    const status = await server.getJson<ProviderStatus>("/api/provider");
    expect(status.body).toMatchObject({ configured: true, credits: null, error: { code: "provider_unauthorized" } });
  });
});
