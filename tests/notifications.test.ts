// Notifications out, end to end against `next start`: destinations made over
// the API, events found from the timeline, requests to a real local receiver
// that checks Standard Webhooks signatures with the `standardwebhooks`
// package; retries with one webhook-id, a kill -9 mid-send, Discord and Slack
// shapes, a destination that never answers. Once per database driver.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePng } from "../scripts/lib/media";
import { waitForAssets } from "./helpers/assets";
import { coverSuccess } from "./helpers/callbacks";
import { uniqueTaskId } from "./helpers/ids";
import { describeEachDatabase, writeSql } from "./helpers/drivers";
import { bytes, startFileServer, type FileServer } from "./helpers/file-server";
import { startReceiver, type Receiver, type Received } from "./helpers/receiver";
import { startServer, type TestServer } from "./helpers/server";

type Destination = { id: number; url: string; format: string; events: string[]; secret: string | null; enabled: boolean };
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

async function api<T>(server: TestServer, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(new URL(path, server.url), {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const failedCallback = (taskId: string) => ({ code: 501, msg: "Cover generation failed", data: { taskId, images: null } });
const bodyOf = (r: Received) => r.json as WebhookBody;

it("refuses a private-address destination while NOTIFY_ALLOW_PRIVATE is off", async () => {
  const server = await startServer();
  try {
    for (const url of ["http://127.0.0.1:9/hook", "http://10.0.0.1/hook", "http://localhost:9/hook", "http://[::1]:9/hook"]) {
      const res = await api<{ error: { code: string; message: string } }>(server, "POST", "/api/destinations", {
        url,
        format: "webhook",
        events: ["task.succeeded"],
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("destination_refused");
      expect(res.body.error.message).toMatch(/refused address .*are not notified \(NOTIFY_ALLOW_PRIVATE=1 allows them\)/);
    }
    const bad = await api<{ error: { code: string } }>(server, "POST", "/api/destinations", {
      url: "ftp://example.com",
      format: "slack",
      events: [],
    });
    expect(bad.status).toBe(400);
    expect((await api<{ items: unknown[] }>(server, "GET", "/api/destinations")).body.items).toEqual([]);
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
    const created = await api<Destination>(server, "POST", "/api/destinations", {
      url: `${receiver.url}/after`,
      format: "webhook",
      events: ["task.succeeded", "task.files_stored"],
    });
    receiver.secret("/after", created.body.secret!);
    const taskId = uniqueTaskId("after");
    await server.callback(coverSuccess(taskId, [`${files.url}/cover.png`]));
    const types = () => receiver.received("/after").map((r) => bodyOf(r).type);
    await until("both events with no tick", () => (types().length === 2 ? true : undefined));
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
    const res = await api<Destination>(server, "POST", "/api/destinations", { url: `${receiver.url}${path}`, format, events, name: path });
    expect(res.status).toBe(201);
    if (res.body.secret) receiver.secret(path, res.body.secret);
    return res.body;
  };
  const disable = (d: Destination) => api(server, "PATCH", `/api/destinations/${d.id}`, { enabled: false });
  const ofTask = (path: string, taskId: string) => receiver.received(path).filter((r) => JSON.stringify(r.json).includes(taskId));

  it("sends each event once, signed, with the documented body", { timeout: 60_000 }, async () => {
    const hook = await addDestination("/all", "webhook", ALL_EVENTS);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const listed = await api<{ items: Destination[] }>(server, "GET", "/api/destinations");
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
    await until("every event", () => expected.every((e) => seen().some((s) => s[0] === e[0] && s[1] === e[1])), 30_000);
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
    await until("the failed file's notice", () => (ofTask("/risk", risky).length > 0 ? true : undefined), 30_000);
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
    const tries = await until("three tries", () => (ofTask("/flaky", taskId).length >= 3 ? ofTask("/flaky", taskId) : undefined));
    expect(new Set(tries.map((r) => r.headers["webhook-id"])).size).toBe(1);
    expect(tries.every((r) => r.verified)).toBe(true);
    expect(new Set(tries.map((r) => r.body)).size).toBe(1); // the same event each time

    const attempts = await until("three attempts logged", async () => {
      const page = await api<{ items: Attempt[]; nextCursor: string | null }>(server, "GET", `/api/destinations/${flaky.id}/attempts`);
      return page.body.items.length >= 3 && page.body.items[0]!.ok ? page.body.items : undefined;
    });
    expect(attempts.map((a) => [a.statusCode, a.ok])).toEqual([
      [200, true],
      [500, false],
      [500, false],
    ]);
    expect(attempts[1]!.error).toMatch(/^HTTP 500/);
    expect(new Set(attempts.map((a) => a.messageId))).toEqual(new Set([tries[0]!.headers["webhook-id"]]));
    expect(attempts[0]!.notificationStatus).toBe("delivered");

    const page1 = await api<{ items: Attempt[]; nextCursor: string }>(server, "GET", `/api/destinations/${flaky.id}/attempts?limit=2`);
    expect(page1.body.items).toHaveLength(2);
    const page2 = await api<{ items: Attempt[] }>(
      server,
      "GET",
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
    const failed = await until("the notification to fail", async () => {
      const page = await api<{ items: Attempt[] }>(server, "GET", `/api/destinations/${dead.id}/attempts`);
      return page.body.items[0]?.notificationStatus === "failed" ? page.body.items : undefined;
    });
    expect(failed).toHaveLength(4); // the first try and three retries
    expect(failed[0]!.error).toMatch(/gave up after 4 attempts/);

    const resent = await api<{ status: string }>(server, "POST", `/api/notifications/${failed[0]!.notificationId}/resend`);
    expect(resent.status).toBe(202);
    await until("the resend", () => (ofTask("/dead", taskId).length === 5 ? true : undefined));
    const ids = new Set(ofTask("/dead", taskId).map((r) => r.headers["webhook-id"]));
    expect(ids.size).toBe(1);
    expect((await api(server, "POST", "/api/notifications/999999/resend")).status).toBe(404);
    await disable(dead);
  });

  it("sends Discord and Slack their documented incoming-webhook shapes, with the cover image", async () => {
    const discord = await addDestination("/discord", "discord", ["task.succeeded"]);
    const slack = await addDestination("/slack", "slack", ["task.succeeded"]);
    expect(discord.secret).toBeNull();
    const taskId = uniqueTaskId("chat");
    const image = `${files.url}/cover.png`;
    await server.callback(coverSuccess(taskId, [image]));
    const [d] = await until("discord", () => (ofTask("/discord", taskId).length ? ofTask("/discord", taskId) : undefined));
    const [s] = await until("slack", () => (ofTask("/slack", taskId).length ? ofTask("/slack", taskId) : undefined));
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
    await api(server, "PATCH", `/api/destinations/${slack.id}`, { events: ["task.failed"] });
    await server.callback(failedCallback(failed));
    const [f] = await until("slack failure", () => (ofTask("/slack", failed).length ? ofTask("/slack", failed) : undefined));
    expect((f!.json as { blocks: { type: string }[] }).blocks.map((b) => b.type)).toEqual(["section"]);
    await disable(slack);
  });

  it("a destination that never answers holds up neither callbacks nor other destinations", { timeout: 60_000 }, async () => {
    const slow = await addDestination("/hang", "webhook", ["task.succeeded"]);
    const fast = await addDestination("/fast", "webhook", ["task.succeeded"]);
    receiver.script("/hang", ["hang", "hang", "hang", "hang"]);
    const first = uniqueTaskId("hang");
    await server.callback(coverSuccess(first, [`${files.url}/cover.png`]));
    await until("the hanging request", () => (ofTask("/hang", first).length ? true : undefined));

    // While that request hangs: more callbacks answer at once, and the other destination hears of them.
    const taskIds = [uniqueTaskId("busy"), uniqueTaskId("busy"), uniqueTaskId("busy")];
    for (const taskId of taskIds) {
      const started = Date.now();
      expect((await server.callback(coverSuccess(taskId, [`${files.url}/cover.png`]))).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1_000);
    }
    const started = Date.now();
    await until("the fast destination", () => (taskIds.every((t) => ofTask("/fast", t).length === 1) ? true : undefined), 8_000);
    expect(Date.now() - started).toBeLessThan(8_000);
    const test = await api<Attempt>(server, "POST", `/api/destinations/${fast.id}/test`);
    expect(test.body).toMatchObject({ ok: true, statusCode: 200, event: "test" });

    // The hanging attempt ends on the time limit and is retried like any failure.
    const attempts = await until(
      "the timed-out attempt",
      async () => (await api<{ items: Attempt[] }>(server, "GET", `/api/destinations/${slow.id}/attempts`)).body.items.find((a) => a.error),
      20_000,
    );
    expect(attempts.error).toBe("no answer within 10 s");
    await Promise.all([disable(slow), disable(fast)]);
  });

  it("a notification cut off by kill -9 is sent after the restart", { timeout: 90_000 }, async () => {
    const crash = await addDestination("/crash", "webhook", ["task.succeeded"]);
    receiver.script("/crash", ["hang"]);
    const taskId = uniqueTaskId("crash");
    await server.callback(coverSuccess(taskId, [`${files.url}/cover.png`]));
    await until("the first try", () => (ofTask("/crash", taskId).length ? true : undefined));
    await server.stop("SIGKILL");
    await server.restart();
    // Once the killed sender's lease runs out, the next process sends it again, same webhook-id.
    const tries = await until("the retry", () => (ofTask("/crash", taskId).length >= 2 ? ofTask("/crash", taskId) : undefined), 45_000);
    expect(tries).toHaveLength(2);
    expect(tries[1]!.headers["webhook-id"]).toBe(tries[0]!.headers["webhook-id"]);
    expect(tries[1]!.verified).toBe(true);
    await until("delivered", async () => {
      const rows = await server.sql<{ status: string }>("select status from notifications where destination_id = ?", [crash.id]);
      return rows[0]?.status === "delivered" ? true : undefined;
    });
  });

  describe("the API", () => {
    it("validates bodies and ids, edits and removes", async () => {
      const d = await addDestination("/edit", "slack", ["task.failed"]);
      expect(
        (await api(server, "POST", "/api/destinations", { url: `${receiver.url}/x`, format: "email", events: ["task.failed"] })).status,
      ).toBe(400);
      expect(
        (await api(server, "POST", "/api/destinations", { url: `${receiver.url}/x`, format: "slack", events: ["task.nope"] })).status,
      ).toBe(400);
      expect((await api(server, "PATCH", `/api/destinations/${d.id}`, {})).status).toBe(400);
      expect((await api(server, "PATCH", `/api/destinations/${d.id}`, { format: "webhook" })).status).toBe(400);
      expect((await api(server, "PATCH", "/api/destinations/abc", { enabled: false })).status).toBe(404);
      const changed = await api<Destination>(server, "PATCH", `/api/destinations/${d.id}`, {
        url: `${receiver.url}/edited`,
        enabled: false,
      });
      expect(changed.body).toMatchObject({ url: `${receiver.url}/edited`, enabled: false, format: "slack" });
      const test = await api<Attempt>(server, "POST", `/api/destinations/${d.id}/test`);
      expect(test.body).toMatchObject({ ok: true, statusCode: 200 });
      expect(receiver.received("/edited")).toHaveLength(1);
      expect((await api(server, "DELETE", `/api/destinations/${d.id}`)).status).toBe(204);
      expect((await api(server, "DELETE", `/api/destinations/${d.id}`)).status).toBe(404);
      expect((await api(server, "POST", `/api/destinations/${d.id}/test`)).status).toBe(404);
    });
  });
});
