// The inbox's search (q: a substring of the raw body, through the trigram
// index, filled after each answer: on file: by a thread of its own), its task
// filter, and bulk replay, over real HTTP on both drivers.
import { describe, expect, it } from "vitest";
import type { Delivery, Page } from "@/db/queries/dto";
import type { TaskListItem } from "@/db/queries/tasks";
import { coverSuccess, wavFailure, withTaskId } from "./helpers/callbacks";
import { taskDetail } from "./helpers/http";
import { describeEachDatabase, setupServer, writeSql } from "./helpers/drivers";
import { uniqueTaskId } from "./helpers/ids";
import { fixture, type TestServer } from "./helpers/server";

type Json = Record<string, unknown>;

/** A callback fixture of the spec with its task id (whichever key names it) replaced. */
const exampleFor = (name: string, taskId: string): Json => withTaskId(JSON.parse(fixture(`callbacks/${name}.json`)) as Json, taskId);

const list = async (server: TestServer, query: Record<string, string>) => {
  const res = await server.getJson<Page<Delivery>>(`/api/deliveries?${new URLSearchParams(query)}`);
  expect(res.status).toBe(200);
  return res.body;
};
const replayAll = (server: TestServer, body: unknown) =>
  fetch(`${server.url}/api/deliveries/replay`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describeEachDatabase("inbox search", (database) => {
  const server = setupServer(database);

  describe("q and taskId", () => {
    it("finds a substring of a body, in any case, newest first, page by page", async () => {
      const taskId = uniqueTaskId("needle");
      const other = uniqueTaskId("hay");
      await server().callback({ code: 501, msg: "First Failure", data: { taskId } });
      await server().callback({ code: 502, msg: "Second Failure", data: { taskId } });
      await server().callback({ code: 501, msg: "unrelated", data: { taskId: other } });
      // The middle of the id: not a prefix, not a word.
      const middle = taskId.slice(4, -3);
      const found = await list(server(), { q: middle });
      expect(found.items.map((d) => d.taskId)).toEqual([taskId, taskId]);
      expect(found.items[0]!.body).toContain("Second Failure");
      expect((await list(server(), { q: "SECOND failure" })).items.map((d) => d.taskId)).toContain(taskId);

      const first = await list(server(), { q: middle, limit: "1" });
      expect(first.items).toHaveLength(1);
      expect(first.nextCursor).not.toBeNull();
      const second = await list(server(), { q: middle, limit: "1", cursor: first.nextCursor! });
      expect(second.items[0]!.body).toContain("First Failure");
      expect(second.nextCursor).toBeNull();

      expect((await list(server(), { q: middle, verdict: "rejected" })).items).toHaveLength(0);
      expect((await list(server(), { q: `${middle}-not-there` })).items).toHaveLength(0);
    });

    it("takes any characters, and one or two of them too", async () => {
      const taskId = uniqueTaskId("odd");
      await server().callback(`{"weird": "a\\"b%_c ${taskId}"}`);
      for (const q of ['a\\"b%_c', '"', "%_", `${taskId} OR x`]) {
        const res = await server().getJson<Page<Delivery>>(`/api/deliveries?q=${encodeURIComponent(q)}`);
        expect(res.status).toBe(200);
      }
      expect((await list(server(), { q: '\\"b%_c' })).items[0]!.body).toContain(taskId);
      expect((await list(server(), { q: "%_" })).items[0]!.body).toContain(taskId);
      expect((await server().getJson(`/api/deliveries?q=${"x".repeat(201)}`)).status).toBe(400);
    });

    it("refuses control characters in q and taskId with a 400: a NUL neither errors nor matches everything", async () => {
      const taskId = uniqueTaskId("nul");
      await server().callback({ code: 501, msg: "nul test", data: { taskId } });
      for (const [name, value] of [
        ["q", "ab\0"],
        ["q", "\0"],
        ["q", "a\u0001bc"],
        ["q", "line\nbreak"],
        ["q", "del\u007f"],
        ["taskId", `${taskId}\0`],
        ["taskId", "\0"],
      ] as const) {
        const res = await server().getJson<{ error: { code: string; message: string } }>(
          `/api/deliveries?${new URLSearchParams({ [name]: value })}`,
        );
        expect(res.status, JSON.stringify(value)).toBe(400);
        expect(res.body.error).toEqual({ code: "invalid_request", message: `${name}: must not contain control characters` });
      }
      // Whitespace around the text is trimmed as before, not refused.
      expect((await list(server(), { q: "\tnul test\n" })).items.map((d) => d.taskId)).toContain(taskId);
    });

    it("filters by task id", async () => {
      const taskId = uniqueTaskId("filter");
      await server().callback({ code: 501, msg: "one", data: { taskId } });
      await server().callback({ code: 501, msg: "two", data: { taskId: uniqueTaskId("filter") } });
      const found = await list(server(), { taskId });
      expect(found.items.map((d) => d.taskId)).toEqual([taskId]);
      expect((await list(server(), { taskId, q: "one" })).items).toHaveLength(1);
      expect((await list(server(), { taskId, q: "two" })).items).toHaveLength(0);
    });
  });

  describe("the index, filled after the answers", () => {
    /** Waits until the index holds every delivery (at most 20 s), so that searches go through it alone. */
    const indexCaughtUp = async () => {
      const notIndexed = async () =>
        (
          await server().sql<{ n: number }>("select count(*) as n from deliveries where id > (select indexed_through from search_index)")
        )[0]!.n;
      const deadline = Date.now() + 20_000;
      while ((await notIndexed()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await notIndexed()).toBe(0);
    };

    it("finds through the index exactly the bodies holding q, in any case, not those holding only its pieces", async () => {
      const needle = uniqueTaskId("pieces");
      const chars = [...needle];
      // Every 3-character piece of the needle, apart: what the index alone cannot tell from the needle.
      const scattered = Array.from({ length: Math.ceil(chars.length / 3) }, (_, n) => chars.slice(3 * n, 3 * n + 3).join(""))
        .concat(chars.slice(-3).join(""))
        .reverse()
        .join(" ");
      await server().callback({ code: 501, msg: `scattered ${scattered}`, data: { taskId: uniqueTaskId("apart") } });
      await server().callback({ code: 501, msg: `whole ${needle}`, data: { taskId: uniqueTaskId("whole") } });
      await server().callback(`{"weird": "a\\"b%_c ${needle}"}`);
      await indexCaughtUp();
      const bodies = async (q: string) => (await list(server(), { q })).items.map((d) => d.body);
      const found = await bodies(needle);
      expect(found).toHaveLength(2);
      expect(found.every((body) => body.includes(needle))).toBe(true);
      expect(await bodies(needle.toUpperCase())).toEqual(found);
      expect(await bodies(scattered)).toHaveLength(1);
      expect(await bodies(`\\"b%_c ${needle}`)).toEqual([found[0]]);
      expect(await bodies(`b%_c`)).toContain(found[0]);
      expect(await bodies(`${needle}x`)).toEqual([]);
    });

    it("catches up with a burst of callbacks, large bodies too, and holds exactly what they said", async () => {
      const family = uniqueTaskId("burst");
      const bodies = Array.from({ length: 80 }, (_, n) => ({
        code: 501,
        msg: n % 20 === 0 ? `large ${"y".repeat(100_000)}` : "burst",
        data: { taskId: `${family}-${n}` },
      }));
      const answers = await Promise.all(bodies.map((body) => server().callback(body)));
      expect(answers.map((res) => res.status)).toEqual(bodies.map(() => 200));
      await indexCaughtUp();
      // FTS5 compares the index with the bodies; it throws on any difference.
      await writeSql(server(), "insert into deliveries_fts (deliveries_fts) values ('integrity-check')");
      const found = await list(server(), { q: `${family}-7`, limit: "200" });
      expect(found.items.map((d) => d.taskId).sort()).toEqual(
        [`${family}-7`, ...Array.from({ length: 10 }, (_, n) => `${family}-7${n}`)].sort(),
      );
      expect(server().log()).not.toMatch(/\[(search-index|sqlite-thread)\]|search-index failed/);
    });
  });

  describe("every kind", () => {
    it("finds each kind's callback by what only its body says, and the task list finds every kind by id, narrowed by kind", async () => {
      const family = uniqueTaskId("kinds");
      // Each example with a text no other example has: a track's title, a lyric's, an instrument, a stem's file, the video's, an unknown body's status.
      const examples = [
        ["music", "music-complete", "Iron Man (take 2)"],
        ["lyrics", "lyrics-complete", "Metal heart, a steady beat"],
        ["separation", "separation-vocal", "_Instrumental.mp3"],
        ["midi", "midi-complete", "Electric Bass (finger)"],
        ["video", "video-success", "video_8477a1b2c3d4.mp4"],
        ["other", "voice-phrase-ready", "the quick brown fox"],
      ] as const;
      for (const [kind, name] of examples) {
        const res = await server().callback(exampleFor(name, `${family}-${kind}`));
        expect(res.status, kind).toBe(200);
      }
      await server().callback(coverSuccess(`${family}-cover`, ["https://example.com/a.png"]));

      for (const [kind, , text] of examples) {
        const found = await list(server(), { q: text.toUpperCase() });
        expect(
          found.items.map((d) => d.taskId),
          text,
        ).toEqual([`${family}-${kind}`]);
        expect(found.items[0]!.kind, text).toBe(kind);
      }
      // A part of the task id finds every delivery of the family, of whatever kind.
      expect((await list(server(), { q: family })).items.map((d) => d.kind).sort()).toEqual(
        ["cover", ...examples.map(([kind]) => kind)].sort(),
      );

      const tasks = async (query: Record<string, string>) => {
        const res = await server().getJson<Page<TaskListItem>>(`/api/tasks?${new URLSearchParams(query)}`);
        expect(res.status).toBe(200);
        return res.body.items;
      };
      const all = await tasks({ q: family });
      expect(all.map((t) => t.kind).sort()).toEqual(["cover", ...examples.map(([kind]) => kind)].sort());
      for (const [kind] of examples) {
        expect((await tasks({ q: family, kind })).map((t) => t.taskId)).toEqual([`${family}-${kind}`]);
      }
      // Music's stage comes with the list too.
      expect(all.find((t) => t.kind === "music")).toMatchObject({ status: "succeeded", stage: "complete" });
    });
  });

  describe("bulk replay", () => {
    it("turns deliveries rejected for a task tracked as the wrong kind into tasks, once that task is deleted", async () => {
      // Earlier tests' rejected deliveries are older than this.
      await new Promise((r) => setTimeout(r, 20));
      const since = new Date().toISOString();
      const taskId = uniqueTaskId("wrongkind");
      // The task was first known as a WAV conversion (a mistake: it is a cover task)...
      expect((await server().callback(wavFailure(taskId), { path: "/api/callbacks/wav" })).status).toBe(200);
      // ...so its cover callbacks are refused as the wrong kind, and kept as rejected.
      const cover = coverSuccess(taskId);
      for (let i = 0; i < 2; i++) {
        const res = await server().callback(cover);
        expect(res.status).toBe(400);
        expect((await res.json()).error.message).toContain("is a WAV task, and this is a cover callback");
      }
      await server().callback('{"still": "not a callback"');
      expect((await list(server(), { verdict: "rejected", q: taskId })).items).toHaveLength(2);

      // Nothing fixed yet: replaying changes nothing.
      const before = await replayAll(server(), { verdict: "rejected", since });
      expect(await before.json()).toEqual({ replayed: 3, accepted: 0, rejected: 3, skipped: 0 });

      // The fix: delete the wrongly tracked task; then replay every rejected delivery since.
      expect((await fetch(`${server().url}/api/tasks/${taskId}`, { method: "DELETE" })).status).toBe(204);
      const res = await replayAll(server(), { verdict: "rejected", since });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ replayed: 3, accepted: 2, rejected: 1, skipped: 0 });

      const body = await taskDetail(server(), taskId);
      expect(body.task).toMatchObject({ kind: "cover", status: "succeeded", deliveryCount: 2 });
      expect(body.assets).toHaveLength(2);
      expect(body.deliveries.map((d) => d.verdict).sort()).toEqual(["accepted", "duplicate"]);
      expect((await list(server(), { verdict: "rejected", q: taskId })).items).toHaveLength(0);
    });

    it("matches only deliveries since the given time, and checks its body", async () => {
      const future = new Date(Date.now() + 60_000).toISOString();
      expect(await (await replayAll(server(), { verdict: "rejected", since: future })).json()).toEqual({
        replayed: 0,
        accepted: 0,
        rejected: 0,
        skipped: 0,
      });
      const bad = await replayAll(server(), { verdict: "rejected", since: "yesterday" });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.code).toBe("invalid_request");
    });
  });
});
