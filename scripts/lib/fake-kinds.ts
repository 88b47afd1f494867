// What the fake provider (./fake-provider.ts) says about each kind of task,
// as the docs describe it (../shared/spec/suno-api.md, suno-api-kinds.md): its
// callbacks (music's text, first and complete), its record-info answer at any
// moment, and its files. Variants alternate between tasks (variant 0/1) so both
// spellings the doc sites disagree on reach the dashboard.
import { randomUUID } from "node:crypto";

export const KINDS = ["cover", "wav", "music", "lyrics", "separation", "midi", "video"] as const;
export type Kind = (typeof KINDS)[number];
export const isKind = (value: unknown): value is Kind => (KINDS as readonly unknown[]).includes(value);

export type FakeTrack = { id: string; title: string };

export type FakeTask = {
  kind: Kind;
  taskId: string;
  /** The task this one was made from (cover, WAV, separation, video: a music task; MIDI: a separation). */
  musicTaskId: string | null;
  /** The track (WAV, separation, video) or stem (MIDI) it was made from. */
  audioId: string | null;
  callBackUrl: string | null;
  createdAt: number;
  completesAt: number;
  /** null = success; otherwise the failure code. */
  failCode: number | null;
  callback: boolean;
  never: boolean;
  /** Music that reaches its first track and goes no further (marker halt-first). */
  haltsAtFirst: boolean;
  deliveries: number;
  /** Which answer variant callbacks and record-info use (alternates between tasks). */
  variant: 0 | 1;
  /** Music: its tracks (two, as the docs' samples show). Lyrics: its title. */
  tracks: FakeTrack[];
  /** Music and lyrics: what was asked for. */
  prompt: string | null;
  /** Separation: separate_vocal (2 stems) or split_stem (several). */
  separationType: "separate_vocal" | "split_stem";
};

/** Each kind's failure messages, by code. */
const FAILURES: Record<Kind, Record<number, string>> = {
  cover: {
    400: "Validation error: request parameters invalid",
    408: "Rate limited: timeout",
    500: "Server error",
    501: "Cover generation failed",
    531: "Generation failed, credits refunded, try again",
  },
  wav: {
    400: "Unsupported source audio format",
    451: "Unable to download source audio file",
    500: "Internal error, try again later",
  },
  music: {
    400: "Music generation failed",
    413: "Uploaded audio matches an existing work",
    501: "Audio generation failed",
    531: "Generation failed and credits were refunded",
  },
  lyrics: { 400: "Lyrics generation failed", 500: "Server error, retry later" },
  separation: { 400: "Vocal separation failed", 451: "Could not download the source file", 500: "Server error, retry later" },
  midi: { 500: "MIDI generation failed" },
  video: { 400: "Music video generation failed", 451: "Could not download the source file", 500: "Server error, retry later" },
};

export function failureMessage(task: FakeTask): string {
  return FAILURES[task.kind][task.failCode ?? 500] ?? `Failed with code ${task.failCode}`;
}

export function newTracks(prompt: string | null): FakeTrack[] {
  const title = (prompt ?? "").replace(/\b(fail-\d{3}|nocallback|never|halt-first|dup-\d{1,2}|reject-\d{3})\b/g, "").trim() || "Untitled";
  return [
    { id: randomUUID(), title },
    { id: randomUUID(), title: `${title} (take 2)` },
  ];
}

const SPLIT_STEMS = ["vocal", "backing_vocals", "drums", "bass", "guitar", "keyboard", "synth"] as const;
const SEPARATE_STEMS = ["vocal", "instrumental"] as const;
/** Every stem key of the docs, so the ones a type does not make are there as null. */
const ALL_STEMS = [
  "origin",
  "vocal",
  "instrumental",
  "backing_vocals",
  "drums",
  "bass",
  "guitar",
  "keyboard",
  "percussion",
  "strings",
  "synth",
  "fx",
  "brass",
  "woodwinds",
];

export const stemsOf = (task: FakeTask): readonly string[] => (task.separationType === "split_stem" ? SPLIT_STEMS : SEPARATE_STEMS);

const camel = (stem: string) => `${stem.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())}Url`;

/** The file URLs of a task's result, served by the fake under /files/. */
export function fileUrls(task: FakeTask, baseUrl: string) {
  const base = `${baseUrl}/files/${task.taskId}`;
  return {
    covers: [0, 1].map((i) => `${base}/${i}.png`),
    wav: `${base}.wav`,
    track: (i: number) => ({ audio: `${base}/track-${i}.mp3`, image: `${base}/track-${i}.png` }),
    stem: (stem: string) => `${base}/${stem}.mp3`,
    video: `${base}.mp4`,
  };
}

/** The notes a MIDI task finds: a drum beat and a bass line over two bars. */
function instruments(task: FakeTask, asStrings: boolean) {
  const time = (s: number) => (asStrings ? String(s) : s);
  const drums = Array.from({ length: 8 }, (_, i) => ({
    pitch: i % 2 ? 38 : 36,
    start: time(i * 0.5),
    end: time(i * 0.5 + 0.2),
    velocity: 1,
  }));
  const bass = [40, 40, 43, 45, 40, 38, 43, 40].map((pitch, i) => ({
    pitch,
    start: time(i * 0.5),
    end: time(i * 0.5 + 0.45),
    velocity: 0.75,
  }));
  const lead = [64, 67, 69, 71, 72, 71, 69, 67].map((pitch, i) => ({ pitch, start: i * 0.5 + 0.25, end: i * 0.5 + 0.5, velocity: 0.6 }));
  const all = [
    { name: "Drums", notes: drums },
    { name: "Electric Bass (finger)", notes: bass },
    { name: "Acoustic Grand Piano", notes: lead },
  ];
  return task.variant === 0 ? all : all.slice(0, 2);
}

function lyricsVariants(task: FakeTask) {
  const title = task.tracks[0]?.title ?? "Untitled";
  return [
    {
      text: `[Verse]\n${title} in the morning light\n[Chorus]\n${title}, ${title}, hold on tight`,
      title,
      status: "complete",
      errorMessage: "",
    },
    {
      text: `[Verse]\nWalking down to ${title}\n[Chorus]\nSing it loud, sing it proud`,
      title: `${title} II`,
      status: "complete",
      errorMessage: "",
    },
  ];
}

/** A music callback's tracks, snake_case (variant 1 is an old kie sample: no source_* twins). */
function callbackTracks(task: FakeTask, baseUrl: string, count: number) {
  return task.tracks.slice(0, count).map((t, i) => {
    const files = fileUrls(task, baseUrl).track(i);
    return {
      id: t.id,
      audio_url: files.audio,
      ...(task.variant === 0 ? { source_audio_url: files.audio } : {}),
      stream_audio_url: `${files.audio}?stream=1`,
      image_url: files.image,
      ...(task.variant === 0 ? { source_image_url: files.image } : {}),
      prompt: `[Verse] ${task.prompt ?? t.title}`,
      model_name: "chirp-v3-5",
      title: t.title,
      tags: "electrifying, rock",
      createTime: utcText(task.createdAt),
      duration: 2,
    };
  });
}

/** One callback a task sends, and how long after its creation. */
export type Stage = { name: string; afterMs: number; body: unknown };

/** The callbacks of a task, in order: music sends text, first and complete (or error); the others one. */
export function callbackStages(task: FakeTask, baseUrl: string): Stage[] {
  const delay = task.completesAt - task.createdAt;
  const ok = task.failCode === null;
  const done = (body: unknown): Stage[] => [{ name: ok ? "complete" : "error", afterMs: delay, body }];
  const code = task.failCode;
  const msg = ok ? "success" : failureMessage(task);
  const files = fileUrls(task, baseUrl);
  switch (task.kind) {
    case "cover":
      return done({ code: ok ? 200 : code, msg, data: { taskId: task.taskId, images: ok ? files.covers : null } });
    case "wav":
      return done({ code: ok ? 200 : code, msg, data: { audioWavUrl: ok ? files.wav : null, task_id: task.taskId } });
    case "music": {
      const stage = (callbackType: string, tracks: number, message: string, afterMs: number): Stage => ({
        name: callbackType,
        afterMs,
        body: { code: 200, msg: message, data: { callbackType, task_id: task.taskId, data: callbackTracks(task, baseUrl, tracks) } },
      });
      if (!ok) {
        return [
          stage("text", 0, "Text generated successfully.", delay / 3),
          { name: "error", afterMs: delay, body: { code, msg, data: { callbackType: "error", task_id: task.taskId, data: null } } },
        ];
      }
      return [
        stage("text", 0, "Text generated successfully.", delay / 3),
        stage("first", 1, "First track generated successfully.", (2 * delay) / 3),
        ...(task.haltsAtFirst ? [] : [stage("complete", task.tracks.length, "All generated successfully.", delay)]),
      ];
    }
    case "lyrics":
      return done({
        code: ok ? 200 : code,
        msg: ok ? "All generated successfully." : msg,
        data: { callbackType: ok ? "complete" : "error", taskId: task.taskId, data: ok ? lyricsVariants(task) : null },
      });
    case "separation": {
      const key = task.variant === 0 ? "vocal_removal_info" : "vocal_separation_info";
      const stems = stemsOf(task);
      const info = Object.fromEntries(ALL_STEMS.map((s) => [`${s}_url`, stems.includes(s) ? files.stem(s) : s === "origin" ? "" : null]));
      return done({
        code: ok ? 200 : code,
        msg: ok ? (task.variant === 0 ? "vocal Removal generated successfully." : "vocal separation generated successfully.") : msg,
        data: { task_id: task.taskId, [key]: ok ? info : null },
      });
    }
    case "midi":
      return done(
        ok
          ? { task_id: task.taskId, code: 200, msg: "success", data: { state: "complete", instruments: instruments(task, true) } }
          : { task_id: task.taskId, code, msg, data: null },
      );
    case "video":
      return done({
        code: ok ? 200 : code,
        msg: ok ? "MP4 generated successfully." : msg,
        data: { task_id: task.taskId, video_url: ok ? files.video : null },
      });
  }
}

export type State = "pending" | "succeeded" | "failed";

/** The record-info `data` of a task whose state is `state` (music: how far it came at `now`). */
export function recordInfo(task: FakeTask, state: State, now: number, baseUrl: string, redact: (url: string) => string): unknown {
  const files = fileUrls(task, baseUrl);
  const callbackUrl = task.callBackUrl ? redact(task.callBackUrl) : null;
  const failed = state === "failed";
  const common = {
    taskId: task.taskId,
    callbackUrl,
    errorCode: failed ? task.failCode : null,
    errorMessage: failed ? failureMessage(task) : null,
  };
  const completeTime = state === "pending" ? null : task.completesAt;
  switch (task.kind) {
    case "cover": {
      const numeric = task.variant === 0;
      const flag = { pending: numeric ? 0 : "PENDING", succeeded: numeric ? 1 : "SUCCESS", failed: numeric ? 3 : "GENERATE_COVER_FAILED" }[
        state
      ];
      return {
        ...common,
        parentTaskId: task.musicTaskId,
        createTime: new Date(task.createdAt).toISOString(),
        completeTime: completeTime === null ? null : new Date(completeTime).toISOString(),
        response: state === "succeeded" ? { images: files.covers } : null,
        successFlag: flag,
        errorCode: state === "succeeded" ? 200 : common.errorCode,
        errorMessage: state === "succeeded" ? "" : common.errorMessage,
      };
    }
    case "wav": {
      const flag = { pending: "PENDING", succeeded: "SUCCESS", failed: "GENERATE_WAV_FAILED" }[state];
      // Variant 1 is the older spelling: `status` and `audio_wav_url`.
      const response = state !== "succeeded" ? null : task.variant === 0 ? { audioWavUrl: files.wav } : { audio_wav_url: files.wav };
      return {
        ...common,
        musicId: task.audioId,
        createTime: utcText(task.createdAt),
        completeTime: completeTime === null ? null : utcText(completeTime),
        response,
        ...(task.variant === 0 ? { successFlag: flag } : { status: flag }),
      };
    }
    case "music": {
      const elapsed = now - task.createdAt;
      const delay = task.completesAt - task.createdAt;
      const reached =
        state === "pending" ? (task.never ? 0 : elapsed >= (2 * delay) / 3 ? 1 : 0) : state === "succeeded" ? task.tracks.length : 0;
      const status =
        state === "succeeded"
          ? "SUCCESS"
          : state === "failed"
            ? "GENERATE_AUDIO_FAILED"
            : reached > 0
              ? "FIRST_SUCCESS"
              : !task.never && elapsed >= delay / 3
                ? "TEXT_SUCCESS"
                : "PENDING";
      const sunoData = task.tracks.slice(0, reached).map((t, i) => ({
        id: t.id,
        audioUrl: files.track(i).audio,
        streamAudioUrl: `${files.track(i).audio}?stream=1`,
        imageUrl: files.track(i).image,
        prompt: `[Verse] ${task.prompt ?? t.title}`,
        modelName: "chirp-v3-5",
        title: t.title,
        tags: "electrifying, rock",
        createTime: utcText(task.createdAt),
        duration: 2,
      }));
      return {
        ...common,
        parentMusicId: "",
        param: JSON.stringify({ prompt: task.prompt }),
        response: { taskId: task.taskId, sunoData },
        status,
        type: "GENERATE",
      };
    }
    case "lyrics":
      return {
        ...common,
        param: JSON.stringify({ prompt: task.prompt }),
        response: state === "succeeded" ? { taskId: task.taskId, data: lyricsVariants(task) } : null,
        status: { pending: "PENDING", succeeded: "SUCCESS", failed: "GENERATE_LYRICS_FAILED" }[state],
        type: "LYRICS",
      };
    case "separation": {
      const stems = stemsOf(task);
      const response =
        state === "succeeded" ? Object.fromEntries(ALL_STEMS.map((s) => [camel(s), stems.includes(s) ? files.stem(s) : null])) : null;
      return {
        ...common,
        musicId: task.audioId,
        // sunoapi names the track's index, kie its audio id.
        ...(task.variant === 0 ? { musicIndex: 0 } : { audioId: task.audioId }),
        createTime: utcText(task.createdAt),
        completeTime: completeTime === null ? null : utcText(completeTime),
        response,
        successFlag: { pending: "PENDING", succeeded: "SUCCESS", failed: "GENERATE_AUDIO_FAILED" }[state],
      };
    }
    case "midi":
      return {
        ...common,
        recordTaskId: -1,
        audioId: task.audioId,
        createTime: task.createdAt,
        completeTime,
        midiData: state === "succeeded" ? { state: "complete", instruments: instruments(task, false) } : null,
        successFlag: { pending: 0, succeeded: 1, failed: 3 }[state],
      };
    case "video":
      return {
        ...common,
        musicId: task.audioId,
        musicIndex: 0,
        createTime: utcText(task.createdAt),
        completeTime: completeTime === null ? null : utcText(completeTime),
        response: state === "succeeded" ? { videoUrl: files.video } : null,
        successFlag: { pending: "PENDING", succeeded: "SUCCESS", failed: "GENERATE_MP4_FAILED" }[state],
      };
  }
}

/** `YYYY-MM-DD HH:mm:ss` in UTC, as most of the provider's endpoints write times. */
export function utcText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}
