// The fake provider itself (no dashboard): Bearer checking, outcomes per task,
// "already exists" answers, real files, and the callback retry schedule.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeProvider, type FakeProvider } from "../scripts/lib/fake-provider";
import { requestJson } from "./helpers/http";
import { waitFor } from "./helpers/wait";

let fake: FakeProvider;
let receiver: http.Server;
let receiverUrl = "";
const received: { at: number; body: unknown }[] = [];
let answers: number[] = [];

beforeAll(async () => {
  fake = await startFakeProvider({ delayMs: 100, timeScale: 0.001 });
  receiver = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      received.push({ at: Date.now(), body: JSON.parse(raw) });
      res.writeHead(answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/cb`;
});
afterAll(async () => {
  await fake?.stop();
  await new Promise((r) => receiver?.close(r));
});

/** Calls the fake with its Bearer key (`key: null`: none); answers the HTTP status and the provider's envelope. */
async function call(path: string, init: { method?: string; body?: unknown; key?: string | null } = {}) {
  const res = await requestJson<{ code: number; msg: string; data: unknown }>(fake, path, {
    method: init.method,
    body: init.body,
    headers: init.key === null ? {} : { authorization: `Bearer ${init.key ?? fake.key}` },
  });
  return { http: res.status, ...res.body };
}

describe("fake provider", () => {
  it("checks the Bearer key", async () => {
    expect((await call("/api/v1/generate/credit", { key: null })).code).toBe(401);
    expect((await call("/api/v1/generate/credit", { key: "wrong" })).code).toBe(401);
    expect(await call("/api/v1/generate/credit")).toMatchObject({ code: 200, data: 1000 });
  });

  it("retries a callback answered with non-200 after 1, 5 and 15 minutes, scaled", async () => {
    answers = [500, 503, 500, 500];
    const before = received.length;
    const ok = await call("/api/v1/suno/cover/generate", { body: { taskId: "m-retry", callBackUrl: receiverUrl } });
    expect(ok.code).toBe(200);
    const taskId = (ok.data as { taskId: string }).taskId;
    await waitFor(
      () => fake.callbacks.filter((c) => c.taskId === taskId).length,
      (n) => n >= 4,
      { timeoutMs: 5_000, stepMs: 20, what: "four callback attempts" },
    );
    const attempts = fake.callbacks.filter((c) => c.taskId === taskId);
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [0, 500],
      [1, 503],
      [2, 500],
      [3, 500],
    ]);
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(60);
    expect(gaps[1]).toBeGreaterThanOrEqual(300);
    expect(gaps[2]).toBeGreaterThanOrEqual(900);
    await new Promise((r) => setTimeout(r, 300));
    expect(received.length - before).toBe(4); // 3 retries, then it gives up
  });

  it("fails, duplicates and answers 'already exists' per task", async () => {
    const failed = await call("/api/v1/wav/generate", { body: { taskId: "m1", audioId: "fail-451", callBackUrl: receiverUrl } });
    const wavId = (failed.data as { taskId: string }).taskId;
    const dup = await call("/api/v1/suno/cover/generate", { body: { taskId: "m-dup-3", callBackUrl: receiverUrl } });
    const coverId = (dup.data as { taskId: string }).taskId;
    expect(await call("/api/v1/wav/generate", { body: { taskId: "m1", audioId: "fail-451", callBackUrl: receiverUrl } })).toMatchObject({
      code: 409,
      data: { taskId: wavId },
    });
    expect(await call("/api/v1/suno/cover/generate", { body: { taskId: "m-dup-3", callBackUrl: receiverUrl } })).toMatchObject({
      code: 400,
      data: { taskId: coverId },
    });

    await waitFor(
      () => received.filter((r) => JSON.stringify(r.body).includes(coverId)).length,
      (n) => n >= 3,
      { timeoutMs: 5_000, stepMs: 20, what: "three cover callbacks" },
    );
    expect(received.filter((r) => JSON.stringify(r.body).includes(coverId))).toHaveLength(3);
    const wavCallback = await waitFor(() => received.find((r) => JSON.stringify(r.body).includes(wavId)), Boolean, {
      timeoutMs: 5_000,
      stepMs: 20,
      what: "the WAV callback",
    });
    expect(wavCallback!.body).toEqual({
      code: 451,
      msg: "Unable to download source audio file",
      data: { audioWavUrl: null, task_id: wavId },
    });

    const record = await call(`/api/v1/wav/record-info?taskId=${wavId}`);
    expect(record.data).toMatchObject({ errorCode: 451, errorMessage: "Unable to download source audio file" });
    expect(JSON.stringify(record.data)).toContain("GENERATE_WAV_FAILED");
  });

  it("serves real PNG and WAV bytes at the URLs it hands out", async () => {
    const cover = await call("/api/v1/suno/cover/generate", { body: { taskId: "m-files-nocallback", callBackUrl: receiverUrl } });
    const taskId = (cover.data as { taskId: string }).taskId;
    await new Promise((r) => setTimeout(r, 150));
    const record = (await call(`/api/v1/suno/cover/record-info?taskId=${taskId}`)).data as { response: { images: string[] } };
    const png = Buffer.from(await (await fetch(record.response.images[0]!)).arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    const wav = await call("/api/v1/wav/generate", { body: { taskId: "m-files", audioId: "a", callBackUrl: receiverUrl } });
    const wavId = (wav.data as { taskId: string }).taskId;
    const res = await fetch(`${fake.url}/files/${wavId}.wav`);
    expect(res.headers.get("content-type")).toBe("audio/wav");
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe("RIFF");
  });
});
