// Reading: task lists (filters, keyset pagination), details, the inbox, health;
// once per database driver (tests/helpers/drivers.ts), each with its own server.
import type { Delivery, Page, Task } from "@/db/queries/dto";
import type { Health } from "@/lib/server/health";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coverFailure, coverSuccess, wavFailure, wavSuccess } from "./helpers/callbacks";
import { describeEachDatabase } from "./helpers/drivers";
import { startServer, type TestServer } from "./helpers/server";

type TaskList = Page<Task>;

describeEachDatabase("reading", (database) => {
  let server: TestServer;
  const made: { taskId: string; kind: string; status: string }[] = [];

  beforeAll(async () => {
    server = await startServer({ database });
    // 320 tasks, a quarter of each kind × outcome, inserted in a known order.
    for (let i = 0; i < 320; i++) {
      const taskId = `page${String(i).padStart(4, "0")}`;
      const variant = i % 4;
      const payload = [coverSuccess(taskId), coverFailure(taskId), wavSuccess(taskId), wavFailure(taskId)][variant];
      const res = await server.callback(payload);
      expect(res.status).toBe(200);
      made.push({ taskId, kind: variant < 2 ? "cover" : "wav", status: variant % 2 === 0 ? "succeeded" : "failed" });
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  async function pageThrough(query: string, limit: number) {
    const seen: TaskList["items"] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const qs = new URLSearchParams(query);
      qs.set("limit", String(limit));
      if (cursor) qs.set("cursor", cursor);
      const { status, body } = await server.getJson<TaskList>(`/api/tasks?${qs}`);
      expect(status).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...body.items);
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 1000);
    return seen;
  }

  describe("GET /api/tasks", () => {
    it("pages through every task newest first with no duplicates and no gaps", async () => {
      const seen = await pageThrough("", 37);
      expect(seen.map((t) => t.taskId)).toEqual(made.map((t) => t.taskId).reverse());
      const created = seen.map((t) => Date.parse(t.createdAt));
      expect(created).toEqual([...created].sort((a, b) => b - a));
    });

    it("pages stay exact while new tasks arrive in between", async () => {
      const first = await server.getJson<TaskList>("/api/tasks?limit=50");
      const expected = made.map((t) => t.taskId).reverse();
      for (let i = 0; i < 20; i++) {
        await server.callback(coverSuccess(`late${i}`));
        made.push({ taskId: `late${i}`, kind: "cover", status: "succeeded" });
      }
      const rest = await pageThrough(`cursor=${first.body.nextCursor}`, 50);
      expect([...first.body.items, ...rest].map((t) => t.taskId)).toEqual(expected);
    });

    it.each([
      ["kind=cover", (t: (typeof made)[number]) => t.kind === "cover"],
      ["status=failed", (t: (typeof made)[number]) => t.status === "failed"],
      ["kind=wav&status=succeeded", (t: (typeof made)[number]) => t.kind === "wav" && t.status === "succeeded"],
    ])("filters by %s across pages", async (query, keep) => {
      const seen = await pageThrough(query, 23);
      expect(seen.map((t) => t.taskId)).toEqual(
        made
          .filter(keep)
          .map((t) => t.taskId)
          .reverse(),
      );
    });

    it("q matches part of a task id", async () => {
      const { body } = await server.getJson<TaskList>("/api/tasks?q=page012");
      expect(body.items.map((t) => t.taskId).sort()).toEqual(
        made
          .filter((t) => t.taskId.startsWith("page012"))
          .map((t) => t.taskId)
          .sort(),
      );
      expect((await server.getJson<TaskList>("/api/tasks?q=%25")).body.items).toEqual([]);
    });

    it("rejects bad parameters with 400 naming the field", async () => {
      for (const [query, field] of [
        ["limit=201", "limit"],
        ["limit=0", "limit"],
        ["kind=song", "kind"],
        ["status=done", "status"],
        ["cursor=abc", "cursor"],
      ]) {
        const res = await fetch(`${server.url}/api/tasks?${query}`);
        expect(res.status).toBe(400);
        const body = await res.json();
        expect(body.error.code).toBe("invalid_request");
        expect(body.error.message).toMatch(new RegExp(`^${field}:`));
      }
    });
  });

  describe("GET /api/tasks/{taskId}", () => {
    it("answers 404 JSON for an unknown task", async () => {
      const res = await fetch(`${server.url}/api/tasks/nope`);
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe("not_found");
    });
  });

  describe("GET /api/deliveries", () => {
    it("lists every delivery newest first and filters by verdict", async () => {
      await server.callback(coverSuccess("page0000"));
      const all = await server.getJson<Page<Delivery>>("/api/deliveries?limit=5");
      expect(all.body.items).toHaveLength(5);
      expect(all.body.items[0]!.verdict).toBe("duplicate");
      const ids = all.body.items.map((d) => d.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      const next = await server.getJson<Page<Delivery>>(`/api/deliveries?limit=5&cursor=${all.body.nextCursor}`);
      expect(next.body.items[0]!.id).toBeLessThan(ids.at(-1)!);
      const dupes = await server.getJson<Page<Delivery>>("/api/deliveries?verdict=duplicate");
      expect(dupes.body.items.length).toBeGreaterThan(0);
      expect(dupes.body.items.every((d) => d.verdict === "duplicate")).toBe(true);
    });
  });

  describe("unknown API paths", () => {
    it("answer 404 in the API's error shape", async () => {
      for (const method of ["GET", "POST"]) {
        const res = await fetch(`${server.url}/api/nothing/here`, { method });
        expect(res.status).toBe(404);
        expect((await res.json()).error.code).toBe("not_found");
      }
    });
  });

  describe("GET /api/health", () => {
    it("is ok when the database answers and storage is writable", async () => {
      const { status, body } = await server.getJson<Health>("/api/health");
      expect(status).toBe(200);
      expect(body.ok).toBe(true);
    });
  });
});
