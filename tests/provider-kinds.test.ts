// Every kind of task with the provider (http-api.md "Every kind of task the
// provider calls back"), over real HTTP: `next start` wired to the fake
// provider (scripts/lib/fake-provider.ts), which speaks every kind. Tracking
// polls each kind's own record-info; results and files are stored and
// verified; a whole family (music, cover, WAV, separation, MIDI, video) links
// as parent and children. Once per database driver.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaskDetail } from "@/db/queries/dto";
import type { TaskKind } from "@/lib/core/enums";
import { startFakeProvider, type FakeProvider } from "../scripts/lib/fake-provider";
import { describeEachDatabase } from "./helpers/drivers";
import { requestJson, taskDetail } from "./helpers/http";
import { uniqueTaskId } from "./helpers/ids";
import { startServer, TOKEN, type TestServer } from "./helpers/server";
import { waitFor } from "./helpers/wait";

type ErrorBody = { error: { code: string; message: string } };

const RECORD_INFO: Record<Exclude<TaskKind, "other" | "cover" | "wav">, string> = {
  music: "/api/v1/generate/record-info",
  lyrics: "/api/v1/lyrics/record-info",
  separation: "/api/v1/vocal-removal/record-info",
  midi: "/api/v1/midi/record-info",
  video: "/api/v1/mp4/record-info",
};

describeEachDatabase("every kind with the provider", (database) => {
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
        POLL_AFTER_SECONDS: "2",
        POLL_INTERVAL_SECONDS: "1",
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await fake?.stop();
  });

  const callbackUrl = () => `${server.url}/api/callbacks?token=${TOKEN}`;
  const track = (body: Record<string, string>) => requestJson<TaskDetail>(server, "/api/tasks", { body: { action: "track", ...body } });
  /** Until the task is known (its first callback may still be on its way), final, and every file is stored (or failed). */
  const settled = async (taskId: string) =>
    (
      await waitFor(
        () => requestJson<TaskDetail>(server, `/api/tasks/${taskId}`),
        ({ status, body: d }) =>
          status === 200 && d.task.status !== "pending" && d.assets.every((a) => a.status === "stored" || a.status === "failed"),
        { timeoutMs: 30_000, what: () => `${taskId} to settle with its files\n${server.log().slice(-2000)}` },
      )
    ).body;
  /** The bytes the fake serves at `url`, and the dashboard's copy of the asset: they must be the same file. */
  async function sameFile(asset: TaskDetail["assets"][number]) {
    const remote = Buffer.from(await (await fetch(asset.remoteUrl)).arrayBuffer());
    const stored = Buffer.from(await (await fetch(new URL(asset.fileUrl!, server.url))).arrayBuffer());
    expect(stored.equals(remote)).toBe(true);
    expect(asset.sha256).toBe(createHash("sha256").update(remote).digest("hex"));
  }

  describe("tracking polls each kind's own record-info", () => {
    it("music: the tracks, each track's MP3 and art, stored and verified", async () => {
      const taskId = uniqueTaskId("music");
      fake.addTask({ kind: "music", taskId, marker: "nocallback", prompt: "Iron Man" });
      const tracked = await track({ kind: "music", taskId });
      expect(tracked.status).toBe(201);
      const detail = await settled(taskId);
      expect(detail.task).toMatchObject({ kind: "music", status: "succeeded", stage: "complete", lastSource: "poll", code: 200 });
      const fakeTracks = fake.tasks.get(taskId)!.tracks;
      expect(detail.tracks.map((t) => [t.trackId, t.title, t.duration, t.modelName])).toEqual(
        fakeTracks.map((t) => [t.id, t.title, 2, "chirp-v3-5"]),
      );
      expect(detail.assets.map((a) => [a.role, a.trackId, a.status, a.contentType])).toEqual(
        fakeTracks.flatMap((t) => [
          ["track", t.id, "stored", "audio/mpeg"],
          ["track-art", t.id, "stored", "image/png"],
        ]),
      );
      for (const asset of detail.assets) await sameFile(asset);
      // Track art gets a thumbnail like a cover does.
      expect(detail.assets.filter((a) => a.role === "track-art").every((a) => a.thumbnailUrl !== null)).toBe(true);
      expect(fake.requests.some((r) => r.path === RECORD_INFO.music && r.query.taskId === taskId)).toBe(true);
    });

    it("music that reached its first track: pending at stage first, that track's files stored already", async () => {
      const taskId = uniqueTaskId("music");
      fake.addTask({ kind: "music", taskId, marker: "nocallback halt-first" });
      await track({ kind: "music", taskId });
      const detail = await waitFor(
        () => taskDetail(server, taskId),
        (d) => d.task.stage === "first" && d.assets.length === 2 && d.assets.every((a) => a.status === "stored"),
        { timeoutMs: 30_000, what: `${taskId} at its first track, stored` },
      );
      expect(detail.task).toMatchObject({ status: "pending", code: null });
      expect(detail.tracks.map((t) => t.trackId)).toEqual([fake.tasks.get(taskId)!.tracks[0]!.id]);
      expect(detail.events.some((e) => e.type === "poll" && e.detail?.startsWith("first track ready"))).toBe(true);
    });

    it("lyrics: every variant as text", async () => {
      const taskId = uniqueTaskId("lyrics");
      fake.addTask({ kind: "lyrics", taskId, marker: "nocallback", prompt: "Iron Man" });
      await track({ kind: "lyrics", taskId });
      const detail = await settled(taskId);
      expect(detail.task).toMatchObject({ kind: "lyrics", status: "succeeded", lastSource: "poll" });
      expect(detail.lyrics).toHaveLength(2);
      expect(detail.lyrics[0]).toMatchObject({ title: "Iron Man", status: "complete", errorMessage: null });
      expect(detail.lyrics[0]!.text).toContain("[Chorus]");
      expect(detail.assets).toEqual([]);
    });

    it("separation: every stem stored, and the track it separated links it to its music task", async () => {
      const music = uniqueTaskId("music");
      fake.addTask({ kind: "music", taskId: music, marker: "nocallback" });
      await track({ kind: "music", taskId: music });
      const source = (await settled(music)).tracks[0]!.trackId;
      const taskId = uniqueTaskId("sep");
      fake.addTask({ kind: "separation", taskId, marker: "nocallback", musicTaskId: music, audioId: source });
      // Not told what it was made from: the record's musicId names the track.
      await track({ kind: "separation", taskId });
      const detail = await settled(taskId);
      expect(detail.task).toMatchObject({ kind: "separation", status: "succeeded", audioId: source });
      expect(detail.assets.map((a) => [a.role, a.type, a.status, a.contentType])).toEqual([
        ["vocals", "audio", "stored", "audio/mpeg"],
        ["instrumental", "audio", "stored", "audio/mpeg"],
      ]);
      for (const asset of detail.assets) await sameFile(asset);
      expect(detail.parent?.taskId).toBe(music);
      expect((await taskDetail(server, music)).children.map((c) => c.taskId)).toEqual([taskId]);
    });

    it("MIDI: the notes, every value a number", async () => {
      const taskId = uniqueTaskId("midi");
      fake.addTask({ kind: "midi", taskId, marker: "nocallback" });
      await track({ kind: "midi", taskId });
      const detail = await settled(taskId);
      expect(detail.task).toMatchObject({ kind: "midi", status: "succeeded" });
      const instruments = detail.midi!.instruments;
      expect(instruments.map((i) => i.name).slice(0, 2)).toEqual(["Drums", "Electric Bass (finger)"]);
      expect(instruments[0]!.notes[1]).toEqual({ pitch: 38, start: 0.5, end: 0.7, velocity: 1 });
    });

    it("video: the MP4 stored and verified", async () => {
      const taskId = uniqueTaskId("video");
      fake.addTask({ kind: "video", taskId, marker: "nocallback", audioId: "some-track" });
      await track({ kind: "video", taskId });
      const detail = await settled(taskId);
      expect(detail.task).toMatchObject({ kind: "video", status: "succeeded", audioId: "some-track" });
      expect(detail.assets.map((a) => [a.role, a.type, a.status, a.contentType])).toEqual([["video", "video", "stored", "video/mp4"]]);
      await sameFile(detail.assets[0]!);
      // Served with ranges, so a player can seek.
      const range = await fetch(new URL(detail.assets[0]!.fileUrl!, server.url), { headers: { range: "bytes=4-11" } });
      expect(range.status).toBe(206);
      expect(Buffer.from(await range.arrayBuffer()).toString("latin1")).toBe("ftypisom");
    });

    it.each<[TaskKind, string, number]>([
      ["music", "fail-400", 400],
      ["lyrics", "fail-400", 400],
      ["separation", "fail-451", 451],
      ["midi", "fail-500", 500],
      ["video", "fail-500", 500],
    ])("a failed %s task fails with the record's code and message", async (kind, marker, code) => {
      const taskId = uniqueTaskId(kind);
      fake.addTask({ kind: kind as Exclude<TaskKind, "other">, taskId, marker: `nocallback ${marker}` });
      await track({ kind, taskId });
      const detail = await settled(taskId);
      expect(detail.task).toMatchObject({ kind, status: "failed", code, lastSource: "poll" });
      expect(detail.task.message).toBeTruthy();
      expect(detail).toMatchObject({ assets: [], tracks: [], lyrics: [], midi: null });
    });

    it("a task of no known kind is tracked without polling: there is no record-info to ask", async () => {
      const taskId = uniqueTaskId("voice");
      const tracked = await track({ kind: "other", taskId });
      expect(tracked.status).toBe(201);
      expect(tracked.body.task).toMatchObject({ kind: "other", status: "pending", pollCount: 0 });
      const poll = await requestJson<ErrorBody>(server, `/api/tasks/${taskId}/poll`, { method: "POST" });
      expect(poll.status).toBe(409);
      expect(poll.body.error.code).toBe("not_pollable");
      expect((await taskDetail(server, taskId)).task.pollCount).toBe(0);
      expect(fake.requests.some((r) => r.query.taskId === taskId)).toBe(false);
    });
  });

  it("a whole family by callbacks: music, its cover, its WAV, a separation, its MIDI and a video, linked both ways", async () => {
    const generated = (kind: Parameters<FakeProvider["generate"]>[0], body: Record<string, string>) => {
      const answer = fake.generate(kind, { ...body, callBackUrl: callbackUrl() }) as { code: number; data: { taskId: string } };
      expect(answer.code).toBe(200);
      return answer.data.taskId;
    };
    const music = generated("music", { prompt: "Family song" });
    // text, first, then complete arrive by callback.
    const song = await settled(music);
    expect(song.task).toMatchObject({ kind: "music", status: "succeeded", stage: "complete", lastSource: "callback", deliveryCount: 3 });
    const [t1, t2] = song.tracks.map((t) => t.trackId) as [string, string];

    const cover = (await requestJson<TaskDetail>(server, "/api/tasks", { body: { action: "cover", musicTaskId: music } })).body.task.taskId;
    const wav = (await requestJson<TaskDetail>(server, "/api/tasks", { body: { action: "wav", musicTaskId: music, audioId: t1 } })).body
      .task.taskId;
    const separation = generated("separation", { taskId: music, audioId: t1, type: "split_stem" });
    await track({ kind: "separation", taskId: separation, audioId: t1 });
    const midi = generated("midi", { taskId: separation });
    await track({ kind: "midi", taskId: midi, parentTaskId: separation });
    const video = generated("video", { taskId: music, audioId: t2 });
    await track({ kind: "video", taskId: video, audioId: t2 });

    const details = await Promise.all([cover, wav, separation, midi, video].map(settled));
    expect(details.map((d) => [d.task.kind, d.task.status])).toEqual([
      ["cover", "succeeded"],
      ["wav", "succeeded"],
      ["separation", "succeeded"],
      ["midi", "succeeded"],
      ["video", "succeeded"],
    ]);
    expect(details[2]!.assets.map((a) => a.role)).toEqual(["vocals", "backing_vocals", "drums", "bass", "guitar", "keyboard", "synth"]);
    expect(details.map((d) => d.parent?.taskId)).toEqual([music, music, music, separation, music]);
    const family = await taskDetail(server, music);
    expect(family.parent).toBeNull();
    expect(family.children.map((c) => c.taskId).sort()).toEqual([cover, wav, separation, video].sort());
    expect((await taskDetail(server, separation)).children.map((c) => [c.taskId, c.kind])).toEqual([[midi, "midi"]]);
  });
});
