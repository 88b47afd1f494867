// Every kind of task the provider calls back (http-api.md "Every kind of task
// the provider calls back"): told from the payload or fixed by the path,
// music's stages, idempotence, bodies of no known kind, over real HTTP on each
// database driver. The payloads are the spec's examples (tests/fixtures/callbacks).
import { describe, expect, it } from "vitest";
import type { Delivery, Page, TaskDetail } from "@/db/queries/dto";
import { TASK_KINDS } from "@/lib/core/enums";
import { withTaskId } from "./helpers/callbacks";
import { taskDetail } from "./helpers/http";
import { describeEachDatabase, setupServer } from "./helpers/drivers";
import { uniqueTaskId } from "./helpers/ids";
import { fixture } from "./helpers/server";

type Json = Record<string, unknown>;
const load = (name: string) => JSON.parse(fixture(`callbacks/${name}`)) as Json;

const T1 = "8551b0e4-2c7d-4f1a-9e3b-5d6c7a8b662c";
const T2 = "c3a9e5f1-7b2d-4e8a-b6c4-1d2e3f4a5b6c";

describeEachDatabase("every kind of callback", (database) => {
  // Nothing is downloaded here (the fixtures' hosts are not reachable): files stay as recorded.
  const server = setupServer(database, { env: { WORKER: "0" } });

  async function send(body: unknown, path?: string): Promise<{ status: number; detail: TaskDetail | null; answer: Json }> {
    const res = await server().callback(body, path ? { path } : undefined);
    const answer = (await res.json()) as Json;
    const taskId = typeof answer.taskId === "string" ? answer.taskId : null;
    return { status: res.status, answer, detail: taskId ? await taskDetail(server(), taskId) : null };
  }

  describe("the spec's examples", () => {
    // A stage still in progress (text, first) records no result code yet.
    it.each<[file: string, kind: string, status: string, code: number | null]>([
      ["music-complete.json", "music", "succeeded", 200],
      ["music-complete-no-source.json", "music", "succeeded", 200],
      ["music-first.json", "music", "pending", null],
      ["music-text.json", "music", "pending", null],
      ["music-error.json", "music", "failed", 400],
      ["music-replace-failed-501.json", "music", "failed", 501],
      ["lyrics-complete.json", "lyrics", "succeeded", 200],
      ["lyrics-error.json", "lyrics", "failed", 400],
      ["separation-vocal.json", "separation", "succeeded", 200],
      ["separation-split-stem.json", "separation", "succeeded", 200],
      ["separation-kie.json", "separation", "succeeded", 200],
      ["separation-failed.json", "separation", "failed", 400],
      ["midi-complete.json", "midi", "succeeded", 200],
      ["midi-failed.json", "midi", "failed", 500],
      ["video-success.json", "video", "succeeded", 200],
      ["video-failed.json", "video", "failed", 400],
      ["voice-phrase-ready.json", "other", "succeeded", 200],
    ])("%s is a %s task that is %s (code %s)", async (file, kind, status, code) => {
      const body = load(file);
      const taskId = uniqueTaskId(kind);
      const { status: http, answer, detail } = await send(withTaskId(body, taskId));
      expect(http).toBe(200);
      expect(answer).toEqual({ status: "received", taskId });
      expect(detail!.task).toMatchObject({ taskId, kind, status, code, deliveryCount: 1, lastSource: "callback" });
      expect(detail!.deliveries).toHaveLength(1);
      expect(detail!.deliveries[0]).toMatchObject({ kind, verdict: "accepted" });
    });

    it("a music error is a failed music task, not a failed WAV conversion (both carry data.task_id)", async () => {
      const taskId = uniqueTaskId();
      const { detail } = await send(withTaskId(load("music-error.json"), taskId));
      expect(detail!.task).toMatchObject({ kind: "music", status: "failed", code: 400, message: "Music generation failed", stage: null });
      expect(detail!.assets).toEqual([]);
    });

    it("a replace-section failure keeps the reason it gives in data.error", async () => {
      const { detail } = await send(withTaskId(load("music-replace-failed-501.json"), uniqueTaskId()));
      expect(detail!.task.message).toBe("Audio generation failed.: Generation failed due to technical issues");
    });

    it("a complete music callback stores its tracks, each track's MP3 and art", async () => {
      const taskId = uniqueTaskId();
      const { detail } = await send(withTaskId(load("music-complete.json"), taskId));
      expect(detail!.task).toMatchObject({ kind: "music", status: "succeeded", stage: "complete" });
      expect(detail!.tracks).toEqual([
        {
          trackId: T1,
          position: 0,
          title: "Iron Man",
          tags: "electrifying, rock",
          prompt: "[Verse] Steel and fire in my veins\n[Chorus] I am Iron Man",
          modelName: "chirp-v3-5",
          duration: 198.44,
          createTime: "2025-01-01T00:00:00.000Z",
        },
        expect.objectContaining({ trackId: T2, position: 1, title: "Iron Man (take 2)", duration: 201.2 }),
      ]);
      expect(detail!.assets.map((a) => [a.position, a.type, a.role, a.trackId, a.remoteUrl])).toEqual([
        [0, "audio", "track", T1, `https://file.aiquickdraw.com/s/${T1}.mp3`],
        [1, "image", "track-art", T1, `https://file.aiquickdraw.com/s/${T1}.jpeg`],
        [2, "audio", "track", T2, `https://file.aiquickdraw.com/s/${T2}.mp3`],
        [3, "image", "track-art", T2, `https://file.aiquickdraw.com/s/${T2}.jpeg`],
      ]);
      expect(detail!).toMatchObject({ lyrics: [], midi: null, parent: null, children: [] });
    });

    it("lyrics keep every variant as text", async () => {
      const { detail } = await send(withTaskId(load("lyrics-complete.json"), uniqueTaskId()));
      expect(detail!.lyrics).toEqual([
        { title: "Iron Man", text: "[Verse]\nSteel and fire in my veins\n[Chorus]\nI am Iron Man", status: "complete", errorMessage: null },
        {
          title: "Iron Heart",
          text: "[Verse]\nMetal heart, a steady beat\n[Chorus]\nIron, iron, never sleep",
          status: "complete",
          errorMessage: null,
        },
      ]);
      expect(detail!).toMatchObject({ assets: [], tracks: [], midi: null, task: { stage: null } });
    });

    it.each<[file: string, stems: string[]]>([
      ["separation-vocal.json", ["vocals", "instrumental"]],
      ["separation-kie.json", ["vocals", "instrumental"]],
      // Null and empty URLs (keyboard, strings, brass, woodwinds, origin) are skipped.
      ["separation-split-stem.json", ["vocals", "backing_vocals", "drums", "bass", "guitar", "percussion", "synth", "fx"]],
    ])("%s stores every stem it names with a URL", async (file, stems) => {
      const { detail } = await send(withTaskId(load(file), uniqueTaskId()));
      expect(detail!.assets.map((a) => a.role)).toEqual(stems);
      expect(detail!.assets.map((a) => a.position)).toEqual(stems.map((_, i) => i));
      expect(new Set(detail!.assets.map((a) => a.type))).toEqual(new Set(["audio"]));
      expect(detail!.assets.every((a) => a.trackId === null && a.remoteUrl.endsWith(".mp3"))).toBe(true);
    });

    it("MIDI notes are kept with every value a number", async () => {
      const { detail } = await send(withTaskId(load("midi-complete.json"), uniqueTaskId()));
      expect(detail!.midi).toEqual({
        instruments: [
          {
            name: "Drums",
            notes: [
              { pitch: 73, start: 0.036458333333333336, end: 0.18229166666666666, velocity: 1 },
              { pitch: 61, start: 0.046875, end: 0.19270833333333334, velocity: 1 },
              { pitch: 73, start: 0.1875, end: 0.4895833333333333, velocity: 1 },
            ],
          },
          {
            name: "Electric Bass (finger)",
            notes: [
              { pitch: 44, start: 7.6875, end: 7.911458333333333, velocity: 1 },
              { pitch: 44, start: 8, end: 8.25, velocity: 0.5 },
            ],
          },
        ],
      });
      expect(detail!.assets).toEqual([]);
    });

    it("a video callback stores its MP4", async () => {
      const { detail } = await send(withTaskId(load("video-success.json"), uniqueTaskId()));
      expect(detail!.assets.map((a) => [a.type, a.role, a.remoteUrl])).toEqual([
        ["video", "video", "https://file.aiquickdraw.com/s/video_8477a1b2c3d4.mp4"],
      ]);
    });

    it("failures record no files, tracks, lyrics or notes", async () => {
      for (const file of ["music-error.json", "lyrics-error.json", "separation-failed.json", "midi-failed.json", "video-failed.json"]) {
        const { detail } = await send(withTaskId(load(file), uniqueTaskId()));
        expect(detail).toMatchObject({ task: { status: "failed" }, assets: [], tracks: [], lyrics: [], midi: null });
      }
    });
  });

  describe("music stages", () => {
    const stage = (name: "text" | "first" | "complete", taskId: string) => withTaskId(load(`music-${name}.json`), taskId);

    it("text → first → complete: pending until complete, the first track's files stored at once", async () => {
      const taskId = uniqueTaskId();
      let { detail } = await send(stage("text", taskId));
      expect(detail!.task).toMatchObject({ status: "pending", stage: "text", completedAt: null });
      expect(detail!).toMatchObject({ tracks: [], assets: [] });

      ({ detail } = await send(stage("first", taskId)));
      expect(detail!.task).toMatchObject({ status: "pending", stage: "first", completedAt: null });
      expect(detail!.tracks.map((t) => t.trackId)).toEqual([T1]);
      expect(detail!.assets.map((a) => [a.role, a.trackId])).toEqual([
        ["track", T1],
        ["track-art", T1],
      ]);
      const firstIds = detail!.assets.map((a) => a.id);

      ({ detail } = await send(stage("complete", taskId)));
      expect(detail!.task).toMatchObject({ status: "succeeded", stage: "complete", code: 200, message: "All generated successfully." });
      expect(detail!.tracks.map((t) => t.trackId)).toEqual([T1, T2]);
      // The first track's files are the same rows; the second track's are added after them.
      expect(detail!.assets.map((a) => [a.position, a.role, a.trackId])).toEqual([
        [0, "track", T1],
        [1, "track-art", T1],
        [2, "track", T2],
        [3, "track-art", T2],
      ]);
      expect(detail!.assets.slice(0, 2).map((a) => a.id)).toEqual(firstIds);
      expect(detail!.deliveries.map((d) => d.verdict)).toEqual(["accepted", "accepted", "accepted"]);
    });

    it("nothing undoes complete: a late text or first, or an error, is recorded as a duplicate and changes nothing", async () => {
      const taskId = uniqueTaskId();
      await send(stage("complete", taskId));
      const before = await taskDetail(server(), taskId);
      for (const late of [stage("first", taskId), stage("text", taskId), withTaskId(load("music-error.json"), taskId)]) {
        const { status } = await send(late);
        expect(status).toBe(200);
      }
      const after = await taskDetail(server(), taskId);
      expect(after.task).toEqual({ ...before.task, deliveryCount: 4 });
      expect(after.tracks).toEqual(before.tracks);
      expect(after.assets.map((a) => a.id)).toEqual(before.assets.map((a) => a.id));
      expect(after.deliveries.map((d) => d.verdict)).toEqual(["duplicate", "duplicate", "duplicate", "accepted"]);
    });

    it("a late text never takes a first back", async () => {
      const taskId = uniqueTaskId();
      await send(stage("first", taskId));
      const { detail } = await send(stage("text", taskId));
      expect(detail!.task).toMatchObject({ status: "pending", stage: "first" });
      expect(detail!.deliveries[0]).toMatchObject({ verdict: "duplicate" });
    });

    it("complete may come alone (text and first skipped), and an error first can still be followed by complete", async () => {
      const alone = uniqueTaskId();
      expect((await send(stage("complete", alone))).detail!.task).toMatchObject({ status: "succeeded", stage: "complete" });

      const errorFirst = uniqueTaskId();
      await send(withTaskId(load("music-error.json"), errorFirst));
      const { detail } = await send(stage("complete", errorFirst));
      expect(detail!.task).toMatchObject({ status: "succeeded", stage: "complete", code: 200 });
      expect(detail!.assets).toHaveLength(4);
    });

    it("the same complete delivered three times leaves one task, its four files and three deliveries", async () => {
      const taskId = uniqueTaskId();
      for (let i = 0; i < 3; i++) expect((await send(stage("complete", taskId))).status).toBe(200);
      const detail = await taskDetail(server(), taskId);
      expect(detail.task.deliveryCount).toBe(3);
      expect(detail.assets).toHaveLength(4);
      expect(detail.tracks).toHaveLength(2);
      expect(detail.deliveries.map((d) => d.verdict).sort()).toEqual(["accepted", "duplicate", "duplicate"]);
    });

    it("a complete without any track audio is refused naming the field", async () => {
      const body = stage("complete", uniqueTaskId());
      for (const track of (body.data as { data: Json[] }).data) {
        track.audio_url = "";
        track.source_audio_url = null;
      }
      const { status, answer } = await send(body);
      expect(status).toBe(400);
      expect(answer).toMatchObject({ error: { code: "invalid_callback", message: expect.stringMatching(/^data\.data: /) } });
    });
  });

  describe("bodies of no known kind", () => {
    it("a body naming a task but no known kind is answered 200 and kept as a task of kind other, with its raw body", async () => {
      const taskId = uniqueTaskId("voice");
      const body = JSON.stringify(withTaskId(load("voice-phrase-ready.json"), taskId));
      const res = await server().callback(body);
      expect(res.status).toBe(200);
      const detail = await taskDetail(server(), taskId);
      expect(detail.task).toMatchObject({ kind: "other", status: "succeeded", code: 200, message: "success", stage: null });
      expect(detail.deliveries[0]).toMatchObject({ kind: "other", verdict: "accepted", body });
      expect(detail).toMatchObject({ assets: [], tracks: [], lyrics: [], midi: null });
    });

    it.each<[string, Json, number | null, string]>([
      ["a top-level taskId", { taskId: "" }, null, "pending"],
      ["data.task_id with unknown fields", { code: "503", data: { task_id: "", progress: 0.5 } }, 503, "failed"],
    ])("%s is kept too", async (_, template, code, status) => {
      const taskId = uniqueTaskId();
      const body = JSON.parse(JSON.stringify(template).replace('""', JSON.stringify(taskId)));
      const { status: http, detail } = await send(body);
      expect(http).toBe(200);
      expect(detail!.task).toMatchObject({ kind: "other", code, status });
    });

    it("only a body with no task id at all is rejected (400, kept as a rejected delivery)", async () => {
      const body = JSON.stringify({ code: 200, msg: "success", data: { status: "ok", id: uniqueTaskId() } });
      const res = await server().callback(body);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: "invalid_callback", message: expect.stringContaining("no task id") });
      const inbox = await server().getJson<Page<Delivery>>("/api/deliveries?verdict=rejected&limit=200");
      expect(inbox.body.items.find((d) => d.body === body)).toMatchObject({ verdict: "rejected", taskId: null });
    });

    it("a task first kept as other takes the kind its later callback shows", async () => {
      const taskId = uniqueTaskId();
      await send({ code: 200, msg: "queued", data: { task_id: taskId, queued: true } });
      expect((await taskDetail(server(), taskId)).task.kind).toBe("other");
      const { detail } = await send(withTaskId(load("video-success.json"), taskId));
      expect(detail!.task).toMatchObject({ kind: "video", status: "succeeded" });
      expect(detail!.assets.map((a) => a.role)).toEqual(["video"]);
    });

    it("a body of no known kind for a task of a known kind joins it and changes nothing", async () => {
      const taskId = uniqueTaskId();
      await send(withTaskId(load("video-success.json"), taskId));
      const before = await taskDetail(server(), taskId);
      const { status, detail } = await send({ code: 500, msg: "odd", data: { task_id: taskId, something: "else" } });
      expect(status).toBe(200);
      expect(detail!.task).toEqual({ ...before.task, deliveryCount: 2 });
      expect(detail!.deliveries[0]).toMatchObject({ kind: "other", verdict: "duplicate" });
      expect(detail!.events[0]!.detail).toBe("a body of no known kind; kept in the inbox, the task is unchanged");
    });
  });

  describe("the kind fixed by the path", () => {
    const examples: Record<string, string> = {
      cover: "cover-success.json",
      wav: "wav-success.json",
      music: "music-complete.json",
      lyrics: "lyrics-complete.json",
      separation: "separation-vocal.json",
      midi: "midi-complete.json",
      video: "video-success.json",
      other: "voice-phrase-ready.json",
    };

    it.each(TASK_KINDS.map((kind) => [kind]))("/api/callbacks/%s takes its kind", async (kind) => {
      const taskId = uniqueTaskId(kind);
      const { status, detail } = await send(withTaskId(load(examples[kind]!), taskId), `/api/callbacks/${kind}`);
      expect(status).toBe(200);
      expect(detail!.task.kind).toBe(kind);
      expect(detail!.deliveries[0]).toMatchObject({ kind, path: `/api/callbacks/${kind}` });
    });

    it("a body of another kind on a kind's path is refused naming the field", async () => {
      const { status, answer } = await send(withTaskId(load("music-complete.json"), uniqueTaskId()), "/api/callbacks/video");
      expect(status).toBe(400);
      expect(answer).toMatchObject({ error: { code: "invalid_callback", message: expect.stringMatching(/^data\.video_url/) } });
    });

    it("/api/callbacks/other keeps any body naming a task as other, even one of a known kind", async () => {
      const { detail } = await send(withTaskId(load("music-complete.json"), uniqueTaskId()), "/api/callbacks/other");
      expect(detail!.task).toMatchObject({ kind: "other", status: "succeeded" });
      expect(detail!.assets).toEqual([]);
    });
  });
});
