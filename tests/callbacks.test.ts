// Receiving callbacks (http-api.md "Receiving callbacks") over real HTTP, once
// per database driver (tests/helpers/drivers.ts), each with its own server.
import { describe, expect, it } from "vitest";
import type { Delivery, Page } from "@/db/queries/dto";
import { coverFailure, coverSuccess, wavFailure, wavSuccess } from "./helpers/callbacks";
import { taskDetail } from "./helpers/http";
import { describeEachDatabase, setupServer } from "./helpers/drivers";
import { uniqueTaskId } from "./helpers/ids";
import { fixture, TOKEN } from "./helpers/server";

describeEachDatabase("callbacks", (database) => {
  const server = setupServer(database);

  describe("the shared fixtures", () => {
    const cases: [file: string, kind: string, status: string, code: number, files: number][] = [
      ["cover-success.json", "cover", "succeeded", 200, 2],
      ["cover-failed-501.json", "cover", "failed", 501, 0],
      ["cover-refunded-531.json", "cover", "failed", 531, 0],
      ["wav-success.json", "wav", "succeeded", 200, 1],
      ["wav-success-snake-url.json", "wav", "succeeded", 200, 1],
      ["wav-failed-451.json", "wav", "failed", 451, 0],
    ];
    it.each(cases)("%s creates a %s task that %s", async (file, kind, status, code, files) => {
      const body = fixture(`callbacks/${file}`);
      const payload = JSON.parse(body);
      const res = await server().callback(body);
      expect(res.status).toBe(200);
      const answer = await res.json();
      const taskId = payload.data.taskId ?? payload.data.task_id;
      expect(answer).toEqual({ status: "received", taskId });

      const detail = await taskDetail(server(), taskId);
      expect(detail.task).toMatchObject({ taskId, kind, status, code, message: payload.msg, deliveryCount: 1, lastSource: "callback" });
      expect(detail.assets).toHaveLength(files);
      const urls = payload.data.images ?? [payload.data.audioWavUrl ?? payload.data.audio_wav_url].filter(Boolean);
      if (files) expect(detail.assets.map((a) => a.remoteUrl)).toEqual(urls);
      // The callback registers the files and stores none of them. The download
      // worker starts at once (and these remote URLs cannot be fetched here), so
      // the status is exact for a file it has not tried yet: pending, untouched.
      expect(detail.assets.map((a) => a.type)).toEqual(Array(files).fill(kind === "wav" ? "audio" : "image"));
      for (const asset of detail.assets) {
        expect(asset).toMatchObject({ fileUrl: null, sha256: null, bytes: null });
        expect(asset.status).not.toBe("stored");
        if (asset.attempts === 0) expect(asset).toMatchObject({ status: "pending", error: null, bytesReceived: 0 });
      }
      expect(detail.deliveries).toHaveLength(1);
      // No CALLBACK_SIGNING_KEY here: nothing is verified.
      expect(detail.deliveries[0]).toMatchObject({ verdict: "accepted", body, signature: "unsigned", signatureScheme: null });
      expect(detail.events.some((e) => e.type === "callback")).toBe(true);
    });

    it.each([
      ["not-a-callback.json", "no task id"],
      ["truncated-json.txt", "body: not valid JSON"],
    ])("%s is answered 400 naming the problem, and kept as a rejected delivery", async (file, message) => {
      const body = fixture(`callbacks/${file}`);
      const res = await server().callback(body);
      expect(res.status).toBe(400);
      const answer = await res.json();
      expect(answer.error.code).toBe("invalid_callback");
      expect(answer.error.message).toContain(message);

      const inbox = await server().getJson<Page<Delivery>>("/api/deliveries?verdict=rejected&limit=200");
      const stored = inbox.body.items.find((d) => d.body === body);
      expect(stored).toMatchObject({ verdict: "rejected", taskId: null });
      expect(stored?.error).toContain(message);
    });
  });

  describe("unusual text", () => {
    // JSON.parse makes lone UTF-16 surrogates: from a "\ud83c" escape, and in its
    // error message, which quotes the unexpected token as one UTF-16 unit (half of
    // an emoji). Whatever the driver, they are stored like any other text.
    it("a body that is not JSON and starts with an emoji is answered 400 and kept as a rejected delivery", async () => {
      const body = "\u{1F3B5} not json";
      const res = await server().callback(body);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toContain("body: not valid JSON");
      const inbox = await server().getJson<Page<Delivery>>("/api/deliveries?verdict=rejected&limit=200");
      expect(inbox.body.items.find((d) => d.body === body)).toMatchObject({ verdict: "rejected" });
    });

    it.each(["declared", "streamed"])("a body that starts with a byte order mark is kept byte for byte (its length %s)", async (how) => {
      const body = `\uFEFF{"code":501,"msg":"bom ${how}","data":{"taskId":"${uniqueTaskId()}"}}`;
      const url = `${server().url}/api/callbacks?token=${TOKEN}`;
      const encoded = new TextEncoder().encode(body);
      const res =
        how === "declared"
          ? await fetch(url, { method: "POST", body: encoded, headers: { "content-type": "application/json" } })
          : await fetch(url, {
              method: "POST",
              body: new ReadableStream<Uint8Array>({
                start(controller) {
                  controller.enqueue(encoded);
                  controller.close();
                },
              }),
              headers: { "content-type": "application/json" },
              duplex: "half",
            } as RequestInit);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toContain("body: not valid JSON");
      const inbox = await server().getJson<Page<Delivery>>("/api/deliveries?verdict=rejected&limit=200");
      expect(inbox.body.items.find((d) => d.body === body)).toMatchObject({ verdict: "rejected" });
    });

    it("a callback whose msg is half a surrogate pair is stored", async () => {
      const taskId = uniqueTaskId();
      const res = await server().callback(`{"code":501,"msg":"half \\ud83c","data":{"taskId":"${taskId}"}}`);
      expect(res.status).toBe(200);
      const body = await taskDetail(server(), taskId);
      expect(body.task).toMatchObject({ status: "failed", code: 501 });
      expect(body.task.message).toMatch(/^half /);
    });
  });

  describe("idempotency and ordering", () => {
    it("the same success delivered three times leaves one succeeded task and three deliveries", async () => {
      const taskId = uniqueTaskId();
      for (let i = 0; i < 3; i++) expect((await server().callback(coverSuccess(taskId))).status).toBe(200);
      const body = await taskDetail(server(), taskId);
      expect(body.task.status).toBe("succeeded");
      expect(body.task.deliveryCount).toBe(3);
      expect(body.assets).toHaveLength(2);
      expect(body.deliveries.map((d) => d.verdict).sort()).toEqual(["accepted", "duplicate", "duplicate"]);
    });

    it("a failure after a success leaves the task succeeded", async () => {
      const taskId = uniqueTaskId();
      await server().callback(wavSuccess(taskId));
      expect((await server().callback(wavFailure(taskId))).status).toBe(200);
      const body = await taskDetail(server(), taskId);
      expect(body.task).toMatchObject({ status: "succeeded", code: 200, deliveryCount: 2 });
      expect(body.assets).toHaveLength(1);
      expect(body.deliveries.map((d) => d.verdict).sort()).toEqual(["accepted", "duplicate"]);
    });

    it("a success after a failure makes the task succeeded", async () => {
      const taskId = uniqueTaskId();
      await server().callback(coverFailure(taskId, 531, "refunded"));
      expect((await taskDetail(server(), taskId)).task.status).toBe("failed");
      await server().callback(coverSuccess(taskId));
      const body = await taskDetail(server(), taskId);
      expect(body.task).toMatchObject({ status: "succeeded", code: 200, message: "success", deliveryCount: 2 });
      expect(body.assets).toHaveLength(2);
    });

    it("a duplicate failure is recorded as a duplicate", async () => {
      const taskId = uniqueTaskId();
      await server().callback(coverFailure(taskId));
      await server().callback(coverFailure(taskId));
      const body = await taskDetail(server(), taskId);
      expect(body.task).toMatchObject({ status: "failed", code: 501, deliveryCount: 2 });
      expect(body.deliveries.map((d) => d.verdict).sort()).toEqual(["accepted", "duplicate"]);
    });

    it("accepts the code as a numeric string and both WAV URL spellings", async () => {
      const a = uniqueTaskId();
      const b = uniqueTaskId();
      await server().callback({ code: "200", msg: "success", data: { audio_wav_url: "https://x.example/a.wav", task_id: a } });
      await server().callback({ code: 200, msg: "success", data: { audioWavUrl: "https://x.example/b.wav", task_id: b } });
      expect((await taskDetail(server(), a)).assets[0]?.remoteUrl).toBe("https://x.example/a.wav");
      expect((await taskDetail(server(), b)).assets[0]?.remoteUrl).toBe("https://x.example/b.wav");
    });
  });

  describe("paths and kinds", () => {
    it("the kind-specific paths accept their kind and reject the other", async () => {
      const cover = uniqueTaskId();
      expect((await server().callback(coverSuccess(cover), { path: "/api/callbacks/cover" })).status).toBe(200);
      expect((await taskDetail(server(), cover)).task.kind).toBe("cover");

      const wav = uniqueTaskId();
      expect((await server().callback(wavSuccess(wav), { path: "/api/callbacks/wav" })).status).toBe(200);

      const wrong = await server().callback(wavSuccess(uniqueTaskId()), { path: "/api/callbacks/cover" });
      expect(wrong.status).toBe(400);
      expect((await wrong.json()).error.message).toMatch(/^data\.taskId/);
    });

    it("a cover failure carrying only data.taskId is a cover", async () => {
      const taskId = uniqueTaskId();
      await server().callback({ code: 500, msg: "server() error", data: { taskId } });
      expect((await taskDetail(server(), taskId)).task).toMatchObject({ kind: "cover", status: "failed", code: 500 });
    });

    it("a callback of the other kind for a known task is rejected and changes nothing", async () => {
      const taskId = uniqueTaskId();
      await server().callback(coverFailure(taskId), { path: "/api/callbacks/cover" });
      const res = await server().callback(wavSuccess(taskId));
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toBe(`data: task ${taskId} is a cover task, and this is a WAV callback`);
      const body = await taskDetail(server(), taskId);
      expect(body.task).toMatchObject({ kind: "cover", status: "failed", deliveryCount: 1 });
      expect(body.assets).toHaveLength(0);
    });

    it("other callback paths are 404", async () => {
      expect((await server().callback(coverSuccess(uniqueTaskId()), { path: "/api/callbacks/voice" })).status).toBe(404);
    });

    it("a success without files is rejected naming the field", async () => {
      const res = await server().callback({ code: 200, msg: "success", data: { taskId: uniqueTaskId(), images: [] } });
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toMatch(/^data\.images/);
    });
  });

  describe("authentication and limits", () => {
    it("refuses a missing or wrong token with 401 and stores nothing", async () => {
      const taskId = uniqueTaskId();
      const missing = await server().callback(coverSuccess(taskId), { token: null });
      expect(missing.status).toBe(401);
      expect((await missing.json()).error.code).toBe("unauthorized");
      expect((await server().callback(coverSuccess(taskId), { token: "wrong-token-wrong-token" })).status).toBe(401);
      expect((await server().callback(coverSuccess(taskId), { token: TOKEN.slice(0, -1) })).status).toBe(401);
      expect((await server().getJson(`/api/tasks/${taskId}`)).status).toBe(404);
    });

    it("accepts the token in the X-Callback-Token header, and redacts it from the stored headers", async () => {
      const taskId = uniqueTaskId();
      const res = await server().callback(coverSuccess(taskId), { token: null, headers: { "x-callback-token": TOKEN } });
      expect(res.status).toBe(200);
      const body = await taskDetail(server(), taskId);
      expect(body.deliveries[0]?.headers["x-callback-token"]).toBe("[redacted]");
      expect(JSON.stringify(body.deliveries)).not.toContain(TOKEN);
    });

    it("stores the headers as sent, without the dashboard's own internal header (also when a client sends one)", async () => {
      const taskId = uniqueTaskId();
      const res = await server().callback(coverSuccess(taskId), {
        headers: { "x-sent-by": "provider", "x-dashboard-socket-address": "6.6.6.6" },
      });
      expect(res.status).toBe(200);
      const body = await taskDetail(server(), taskId);
      const headers = body.deliveries[0]!.headers;
      expect(headers["x-sent-by"]).toBe("provider");
      expect(Object.keys(headers).filter((name) => name.startsWith("x-dashboard-"))).toEqual([]);
      expect(body.deliveries[0]!.remoteAddress).toBe("127.0.0.1");
    });

    it("answers 413 to a body over 1 MiB, declared or streamed", async () => {
      const big = JSON.stringify({ code: 200, msg: "x".repeat(1_048_600), data: { taskId: uniqueTaskId() } });
      expect((await server().callback(big)).status).toBe(413);

      const chunks = [big.slice(0, 600_000), big.slice(600_000)];
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      });
      const res = await fetch(`${server().url}/api/callbacks?token=${TOKEN}`, {
        method: "POST",
        body: stream,
        headers: { "content-type": "application/json" },
        duplex: "half",
      } as RequestInit);
      expect(res.status).toBe(413);
      expect((await res.json()).error.code).toBe("payload_too_large");
    });

    it("accepts a body of exactly 1 MiB", async () => {
      const taskId = uniqueTaskId();
      const base = JSON.stringify({ code: 501, msg: "", data: { taskId } });
      const body = JSON.stringify({ code: 501, msg: "y".repeat(1_048_576 - base.length), data: { taskId } });
      expect(Buffer.byteLength(body)).toBe(1_048_576);
      expect((await server().callback(body)).status).toBe(200);
    });
  });

  describe("replay", () => {
    it("replaying an accepted delivery changes nothing and counts nothing", async () => {
      const taskId = uniqueTaskId();
      await server().callback(coverSuccess(taskId));
      const before = await taskDetail(server(), taskId);
      const res = await fetch(`${server().url}/api/deliveries/${before.deliveries[0]!.id}/replay`, { method: "POST" });
      expect(res.status).toBe(200);
      const answer = await res.json();
      expect(answer.outcome.verdict).toBe("duplicate");
      expect(answer.task.status).toBe("succeeded");
      const after = await taskDetail(server(), taskId);
      expect(after.task.deliveryCount).toBe(1);
      expect(after.assets).toHaveLength(2);
      expect(after.events.some((e) => e.type === "replay")).toBe(true);
    });

    it("replaying a delivery that is still invalid answers 400 with the reason", async () => {
      await server().callback('{"nope":');
      const inbox = await server().getJson<Page<Delivery>>("/api/deliveries?verdict=rejected");
      const id = inbox.body.items.find((d) => d.body === '{"nope":')!.id;
      const res = await fetch(`${server().url}/api/deliveries/${id}/replay`, { method: "POST" });
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toContain("not valid JSON");
    });

    it("replaying an unknown delivery is 404", async () => {
      expect((await fetch(`${server().url}/api/deliveries/999999/replay`, { method: "POST" })).status).toBe(404);
      expect((await fetch(`${server().url}/api/deliveries/abc/replay`, { method: "POST" })).status).toBe(404);
    });
  });
});
