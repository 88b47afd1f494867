// Notifications out, end to end against `next start`: destinations made over
// the API, events found from the timeline, requests to a real local receiver
// that checks Standard Webhooks signatures with the `standardwebhooks`
// package; retries with one webhook-id, a kill -9 mid-send, Discord and Slack
// shapes, a destination that never answers. Once per database driver.
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeMp3, makePng } from "../scripts/lib/media";
import { allStored, waitForAssets } from "./helpers/assets";
import { coverSuccess } from "./helpers/callbacks";
import { uniqueTaskId } from "./helpers/ids";
import { describeEachDatabase, writeSql } from "./helpers/drivers";
import { bytes, startFileServer, type FileServer } from "./helpers/file-server";
import { requestJson } from "./helpers/http";
import { startReceiver, type Receiver, type Received } from "./helpers/receiver";
import { startServer, type TestServer } from "./helpers/server";
import { waitFor } from "./helpers/wait";

/** `secret` only in the answers that make one (create, rotate); `secretHint` everywhere. */
type Destination = {
  id: number;
  url: string;
  format: string;
  events: string[];
  secret?: string | null;
  secretHint: string | null;
  enabled: boolean;
};
type Attempt = {
  id: number;
  notificationId: number;
  event: string;
  messageId: string;
  statusCode: number | null;
  error: string | null;
  ok: boolean;
  notificationStatus: string;
};
type WebhookBody = {
  type: string;
  timestamp: string;
  data: { task: { taskId: string; status: string } | null; assets: { fileUrl: string | null; status: string }[] };
};

const ALL_EVENTS = ["task.succeeded", "task.failed", "task.files_stored", "task.files_at_risk"];
const CRON_SECRET = "cron-secret-0123456789abcdef";
const DAY_MS = 86_400_000;
const png = makePng(32, 32, 0);

const failedCallback = (taskId: string) => ({ code: 501, msg: "Cover generation failed", data: { taskId, images: null } });
const bodyOf = (r: Received) => r.json as WebhookBody;

it("refuses a private-address destination while NOTIFY_ALLOW_PRIVATE is off", async () => {
  const server = await startServer();
  try {
    for (const url of ["http://127.0.0.1:9/hook", "http://10.0.0.1/hook", "http://localhost:9/hook", "http://[::1]:9/hook"]) {
      const res = await requestJson<{ error: { code: string; message: string } }>(server, "/api/destinations", {
        body: {
          url,
          format: "webhook",
          events: ["task.succeeded"],
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("destination_refused");
      expect(res.body.error.message).toMatch(/refused address .*are not notified \(NOTIFY_ALLOW_PRIVATE=1 allows them\)/);
    }
    const bad = await requestJson<{ error: { code: string } }>(server, "/api/destinations", {
      body: {
        url: "ftp://example.com",
        format: "slack",
        events: [],
      },
    });
    expect(bad.status).toBe(400);
    expect((await requestJson<{ items: unknown[] }>(server, "/api/destinations")).body.items).toEqual([]);
  } finally {
    await server.close();
  }
});

it("without a worker, a callback's own after() sends its notifications, and the cron tick reports them", async () => {
  const [files, receiver] = await Promise.all([startFileServer(), startReceiver()]);
  files.route("/cover.png", bytes(png, "image/png"));
  const server = await startServer({
    env: { WORKER: "0", CRON_SECRET, DOWNLOAD_ALLOW_PRIVATE: "1", NOTIFY_ALLOW_PRIVATE: "1" },
  });
  try {
    const created = await requestJson<Destination>(server, "/api/destinations", {
      body: {
        url: `${receiver.url}/after`,
        format: "webhook",
        events: ["task.succeeded", "task.files_stored"],
      },
    });
    receiver.secret("/after", created.body.secret!);
    const taskId = uniqueTaskId("after");
    await server.callback(coverSuccess(taskId, [`${files.url}/cover.png`]));
    const types = () => receiver.received("/after").map((r) => bodyOf(r).type);
    await waitFor(types, (t) => t.length === 2, { what: "both events with no tick" });
    expect(types().sort()).toEqual(["task.files_stored", "task.succeeded"]);
    expect(receiver.received("/after").every((r) => r.verified)).toBe(true);
    const tick = await fetch(new URL("/api/cron/tick", server.url), { headers: { authorization: `Bearer ${CRON_SECRET}` } });
    expect((await tick.json()).notifications).toMatchObject({ queued: 0, started: 0, due: 0 });
  } finally {
    await server.close();
    await Promise.all([files.close(), receiver.close()]);
  }
});

describeEachDatabase("notifications", (database) => {
  let server: TestServer;
  let files: FileServer;
  let receiver: Receiver;

  beforeAll(async () => {
    [files, receiver] = await Promise.all([startFileServer(), startReceiver()]);
    files.route("/cover.png", bytes(png, "image/png"));
    files.route("/track.mp3", bytes(makeMp3(1), "audio/mpeg"));
    files.route("/gone.png", (_req, res) => res.writeHead(410).end());
    server = await startServer({
      database,
      // Short retries, so three tries take seconds here; the default schedule spans a day.
      env: {
        DOWNLOAD_ALLOW_PRIVATE: "1",
        NOTIFY_ALLOW_PRIVATE: "1",
        NOTIFY_RETRY_DELAYS_SECONDS: "1,1,1",
        // Retention run on demand by the cron tick (files stored by these tests are far younger).
        FILE_RETENTION_DAYS: "10",
        CRON_SECRET,
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([files?.close(), receiver?.close()]);
  });

  const addDestination = async (path: string, format: string, events: string[]) => {
    const res = await requestJson<Destination>(server, "/api/destinations", {
      body: { url: `${receiver.url}${path}`, format, events, name: path },
    });
    expect(res.status).toBe(201);
    if (res.body.secret) receiver.secret(path, res.body.secret);
    return res.body;
  };
  const disable = (d: Destination) => requestJson(server, `/api/destinations/${d.id}`, { method: "PATCH", body: { enabled: false } });
  const ofTask = (path: string, taskId: string) => receiver.received(path).filter((r) => JSON.stringify(r.json).includes(taskId));

  it("sends each event once, signed, with the documented body", { timeout: 60_000 }, async () => {
    const hook = await addDestination("/all", "webhook", ALL_EVENTS);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const listed = await requestJson<{ items: Destination[] }>(server, "/api/destinations");
    expect(listed.body.items.map((d) => d.id)).toContain(hook.id);

    const ok = uniqueTaskId("ok");
    const failed = uniqueTaskId("failed");
    const risky = uniqueTaskId("risky");
    expect((await server.callback(coverSuccess(ok, [`${files.url}/cover.png`]))).status).toBe(200);
    expect((await server.callback(failedCallback(failed))).status).toBe(200);
    expect((await server.callback(coverSuccess(risky, [`${files.url}/gone.png`]))).status).toBe(200);
    await waitForAssets(server, risky, (a) => a[0]!.status === "failed");
    // The provider deletes this task's files tomorrow and none is stored.
    await writeSql(server, "update tasks set files_expire_at = ? where task_id = ?", [Date.now() + 86_400_000, risky]);

    const expected = [
      ["task.succeeded", ok],
      ["task.files_stored", ok],
      ["task.failed", failed],
      ["task.succeeded", risky],
      ["task.files_at_risk", risky],
    ];
    const seen = () => receiver.received("/all").map((r) => [bodyOf(r).type, bodyOf(r).data.task?.taskId]);
    await waitFor(seen, (all) => expected.every((e) => all.some((s) => s[0] === e[0] && s[1] === e[1])), {
      timeoutMs: 30_000,
      what: "every event",
    });
    await new Promise((r) => setTimeout(r, 2_500)); // nothing more comes
    const mine = receiver.received("/all").filter((r) => [ok, failed, risky].includes(bodyOf(r).data.task?.taskId ?? ""));
    expect(mine.map((r) => [bodyOf(r).type, bodyOf(r).data.task?.taskId]).sort()).toEqual([...expected].sort());
    for (const r of mine) {
      expect(r.verified).toBe(true);
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.headers["webhook-id"]).toMatch(/^msg_/);
      const body = bodyOf(r);
      expect(Object.keys(body).sort()).toEqual(["data", "timestamp", "type"]);
      expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false);
      expect(Object.keys(body.data).sort()).toEqual(["assets", "task"]);
    }
    expect(new Set(mine.map((r) => r.headers["webhook-id"])).size).toBe(mine.length);
    const stored = bodyOf(mine.find((r) => bodyOf(r).type === "task.files_stored")!);
    expect(stored.data.assets[0]!.status).toBe("stored");
    expect(stored.data.assets[0]!.fileUrl).toMatch(new RegExp(`^${server.url}/api/assets/\\d+/file$`));
    expect(bodyOf(mine.find((r) => bodyOf(r).type === "task.failed")!).data.task!.status).toBe("failed");
    await disable(hook);
  });

  it(
    "a music task is announced when it completes: the files of its first track being stored is no news yet",
    { timeout: 60_000 },
    async () => {
      const hook = await addDestination("/music", "webhook", ALL_EVENTS);
      const taskId = uniqueTaskId("music");
      const track = (id: string) => ({
        id,
        audio_url: `${files.url}/track.mp3`,
        image_url: `${files.url}/cover.png`,
        title: `Song ${id}`,
        tags: "rock",
        prompt: "[Verse] la",
        model_name: "chirp-v3-5",
        duration: 1,
      });
      const music = (callbackType: string, tracks: ReturnType<typeof track>[]) => ({
        code: 200,
        msg: "ok",
        data: { callbackType, task_id: taskId, data: tracks },
      });
      expect((await server.callback(music("first", [track("t1")]))).status).toBe(200);
      await waitForAssets(server, taskId, (a) => a.length === 2 && allStored(a));
      // Notifications are sent within a second or two of their event; none comes for a task still at its first track.
      await new Promise((r) => setTimeout(r, 3_000));
      expect(ofTask("/music", taskId)).toEqual([]);

      expect((await server.callback(music("complete", [track("t1"), track("t2")]))).status).toBe(200);
      await waitForAssets(server, taskId, (a) => a.length === 4 && allStored(a));
      const types = () => ofTask("/music", taskId).map((r) => bodyOf(r).type);
      await waitFor(types, (t) => t.length === 2, { timeoutMs: 20_000, what: "succeeded and files_stored" });
      expect(types().sort()).toEqual(["task.files_stored", "task.succeeded"]);
      const stored = bodyOf(ofTask("/music", taskId).find((r) => bodyOf(r).type === "task.files_stored")!);
      expect(stored.data.assets).toHaveLength(4);
      expect(stored.data.assets.every((a) => a.status === "stored")).toBe(true);
      await disable(hook);
    },
  );

  it("never says files retention removed on purpose are at risk", async () => {
    const hook = await addDestination("/risk", "webhook", ["task.files_at_risk"]);
    const removed = uniqueTaskId("removed");
    const risky = uniqueTaskId("risky-too");
    expect((await server.callback(coverSuccess(removed, [`${files.url}/cover.png`]))).status).toBe(200);
    await waitForAssets(server, removed, (a) => a[0]!.status === "stored");
    await writeSql(server, "update assets set stored_at = ? where task_id = ?", [Date.now() - 11 * DAY_MS, removed]);
    const tick = await fetch(new URL("/api/cron/tick", server.url), { headers: { authorization: `Bearer ${CRON_SECRET}` } });
    expect((await tick.json()).retention).toMatchObject({ filesRemoved: 1 });
    await waitForAssets(server, removed, (a) => a[0]!.status === "removed");
    expect((await server.callback(coverSuccess(risky, [`${files.url}/gone.png`]))).status).toBe(200);
    await waitForAssets(server, risky, (a) => a[0]!.status === "failed");
    // Both tasks' files are deleted by the provider tomorrow: the removed one first, so any scan that sees one sees both.
    for (const taskId of [removed, risky]) {
      await writeSql(server, "update tasks set files_expire_at = ? where task_id = ?", [Date.now() + DAY_MS, taskId]);
    }
    await waitFor(
      () => ofTask("/risk", risky),
      (sent) => sent.length > 0,
      { timeoutMs: 30_000, what: "the failed file's notice" },
    );
    await new Promise((r) => setTimeout(r, 2_500)); // nothing more comes
    expect(ofTask("/risk", risky).map((r) => bodyOf(r).type)).toEqual(["task.files_at_risk"]);
    expect(ofTask("/risk", removed)).toEqual([]);
    await disable(hook);
  });

  it("retries a failing receiver with the same webhook-id, and logs every attempt", async () => {
    const flaky = await addDestination("/flaky", "webhook", ["task.succeeded"]);
    receiver.script("/flaky", [500, 500, 200]);
    const taskId = uniqueTaskId("flaky");
    await server.callback(coverSuccess(taskId, [`${files.url}/cover.png`]));
    const tries = await waitFor(
      () => ofTask("/flaky", taskId),
      (t) => t.length >= 3,
      { what: "three tries" },
    );
    expect(new Set(tries.map((r) => r.headers["webhook-id"])).size).toBe(1);
    expect(tries.every((r) => r.verified)).toBe(true);
    expect(new Set(tries.map((r) => r.body)).size).toBe(1); // the same event each time

    const attempts = await waitFor(
      async () => (await requestJson<{ items: Attempt[] }>(server, `/api/destinations/${flaky.id}/attempts`)).body.items,
      (items) => items.length >= 3 && items[0]!.ok,
      { what: "three attempts logged" },
    );
    expect(attempts.map((a) => [a.statusCode, a.ok])).toEqual([
      [200, true],
      [500, false],
      [500, false],
    ]);
    expect(attempts[1]!.error).toMatch(/^HTTP 500/);
    expect(new Set(attempts.map((a) => a.messageId))).toEqual(new Set([tries[0]!.headers["webhook-id"]]));
    expect(attempts[0]!.notificationStatus).toBe("delivered");

    const page1 = await requestJson<{ items: Attempt[]; nextCursor: string }>(server, `/api/destinations/${flaky.id}/attempts?limit=2`);
    expect(page1.body.items).toHaveLength(2);
    const page2 = await requestJson<{ items: Attempt[] }>(
      server,
      `/api/destinations/${flaky.id}/attempts?limit=2&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body.items.map((a) => a.id)).toEqual([attempts[2]!.id]);
    await disable(flaky);
  });

  it("gives up after the last retry, and a failed notification can be resent by hand", async () => {
    const dead = await addDestination("/dead", "webhook", ["task.succeeded"]);
    receiver.script("/dead", [503, 503, 503, 503]);
    const taskId = uniqueTaskId("dead");
    await server.callback(coverSuccess(taskId, [`${files.url}/cover.png`]));
    const failed = await waitFor(
      async () => (await requestJson<{ items: Attempt[] }>(server, `/api/destinations/${dead.id}/attempts`)).body.items,
      (items) => items[0]?.notificationStatus === "failed",
      { what: "the notification to fail" },
    );
    expect(failed).toHaveLength(4); // the first try and three retries
    expect(failed[0]!.error).toMatch(/gave up after 4 attempts/);

    const resent = await requestJson<{ status: string }>(server, `/api/notifications/${failed[0]!.notificationId}/resend`, {
      method: "POST",
    });
    expect(resent.status).toBe(202);
    await waitFor(
      () => ofTask("/dead", taskId),
      (t) => t.length === 5,
      { what: "the resend" },
    );
    const ids = new Set(ofTask("/dead", taskId).map((r) => r.headers["webhook-id"]));
    expect(ids.size).toBe(1);
    expect((await requestJson(server, "/api/notifications/999999/resend", { method: "POST" })).status).toBe(404);
    await disable(dead);
  });

  it("sends Discord and Slack their documented incoming-webhook shapes, with the cover image", async () => {
    const discord = await addDestination("/discord", "discord", ["task.succeeded"]);
    const slack = await addDestination("/slack", "slack", ["task.succeeded"]);
    expect(discord.secret).toBeNull();
    const taskId = uniqueTaskId("chat");
    const image = `${files.url}/cover.png`;
    await server.callback(coverSuccess(taskId, [image]));
    const [d] = await waitFor(
      () => ofTask("/discord", taskId),
      (t) => t.length > 0,
      { what: "discord" },
    );
    const [s] = await waitFor(
      () => ofTask("/slack", taskId),
      (t) => t.length > 0,
      { what: "slack" },
    );
    expect(d!.headers["webhook-signature"]).toBeUndefined();

    const dj = d!.json as { content: unknown; allowed_mentions: { parse: unknown[] }; embeds: Record<string, unknown>[] };
    expect(typeof dj.content).toBe("string");
    expect(dj.content).toContain(taskId);
    expect(dj.allowed_mentions.parse).toEqual([]);
    expect(dj.embeds).toHaveLength(1);
    const embed = dj.embeds[0]!;
    expect(typeof embed.title).toBe("string");
    expect(typeof embed.description).toBe("string");
    expect(embed.url).toBe(`${server.url}/tasks/${taskId}`);
    // PUBLIC_BASE_URL is a loopback address here, which Discord cannot reach: the provider's image URL is used.
    expect(embed.image).toEqual({ url: image });

    const sj = s!.json as { text: unknown; blocks: Record<string, unknown>[] };
    expect(typeof sj.text).toBe("string");
    expect(sj.text).toContain(taskId);
    expect(sj.blocks[0]).toMatchObject({ type: "section", text: { type: "mrkdwn" } });
    expect(typeof (sj.blocks[0]!.text as { text: unknown }).text).toBe("string");
    expect(sj.blocks[1]).toEqual({ type: "image", image_url: image, alt_text: expect.any(String) });
    expect(sj.blocks).toHaveLength(2);

    // A failed WAV-less cover task has no image: no image block, no embed image.
    const failed = uniqueTaskId("chat-failed");
    await disable(discord);
    await requestJson(server, `/api/destinations/${slack.id}`, { method: "PATCH", body: { events: ["task.failed"] } });
    await server.callback(failedCallback(failed));
    const [f] = await waitFor(
      () => ofTask("/slack", failed),
      (t) => t.length > 0,
      { what: "slack failure" },
    );
    expect((f!.json as { blocks: { type: string }[] }).blocks.map((b) => b.type)).toEqual(["section"]);
    await disable(slack);
  });

  it("shows a webhook's secret once (made, rotated), masked everywhere else; rotating replaces it at once", async () => {
    const made = await addDestination("/rotate", "webhook", ["task.succeeded"]);
    const first = made.secret!;
    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(made.secretHint).toBe(`whsec_…${first.slice(-4)}`);
    const key = first.slice("whsec_".length, -4);

    const listed = (await requestJson<{ items: Destination[] }>(server, "/api/destinations", { method: "GET" })).body.items.find(
      (d) => d.id === made.id,
    )!;
    expect(listed).not.toHaveProperty("secret");
    expect(listed.secretHint).toBe(made.secretHint);
    const patched = await requestJson<Destination>(server, `/api/destinations/${made.id}`, { method: "PATCH", body: { name: "renamed" } });
    expect(patched.status).toBe(200);
    expect(patched.body).not.toHaveProperty("secret");
    for (const answer of [listed, patched.body]) expect(JSON.stringify(answer)).not.toContain(key);

    const rotated = await requestJson<Destination>(server, `/api/destinations/${made.id}/rotate-secret`, { method: "POST" });
    expect(rotated.status).toBe(200);
    const second = rotated.body.secret!;
    expect(second).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(second).not.toBe(first);
    expect(rotated.body).toMatchObject({ id: made.id, name: "renamed", secretHint: `whsec_…${second.slice(-4)}` });
    const after = (await requestJson<{ items: Destination[] }>(server, "/api/destinations", { method: "GET" })).body.items.find(
      (d) => d.id === made.id,
    )!;
    expect(after).not.toHaveProperty("secret");
    expect(after.secretHint).toBe(rotated.body.secretHint);

    // What is sent from now on is signed with the new secret only.
    receiver.secret("/rotate", second);
    expect((await requestJson<Attempt>(server, `/api/destinations/${made.id}/test`, { method: "POST" })).body).toMatchObject({ ok: true });
    const [sent] = receiver.received("/rotate");
    expect(sent!.verified).toBe(true);
    expect(() => new Webhook(first).verify(sent!.body, sent!.headers)).toThrow();

    const chat = await addDestination("/rotate-slack", "slack", ["task.failed"]);
    const refused = await requestJson<{ error: { code: string } }>(server, `/api/destinations/${chat.id}/rotate-secret`, {
      method: "POST",
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("no_secret");
    expect((await requestJson(server, "/api/destinations/999999/rotate-secret", { method: "POST" })).status).toBe(404);
    await Promise.all([disable(made), disable(chat)]);
  });

  it("reads a few KiB of an answer at most: a 2xx whose body never ends is delivered, a 500 logged with its first bytes", async () => {
    const d = await addDestination("/stream", "webhook", ["task.succeeded"]);
    receiver.script("/stream", [{ stream: 200 }, { stream: 500 }]);
    const delivered = await requestJson<Attempt>(server, `/api/destinations/${d.id}/test`, { method: "POST" });
    expect(delivered.body).toMatchObject({ ok: true, statusCode: 200, error: null });
    const refused = await requestJson<Attempt>(server, `/api/destinations/${d.id}/test`, { method: "POST" });
    expect(refused.body).toMatchObject({ ok: false, statusCode: 500, error: expect.stringMatching(/^HTTP 500: streaming streaming/) });
    await disable(d);
  });

  it("a replay or a duplicate that changes nothing notifies nobody, not even a destination added since", async () => {
    const since = new Date(Date.now() - 1_000).toISOString();
    const old = uniqueTaskId("old");
    const callback = coverSuccess(old, [`${files.url}/cover.png`]);
    expect((await server.callback(callback)).status).toBe(200);
    await waitForAssets(server, old, allStored);
    const late = await addDestination("/late", "webhook", ["task.succeeded", "task.failed", "task.files_stored"]);

    const replay = await requestJson<{ replayed: number; accepted: number }>(server, "/api/deliveries/replay", {
      method: "POST",
      body: {
        verdict: "accepted",
        since,
      },
    });
    expect(replay.status).toBe(200);
    expect(replay.body.replayed).toBeGreaterThanOrEqual(1);
    const [delivery] = await server.sql<{ id: number }>("select id from deliveries where task_id = ?", [old]);
    expect((await requestJson(server, `/api/deliveries/${delivery!.id}/replay`, { method: "POST" })).status).toBe(200);
    expect((await server.callback(callback)).status).toBe(200); // the provider sends it again

    // Events are queued in timeline order: once a newer task's notification is queued, the old task's would be too.
    const fresh = uniqueTaskId("fresh");
    await server.callback(failedCallback(fresh));
    await waitFor(
      () => ofTask("/late", fresh),
      (sent) => sent.length > 0,
      { what: "the newer task's notification" },
    );
    expect(await server.sql("select event from notifications where destination_id = ? and task_id = ?", [late.id, old])).toEqual([]);
    expect(ofTask("/late", old)).toEqual([]);
    await disable(late);
  });

  it("a destination that never answers holds up neither callbacks nor other destinations", { timeout: 60_000 }, async () => {
    const slow = await addDestination("/hang", "webhook", ["task.succeeded"]);
    const fast = await addDestination("/fast", "webhook", ["task.succeeded"]);
    receiver.script("/hang", ["hang", "hang", "hang", "hang"]);
    const first = uniqueTaskId("hang");
    await server.callback(coverSuccess(first, [`${files.url}/cover.png`]));
    await waitFor(
      () => ofTask("/hang", first),
      (t) => t.length > 0,
      { what: "the hanging request" },
    );

    // While that request hangs: more callbacks answer at once, and the other destination hears of them.
    const taskIds = [uniqueTaskId("busy"), uniqueTaskId("busy"), uniqueTaskId("busy")];
    for (const taskId of taskIds) {
      const started = Date.now();
      expect((await server.callback(coverSuccess(taskId, [`${files.url}/cover.png`]))).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1_000);
    }
    const started = Date.now();
    await waitFor(
      () => taskIds.map((t) => ofTask("/fast", t).length),
      (counts) => counts.every((n) => n === 1),
      { timeoutMs: 8_000, what: "the fast destination" },
    );
    expect(Date.now() - started).toBeLessThan(8_000);
    const test = await requestJson<Attempt>(server, `/api/destinations/${fast.id}/test`, { method: "POST" });
    expect(test.body).toMatchObject({ ok: true, statusCode: 200, event: "test" });

    // The hanging attempt ends on the time limit and is retried like any failure.
    const attempt = await waitFor(
      async () =>
        (await requestJson<{ items: Attempt[] }>(server, `/api/destinations/${slow.id}/attempts`)).body.items.find((a) => a.error),
      Boolean,
      { what: "the timed-out attempt" },
    );
    expect(attempt!.error).toBe("no answer within 10 s");
    await Promise.all([disable(slow), disable(fast)]);
  });

  it("a notification cut off by kill -9 is sent after the restart", { timeout: 90_000 }, async () => {
    const crash = await addDestination("/crash", "webhook", ["task.succeeded"]);
    receiver.script("/crash", ["hang"]);
    const taskId = uniqueTaskId("crash");
    await server.callback(coverSuccess(taskId, [`${files.url}/cover.png`]));
    await waitFor(
      () => ofTask("/crash", taskId),
      (t) => t.length > 0,
      { what: "the first try" },
    );
    await server.stop("SIGKILL");
    await server.restart();
    // Once the killed sender's lease runs out, the next process sends it again, same webhook-id.
    const tries = await waitFor(
      () => ofTask("/crash", taskId),
      (t) => t.length >= 2,
      { timeoutMs: 45_000, what: "the retry" },
    );
    expect(tries).toHaveLength(2);
    expect(tries[1]!.headers["webhook-id"]).toBe(tries[0]!.headers["webhook-id"]);
    expect(tries[1]!.verified).toBe(true);
    await waitFor(
      () => server.sql<{ status: string }>("select status from notifications where destination_id = ?", [crash.id]),
      (rows) => rows[0]?.status === "delivered",
      { what: "delivered" },
    );
  });

  describe("the API", () => {
    it("validates bodies and ids, edits and removes", async () => {
      const d = await addDestination("/edit", "slack", ["task.failed"]);
      expect(
        (await requestJson(server, "/api/destinations", { body: { url: `${receiver.url}/x`, format: "email", events: ["task.failed"] } }))
          .status,
      ).toBe(400);
      expect(
        (await requestJson(server, "/api/destinations", { body: { url: `${receiver.url}/x`, format: "slack", events: ["task.nope"] } }))
          .status,
      ).toBe(400);
      expect((await requestJson(server, `/api/destinations/${d.id}`, { method: "PATCH", body: {} })).status).toBe(400);
      expect((await requestJson(server, `/api/destinations/${d.id}`, { method: "PATCH", body: { format: "webhook" } })).status).toBe(400);
      expect((await requestJson(server, "/api/destinations/abc", { method: "PATCH", body: { enabled: false } })).status).toBe(404);
      const changed = await requestJson<Destination>(server, `/api/destinations/${d.id}`, {
        method: "PATCH",
        body: {
          url: `${receiver.url}/edited`,
          enabled: false,
        },
      });
      expect(changed.body).toMatchObject({ url: `${receiver.url}/edited`, enabled: false, format: "slack" });
      const test = await requestJson<Attempt>(server, `/api/destinations/${d.id}/test`, { method: "POST" });
      expect(test.body).toMatchObject({ ok: true, statusCode: 200 });
      expect(receiver.received("/edited")).toHaveLength(1);
      expect((await requestJson(server, `/api/destinations/${d.id}`, { method: "DELETE" })).status).toBe(204);
      expect((await requestJson(server, `/api/destinations/${d.id}`, { method: "DELETE" })).status).toBe(404);
      expect((await requestJson(server, `/api/destinations/${d.id}/test`, { method: "POST" })).status).toBe(404);
    });
  });
});
