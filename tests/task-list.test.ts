// The list's extras (asset progress per task) and the counts behind the Tasks page.
import type { Page } from "@/db/queries/dto";
import type { TaskListItem } from "@/db/queries/tasks";
import { TASK_KINDS } from "@/lib/core/enums";
import { afterAll, beforeAll, expect, it } from "vitest";
import { taskDetail } from "./helpers/http";
import { fixture, startServer, type TestServer } from "./helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { WORKER: "0" } });
  for (const name of ["cover-success.json", "cover-failed-501.json", "wav-success.json", "wav-failed-451.json"]) {
    expect((await server.callback(fixture(`callbacks/${name}`))).status).toBe(200);
  }
});
afterAll(async () => {
  await server?.stop();
});

type Item = TaskListItem;

it("GET /api/tasks items carry the spec fields and their files' progress", async () => {
  const { status, body } = await server.getJson<Page<Item & Record<string, unknown>>>("/api/tasks");
  expect(status).toBe(200);
  const byId = new Map(body.items.map((i) => [i.taskId, i]));
  expect(byId.get("21aee3c3c2a01fa5e030b3799fa4dd56")).toMatchObject({
    kind: "cover",
    status: "succeeded",
    code: 200,
    assetsTotal: 2,
    assetsStored: 0,
    assetsFailed: 0,
    assetsActive: 2,
    bytes: 0,
    bytesReceived: 0,
  });
  expect(byId.get("988e1f2a3b4cc8d3")).toMatchObject({ kind: "wav", assetsTotal: 1, assetsActive: 1 });
  expect(byId.get("4b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e")).toMatchObject({ status: "failed", assetsTotal: 0, assetsActive: 0 });
  for (const key of [
    "taskId",
    "kind",
    "status",
    "code",
    "message",
    "parentTaskId",
    "audioId",
    "createdAt",
    "updatedAt",
    "completedAt",
    "lastSource",
    "deliveryCount",
    "pollCount",
    "lastPolledAt",
  ]) {
    expect(byId.get("988e1f2a3b4cc8d3")).toHaveProperty(key);
  }
});

it("GET /api/stats counts tasks by status and kind", async () => {
  const { status, body } = await server.getJson("/api/stats");
  expect(status).toBe(200);
  expect(body).toEqual({
    total: 4,
    byStatus: { pending: 0, succeeded: 2, failed: 2 },
    // Every kind is counted, those with no task as 0.
    byKind: { ...Object.fromEntries(TASK_KINDS.map((k) => [k, 0])), cover: 2, wav: 2 },
    counts: {
      ...Object.fromEntries(TASK_KINDS.map((k) => [k, { pending: 0, succeeded: 0, failed: 0 }])),
      cover: { pending: 0, succeeded: 1, failed: 1 },
      wav: { pending: 0, succeeded: 1, failed: 1 },
    },
    storedBytes: 0,
    storedFiles: 0,
  });
});

it("POST /api/setup/test-callback makes a succeeded cover task with the sample images", async () => {
  const res = await fetch(`${server.url}/api/setup/test-callback`, { method: "POST" });
  expect(res.status).toBe(201);
  const { taskId } = (await res.json()) as { taskId: string };
  const body = await taskDetail(server, taskId);
  expect(body.task.status).toBe("succeeded");
  expect(body.assets.map((a) => a.remoteUrl)).toEqual([`${server.url}/samples/cover-1.png`, `${server.url}/samples/cover-2.png`]);
  expect(body.deliveries.map((d) => d.verdict)).toEqual(["accepted"]);
  for (const asset of body.assets) {
    const image = await fetch(asset.remoteUrl);
    expect(image.headers.get("content-type")).toBe("image/png");
  }
});

it("search treats _ and % in the query as themselves, not as wildcards", async () => {
  for (const taskId of ["under_score-1", "underXscore-1"]) {
    expect((await server.callback({ code: 501, msg: "failed", data: { taskId } })).status).toBe(200);
  }
  const search = async (q: string) =>
    (await server.getJson<Page<Item>>(`/api/tasks?q=${encodeURIComponent(q)}`)).body.items.map((i) => i.taskId);
  expect(await search("under_score")).toEqual(["under_score-1"]);
  expect(await search("under%score")).toEqual([]);
  expect(await search("%")).toEqual([]);
  expect(await search("Xscore")).toEqual(["underXscore-1"]);
});

it("search refuses control characters (400): a NUL does not match every task", async () => {
  for (const q of ["\0", "ab\0", "a\u0001b"]) {
    const res = await server.getJson<{ error: { code: string; message: string } }>(`/api/tasks?q=${encodeURIComponent(q)}`);
    expect(res.status, JSON.stringify(q)).toBe(400);
    expect(res.body.error).toEqual({ code: "invalid_request", message: "q: must not contain control characters" });
  }
});

it("asset ids are digits only: 0x1, 1e0 and ' 1' name no asset", async () => {
  const { body } = await server.getJson<Page<Item>>("/api/tasks?q=21aee3c3c2a01fa5e030b3799fa4dd56");
  expect(body.items).toHaveLength(1);
  const detail = await taskDetail(server, "21aee3c3c2a01fa5e030b3799fa4dd56");
  const id = detail.assets[0]!.id;
  expect((await fetch(new URL(`/api/assets/${id}/file`, server.url))).status).toBe(404); // known, not stored yet
  for (const alias of [`0x${id.toString(16)}`, `${id}e0`, `%20${id}`, `0${id}`]) {
    const res = await fetch(new URL(`/api/assets/${alias}/file`, server.url));
    expect(res.status, alias).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message, alias).toBe("No such asset.");
  }
});

it("a delivery's address is the socket's unless TRUST_PROXY=1, then the proxy's last X-Forwarded-For entry", async () => {
  const addressOf = async (target: TestServer, taskId: string) => {
    const res = await target.callback(
      { code: 501, msg: "failed", data: { taskId } },
      { headers: { "x-forwarded-for": "203.0.113.7, 198.51.100.9" } },
    );
    expect(res.status).toBe(200);
    const body = await taskDetail(target, taskId);
    return body.deliveries[0]!.remoteAddress;
  };
  expect(await addressOf(server, "address-direct")).toBe("127.0.0.1");
  const behindProxy = await startServer({ env: { WORKER: "0", TRUST_PROXY: "1" } });
  try {
    expect(await addressOf(behindProxy, "address-proxied")).toBe("198.51.100.9");
  } finally {
    await behindProxy.stop();
  }
});
