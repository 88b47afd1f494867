// The files and data of every kind, over real HTTP against `next start` with
// files stored the real way (callbacks → downloads from a local file server):
// content checks of MP3 and MP4, the MIDI file read back with an independent
// parser (midi-file) note by note, archives (checked with `unzip` and
// `sha256sum -c`) and exports of each kind, and deleting a task with its
// tracks and notes. Once per database driver.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseMidi, type MidiEvent } from "midi-file";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaskDetail } from "@/db/queries/dto";
import type { MidiData } from "@/lib/core/result";
import { makeMp3, makePng } from "../scripts/lib/media";
import { makeMp4 } from "../scripts/lib/mp4";
import { allStored, sha256, settled, waitForAssets } from "./helpers/assets";
import { describeEachDatabase } from "./helpers/drivers";
import { bytes, startFileServer, type FileServer } from "./helpers/file-server";
import { requestJson, taskDetail } from "./helpers/http";
import { uniqueTaskId } from "./helpers/ids";
import { fixture, startServer, type TestServer } from "./helpers/server";

type Json = Record<string, unknown>;
const load = (name: string) => JSON.parse(fixture(`callbacks/${name}`)) as Json;

const mp3a = makeMp3(1.5, "First");
const mp3b = makeMp3(2.5, "Second");
const art = makePng(64, 64, 3);
const mp4 = makeMp4({ seed: 2 });
const stems = { vocal: makeMp3(1, "vocals"), drums: makeMp3(1.2, "drums"), bass: makeMp3(0.8, "bass") };

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

/** Downloads a ZIP, tests it with `unzip -t` and extracts it; answers the folder. */
async function unzipped(server: TestServer, pathname: string): Promise<string> {
  const res = await fetch(new URL(pathname, server.url));
  if (res.status !== 200) throw new Error(`GET ${pathname}: ${res.status} ${await res.text()}`);
  expect(res.headers.get("content-type")).toBe("application/zip");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kinds-files-"));
  scratch.push(dir);
  const zip = path.join(dir, "archive.zip");
  fs.writeFileSync(zip, Buffer.from(await res.arrayBuffer()));
  execFileSync("unzip", ["-tq", zip]);
  execFileSync("unzip", ["-q", zip, "-d", path.join(dir, "out")]);
  return path.join(dir, "out");
}

const listFiles = (dir: string) =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();

const checkSums = (dir: string) => execFileSync("sha256sum", ["-c", "--strict", "SHA256SUMS"], { cwd: dir, encoding: "utf8" });

/** The notes of a Standard MIDI File, read with midi-file: per track its name, channel, program and notes in seconds. */
function readMidi(data: Uint8Array) {
  const file = parseMidi(data);
  const ticksPerBeat = file.header.ticksPerBeat!;
  let microsPerBeat = 500_000; // MIDI's default, 120 BPM
  const tracks = file.tracks.map((events: MidiEvent[]) => {
    let ticks = 0;
    let name = "";
    let channel: number | null = null;
    let program: number | null = null;
    const open = new Map<number, { ticks: number; velocity: number }>();
    const notes: { pitch: number; startTicks: number; endTicks: number; velocity: number }[] = [];
    for (const e of events) {
      ticks += e.deltaTime;
      if (e.type === "setTempo") microsPerBeat = e.microsecondsPerBeat;
      if (e.type === "trackName") name = e.text;
      if (e.type === "programChange") program = e.programNumber;
      if (e.type === "noteOn" && e.velocity > 0) {
        channel = e.channel;
        open.set(e.noteNumber, { ticks, velocity: e.velocity });
      }
      if (e.type === "noteOff" || (e.type === "noteOn" && e.velocity === 0)) {
        const start = open.get(e.noteNumber)!;
        open.delete(e.noteNumber);
        notes.push({ pitch: e.noteNumber, startTicks: start.ticks, endTicks: ticks, velocity: start.velocity });
      }
    }
    return { name, channel, program, notes };
  });
  const seconds = (t: number) => (t * microsPerBeat) / 1e6 / ticksPerBeat;
  return {
    format: file.header.format,
    tickSeconds: seconds(1),
    tracks: tracks.map((t) => ({
      ...t,
      notes: t.notes
        .map((n) => ({ pitch: n.pitch, start: seconds(n.startTicks), end: seconds(n.endTicks), velocity: n.velocity }))
        .sort((a, b) => a.start - b.start || a.pitch - b.pitch),
    })),
  };
}

describeEachDatabase("the files and data of every kind", (database) => {
  let server: TestServer;
  let files: FileServer;

  beforeAll(async () => {
    files = await startFileServer();
    files.route("/t1.mp3", bytes(mp3a, "audio/mpeg"));
    files.route("/t2.mp3", bytes(mp3b, "audio/mpeg"));
    files.route("/art.jpeg", bytes(art, "image/jpeg"));
    files.route("/video.mp4", bytes(mp4, "video/mp4"));
    for (const [stem, data] of Object.entries(stems)) files.route(`/${stem}.mp3`, bytes(data, "audio/mpeg"));
    // Wrong content under the right names: an error page, a picture, a song.
    files.route("/error.mp3", bytes(Buffer.from("<!doctype html><title>502</title>"), "audio/mpeg"));
    files.route("/picture.mp3", bytes(art, "audio/mpeg"));
    files.route("/song.mp4", bytes(mp3a, "video/mp4"));
    server = await startServer({ database, env: { DOWNLOAD_ALLOW_PRIVATE: "1" } });
  });
  afterAll(async () => {
    await server?.close();
    await files?.close();
  });

  const musicCallback = (taskId: string, t1Audio = "/t1.mp3", t2Audio = "/t2.mp3") => {
    const body = load("music-complete.json");
    const data = body.data as { task_id: string; data: Json[] };
    data.task_id = taskId;
    const [a, b] = data.data as [Json, Json];
    for (const [track, audio] of [
      [a, t1Audio],
      [b, t2Audio],
    ] as const) {
      track.audio_url = `${files.url}${audio}`;
      track.source_audio_url = `${files.url}${audio}`;
      track.image_url = `${files.url}/art.jpeg`;
    }
    return body;
  };
  const separationCallback = (taskId: string, urls: Record<string, string | null>) => ({
    code: 200,
    msg: "vocal Removal generated successfully.",
    data: { task_id: taskId, vocal_removal_info: { origin_url: "", instrumental_url: null, ...urls } },
  });
  const videoCallback = (taskId: string, file = "/video.mp4") => ({
    code: 200,
    msg: "MP4 generated successfully.",
    data: { task_id: taskId, video_url: `${files.url}${file}` },
  });
  const midiCallback = (taskId: string) => ({ ...load("midi-complete.json"), task_id: taskId });

  async function stored(body: unknown): Promise<TaskDetail> {
    const res = await server.callback(body);
    expect(res.status).toBe(200);
    const { taskId } = (await res.json()) as { taskId: string };
    return waitForAssets(server, taskId, settled, 30_000);
  }

  describe("downloads with content checks", () => {
    it("a music task's MP3s and art, a separation's stems and a video are stored, verified and served", async () => {
      const music = await stored(musicCallback(uniqueTaskId("music")));
      expect(music.assets.map((a) => [a.role, a.status, a.contentType, a.bytes])).toEqual([
        ["track", "stored", "audio/mpeg", mp3a.length],
        ["track-art", "stored", "image/png", art.length],
        ["track", "stored", "audio/mpeg", mp3b.length],
        ["track-art", "stored", "image/png", art.length],
      ]);
      expect(music.assets.map((a) => a.sha256)).toEqual([mp3a, art, mp3b, art].map(sha256));
      const separation = await stored(
        separationCallback(uniqueTaskId("sep"), {
          vocal_url: `${files.url}/vocal.mp3`,
          drums_url: `${files.url}/drums.mp3`,
          bass_url: `${files.url}/bass.mp3`,
          guitar_url: "",
        }),
      );
      expect(separation.assets.map((a) => [a.role, a.status, a.sha256])).toEqual([
        ["vocals", "stored", sha256(stems.vocal)],
        ["drums", "stored", sha256(stems.drums)],
        ["bass", "stored", sha256(stems.bass)],
      ]);
      const video = await stored(videoCallback(uniqueTaskId("video")));
      expect(video.assets.map((a) => [a.type, a.role, a.status, a.contentType, a.sha256])).toEqual([
        ["video", "video", "stored", "video/mp4", sha256(mp4)],
      ]);

      // Served as stored, under names that say what they are, in folders named for their kind.
      const file = await fetch(new URL(`${music.assets[0]!.fileUrl!}?download=1`, server.url));
      expect(file.headers.get("content-type")).toBe("audio/mpeg");
      expect(file.headers.get("content-disposition")).toBe(`attachment; filename="track-${music.task.taskId}-1.mp3"`);
      expect(Buffer.from(await file.arrayBuffer()).equals(mp3a)).toBe(true);
      const keys = await server.sql<{ key: string }>("select storage_path as key from assets where task_id in (?, ?, ?) order by id", [
        music.task.taskId,
        separation.task.taskId,
        video.task.taskId,
      ]);
      expect(keys.map((k) => k.key)).toEqual([
        `music/${music.task.taskId}/0.mp3`,
        `music/${music.task.taskId}/1.png`,
        `music/${music.task.taskId}/2.mp3`,
        `music/${music.task.taskId}/3.png`,
        `separation/${separation.task.taskId}/0.mp3`,
        `separation/${separation.task.taskId}/1.mp3`,
        `separation/${separation.task.taskId}/2.mp3`,
        `video/${video.task.taskId}/0.mp4`,
      ]);
    });

    it("wrong content fails for good, naming what was expected: an error page as a track, a picture as a stem, a song as a video", async () => {
      const music = await stored(musicCallback(uniqueTaskId("music"), "/error.mp3", "/t2.mp3"));
      expect(music.assets.map((a) => [a.role, a.status])).toEqual([
        ["track", "failed"],
        ["track-art", "stored"],
        ["track", "stored"],
        ["track-art", "stored"],
      ]);
      expect(music.assets[0]!.error).toBe("wrong content: expected an MP3 file, got an HTML/XML page");
      const separation = await stored(separationCallback(uniqueTaskId("sep"), { vocal_url: `${files.url}/picture.mp3` }));
      expect(separation.assets[0]).toMatchObject({ status: "failed", attempts: 1 });
      expect(separation.assets[0]!.error).toMatch(
        /^wrong content: expected an MP3 or WAV \(RIFF\/WAVE\) file, got bytes starting 89504e47/,
      );
      const video = await stored(videoCallback(uniqueTaskId("video"), "/song.mp4"));
      expect(video.assets[0]!.error).toMatch(/^wrong content: expected an MP4 file, got bytes starting 494433/);
    });
  });

  describe("MIDI", () => {
    it("GET /api/tasks/{id}/midi is a Standard MIDI File, one track per instrument, every note as received", async () => {
      const taskId = uniqueTaskId("midi");
      await server.callback(midiCallback(taskId));
      const notes = (await taskDetail(server, taskId)).midi as MidiData;
      const res = await fetch(new URL(`/api/tasks/${taskId}/midi`, server.url));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("audio/midi");
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${taskId}.mid"`);
      const data = new Uint8Array(await res.arrayBuffer());
      expect(Number(res.headers.get("content-length"))).toBe(data.byteLength);
      expect(Buffer.from(data.subarray(0, 4)).toString("latin1")).toBe("MThd");

      const read = readMidi(data);
      expect(read.format).toBe(1);
      // The first track holds the tempo and the sequence's name; then one per instrument.
      const instruments = read.tracks.filter((t) => t.notes.length > 0 || t.name !== taskId);
      expect(instruments.map((t) => t.name)).toEqual(["Drums", "Electric Bass (finger)"]);
      expect(instruments.map((t) => t.channel)).toEqual([9, 0]);
      expect(instruments[1]!.program).toBe(33); // General MIDI "Electric Bass (finger)"
      notes.instruments.forEach((instrument, i) => {
        const got = instruments[i]!.notes;
        const want = [...instrument.notes].sort((a, b) => a.start - b.start || a.pitch - b.pitch);
        expect(got).toHaveLength(want.length);
        want.forEach((note, j) => {
          expect(got[j]!.pitch).toBe(note.pitch);
          // Within one tick (about 1 ms at 120 BPM) and one velocity step.
          expect(Math.abs(got[j]!.start - note.start)).toBeLessThanOrEqual(read.tickSeconds);
          expect(Math.abs(got[j]!.end - note.end)).toBeLessThanOrEqual(read.tickSeconds);
          expect(Math.abs(got[j]!.velocity - note.velocity * 127)).toBeLessThanOrEqual(1);
        });
      });
    });

    it("answers 404 for a task without notes and for an unknown task", async () => {
      const video = uniqueTaskId("video");
      await server.callback(videoCallback(video));
      for (const taskId of [video, uniqueTaskId("nobody")]) {
        const res = await requestJson<{ error: { code: string } }>(server, `/api/tasks/${taskId}/midi`);
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe("not_found");
      }
    });
  });

  describe("archives and exports", () => {
    it("a music task's archive holds its tracks' files and metadata.json with the tracks; every checksum holds", async () => {
      const music = await stored(musicCallback(uniqueTaskId("music")));
      const dir = await unzipped(server, `/api/tasks/${music.task.taskId}/archive`);
      expect(listFiles(dir)).toEqual(["SHA256SUMS", "metadata.json", "track-0.mp3", "track-2.mp3", "track-art-1.png", "track-art-3.png"]);
      expect(fs.readFileSync(path.join(dir, "track-2.mp3")).equals(mp3b)).toBe(true);
      checkSums(dir);
      const metadata = JSON.parse(fs.readFileSync(path.join(dir, "metadata.json"), "utf8")) as TaskDetail;
      expect(metadata.task).toMatchObject({ kind: "music", stage: "complete" });
      expect(metadata.tracks.map((t) => t.title)).toEqual(["Iron Man", "Iron Man (take 2)"]);
    });

    it("a MIDI task's archive holds its .mid (the same file GET …/midi answers) and the notes in metadata.json", async () => {
      const taskId = uniqueTaskId("midi");
      await server.callback(midiCallback(taskId));
      const dir = await unzipped(server, `/api/tasks/${taskId}/archive`);
      expect(listFiles(dir)).toEqual(["SHA256SUMS", "metadata.json", `${taskId}.mid`]);
      checkSums(dir);
      const served = Buffer.from(await (await fetch(new URL(`/api/tasks/${taskId}/midi`, server.url))).arrayBuffer());
      expect(fs.readFileSync(path.join(dir, `${taskId}.mid`)).equals(served)).toBe(true);
      const metadata = JSON.parse(fs.readFileSync(path.join(dir, "metadata.json"), "utf8")) as TaskDetail;
      expect(metadata.midi).toEqual((await taskDetail(server, taskId)).midi);
      expect(metadata.midi!.instruments[0]!.notes[0]).toEqual({
        pitch: 73,
        start: 0.036458333333333336,
        end: 0.18229166666666666,
        velocity: 1,
      });
    });

    it("a lyrics task's archive carries the lyrics in metadata.json; a separation's, its stems", async () => {
      const lyricsBody = load("lyrics-complete.json");
      const lyricsTask = uniqueTaskId("lyrics");
      (lyricsBody.data as Json).taskId = lyricsTask;
      await server.callback(lyricsBody);
      const lyricsDir = await unzipped(server, `/api/tasks/${lyricsTask}/archive`);
      expect(listFiles(lyricsDir)).toEqual(["SHA256SUMS", "metadata.json"]);
      const lyrics = (JSON.parse(fs.readFileSync(path.join(lyricsDir, "metadata.json"), "utf8")) as TaskDetail).lyrics;
      expect(lyrics.map((l) => l.title)).toEqual(["Iron Man", "Iron Heart"]);

      const separation = await stored(
        separationCallback(uniqueTaskId("sep"), { vocal_url: `${files.url}/vocal.mp3`, drums_url: `${files.url}/drums.mp3` }),
      );
      const dir = await unzipped(server, `/api/tasks/${separation.task.taskId}/archive`);
      expect(listFiles(dir)).toEqual(["SHA256SUMS", "drums-1.mp3", "metadata.json", "vocals-0.mp3"]);
      checkSums(dir);
    });

    it("the export of one kind holds that kind's tasks only, each folder complete", async () => {
      const video = await stored(videoCallback(uniqueTaskId("video")));
      const dir = await unzipped(server, `/api/export?kind=video&q=${video.task.taskId}`);
      expect(listFiles(dir)).toEqual(
        [`${video.task.taskId}/SHA256SUMS`, `${video.task.taskId}/metadata.json`, `${video.task.taskId}/video-0.mp4`, "tasks.csv"].sort(),
      );
      checkSums(path.join(dir, video.task.taskId));
      expect(fs.readFileSync(path.join(dir, "tasks.csv"), "utf8")).toContain(`${video.task.taskId},video,succeeded,,200`);
      // A music task's row says how far it came.
      const music = await stored(musicCallback(uniqueTaskId("music")));
      const csv = await (await fetch(new URL(`/api/export/tasks.csv?kind=music&q=${music.task.taskId}`, server.url))).text();
      expect(csv.split("\r\n")[0]).toMatch(/^taskId,kind,status,stage,code,/);
      expect(csv).toContain(`${music.task.taskId},music,succeeded,complete,200`);
    });
  });

  it("deleting a task removes its tracks, notes and stored files too", async () => {
    const music = await stored(musicCallback(uniqueTaskId("music")));
    expect(allStored(music.assets)).toBe(true);
    const keys = await server.sql<{ key: string }>("select storage_path as key from assets where task_id = ?", [music.task.taskId]);
    const onDisk = keys.map((k) => path.join(server.storageDir, k.key));
    expect(onDisk.every((file) => fs.existsSync(file))).toBe(true);
    const midiTask = uniqueTaskId("midi");
    await server.callback(midiCallback(midiTask));
    for (const taskId of [music.task.taskId, midiTask]) {
      expect((await fetch(new URL(`/api/tasks/${taskId}`, server.url), { method: "DELETE" })).status).toBe(204);
    }
    const left = async (table: string) =>
      (await server.sql<{ n: number }>(`select count(*) as n from ${table} where task_id in (?, ?)`, [music.task.taskId, midiTask]))[0]!.n;
    for (const table of ["tasks", "assets", "tracks", "outputs", "deliveries", "events"])
      expect({ table, n: Number(await left(table)) }).toEqual({ table, n: 0 });
    expect(onDisk.some((file) => fs.existsSync(file))).toBe(false);
  });
});
