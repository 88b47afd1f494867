// A whole family of tasks of every kind, seeded the way production gets it:
// the dashboard told what each task was made from (POST /api/tasks "track",
// asking the fake provider, which says "still pending"), then the provider's
// callbacks (the spec's examples, tests/fixtures/callbacks) POSTed with fresh
// ids and their file URLs pointing at a local file server of real small files.
import { randomUUID } from "node:crypto";
import { makeMp3, makePng, makeWavFile } from "../scripts/lib/media";
import { makeMp4 } from "../scripts/lib/mp4";
import type { FakeProvider } from "../scripts/lib/fake-provider";
import { allStored, waitForAssets } from "../tests/helpers/assets";
import { coverSuccess, wavSuccess, withTaskId } from "../tests/helpers/callbacks";
import { bytes, type Handler } from "../tests/helpers/file-server";
import { requestJson } from "../tests/helpers/http";
import { uniqueTaskId } from "../tests/helpers/ids";
import { fixture, type TestServer } from "../tests/helpers/server";

type Json = Record<string, unknown>;

/** Seconds every track and stem lasts. */
export const SECONDS = 12;

/** The stems the split-stem example names with a URL, and the file each is served as (two WAVs: they get waveforms). */
export const STEM_FILES: Record<string, string> = {
  vocal: "stem-vocals.wav",
  backing_vocals: "stem-backing.mp3",
  drums: "stem-drums.wav",
  bass: "stem-bass.mp3",
  guitar: "stem-guitar.mp3",
  percussion: "stem-percussion.mp3",
  synth: "stem-synth.mp3",
  fx: "stem-fx.mp3",
};

/** The files the provider's URLs are rewritten to, by path. */
export function familyFiles(): Record<string, Handler> {
  const wav = (loudness: (t: number, total: number) => number) =>
    bytes(makeWavFile({ seconds: SECONDS, sampleRate: 8_000, channels: 1, loudness }), "audio/wav");
  return {
    "/track-0.mp3": bytes(makeMp3(SECONDS, "Iron Man"), "audio/mpeg"),
    "/track-1.mp3": bytes(makeMp3(SECONDS, "Iron Man (take 2)"), "audio/mpeg"),
    "/art-0.png": bytes(makePng(512, 512, 1), "image/png"),
    "/art-1.png": bytes(makePng(512, 512, 3), "image/png"),
    "/cover-0.png": bytes(makePng(256, 256, 2), "image/png"),
    "/cover-1.png": bytes(makePng(256, 256, 4), "image/png"),
    "/song.wav": wav((t, total) => 0.3 + 0.7 * (t / total)),
    // Vocals swell and fall; drums pulse: two waveforms that look like what they are.
    "/stem-vocals.wav": wav((t, total) => Math.sin((Math.PI * t) / total)),
    "/stem-drums.wav": wav((t) => (Math.floor(t * 2) % 2 === 0 ? 0.9 : 0.15)),
    ...Object.fromEntries(
      Object.values(STEM_FILES)
        .filter((f) => f.endsWith(".mp3"))
        .map((f) => [`/${f}`, bytes(makeMp3(SECONDS), "audio/mpeg")]),
    ),
    "/video.mp4": bytes(makeMp4({ width: 320, height: 176, frames: 8, framesPerSecond: 2, seed: 3 }), "video/mp4"),
  };
}

export type Family = {
  music: string;
  tracks: [string, string];
  cover: string;
  wav: string;
  separation: string;
  midi: string;
  video: string;
  lyrics: string;
  other: string;
};

const load = (name: string) => JSON.parse(fixture(`callbacks/${name}`)) as Json;

/** Tells the dashboard about a task made elsewhere and what it was made from; the fake provider answers "pending". */
async function track(
  server: TestServer,
  provider: FakeProvider,
  input: { kind: "cover" | "wav" | "separation" | "midi" | "video"; taskId: string; parentTaskId: string; audioId?: string },
) {
  provider.addTask({ kind: input.kind, taskId: input.taskId, marker: "never", musicTaskId: input.parentTaskId, audioId: input.audioId });
  const res = await requestJson(server, "/api/tasks", { body: { action: "track", ...input } });
  if (res.status !== 200 && res.status !== 201) throw new Error(`track ${input.taskId}: ${res.status} ${JSON.stringify(res.body)}`);
}

async function post(server: TestServer, body: unknown) {
  const res = await server.callback(body);
  if (res.status !== 200) throw new Error(`callback answered ${res.status}: ${await res.text()}`);
}

/** The music example with its ids and every URL replaced. */
export function musicCallback(name: "music-complete.json" | "music-first.json", taskId: string, tracks: string[], files: string): Json {
  const body = load(name);
  const data = body.data as Json;
  data.task_id = taskId;
  (data.data as Json[]).forEach((item, i) => {
    item.id = tracks[i];
    for (const key of ["audio_url", "source_audio_url", "stream_audio_url", "source_stream_audio_url"])
      item[key] = `${files}/track-${i}.mp3`;
    for (const key of ["image_url", "source_image_url"]) item[key] = `${files}/art-${i}.png`;
  });
  return body;
}

/** The split-stem example with its id and each stem URL (those it names) pointing at `files`. */
export function separationCallback(taskId: string, files: string): Json {
  const body = load("separation-split-stem.json");
  const data = body.data as Json;
  data.task_id = taskId;
  const info = data.vocal_removal_info as Record<string, string | null>;
  for (const [key, url] of Object.entries(info)) {
    const stem = key.replace(/_url$/, "");
    if (url && STEM_FILES[stem]) info[key] = `${files}/${STEM_FILES[stem]}`;
  }
  return body;
}

/** A fixture with only its task id replaced. */
export const fixtureWithTaskId = (name: string, taskId: string): Json => withTaskId(load(name), taskId);

/** Music, its cover, WAV, separation (→ MIDI) and video, linked; lyrics and a body of no known kind beside them. Waits for every file. */
export async function seedFamily(server: TestServer, provider: FakeProvider, files: string): Promise<Family> {
  const f: Family = {
    music: uniqueTaskId("music"),
    tracks: [randomUUID(), randomUUID()],
    cover: uniqueTaskId("cover"),
    wav: uniqueTaskId("wav"),
    separation: uniqueTaskId("separation"),
    midi: uniqueTaskId("midi"),
    video: uniqueTaskId("video"),
    lyrics: uniqueTaskId("lyrics"),
    other: uniqueTaskId("voice"),
  };
  const [first] = f.tracks;
  await track(server, provider, { kind: "cover", taskId: f.cover, parentTaskId: f.music });
  await track(server, provider, { kind: "wav", taskId: f.wav, parentTaskId: f.music, audioId: first });
  await track(server, provider, { kind: "separation", taskId: f.separation, parentTaskId: f.music, audioId: first });
  await track(server, provider, { kind: "midi", taskId: f.midi, parentTaskId: f.separation });
  await track(server, provider, { kind: "video", taskId: f.video, parentTaskId: f.music, audioId: first });

  await post(server, musicCallback("music-complete.json", f.music, f.tracks, files));
  await post(server, coverSuccess(f.cover, [`${files}/cover-0.png`, `${files}/cover-1.png`]));
  await post(server, wavSuccess(f.wav, `${files}/song.wav`));
  await post(server, separationCallback(f.separation, files));
  await post(server, fixtureWithTaskId("midi-complete.json", f.midi));
  const video = fixtureWithTaskId("video-success.json", f.video);
  (video.data as Json).video_url = `${files}/video.mp4`;
  await post(server, video);
  await post(server, fixtureWithTaskId("lyrics-complete.json", f.lyrics));
  await post(server, fixtureWithTaskId("voice-phrase-ready.json", f.other));

  for (const taskId of [f.music, f.cover, f.wav, f.separation, f.video]) await waitForAssets(server, taskId, allStored, 60_000);
  return f;
}
