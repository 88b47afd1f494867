import type { AssetRole, MusicStage, TaskKind } from "@/lib/core/enums";

/** One result file: what it is to its task, where the provider keeps it, and the music track it belongs to. */
export type ResultFile = { role: AssetRole; url: string; trackId: string | null };

/** A music track as the provider describes it (its MP3 and art are ResultFiles). */
export type Track = {
  trackId: string;
  title: string | null;
  tags: string | null;
  prompt: string | null;
  modelName: string | null;
  duration: number | null;
  /** ISO when the provider's time was readable, else as written. */
  createTime: string | null;
};

/** One variant of a lyrics task's result. */
export type LyricsVariant = { title: string | null; text: string; status: string | null; errorMessage: string | null };

/** A MIDI task's notes, every value a number (start and end in seconds, velocity 0–1). */
export type MidiNote = { pitch: number; start: number; end: number; velocity: number };
export type MidiInstrument = { name: string; notes: MidiNote[] };
export type MidiData = { instruments: MidiInstrument[] };

/** What the provider told us about a task, from a callback or a record-info poll. */
export type ProviderResult = {
  kind: TaskKind;
  taskId: string;
  state: "pending" | "succeeded" | "failed";
  code: number | null;
  message: string | null;
  /** Result files in order: cover images, the WAV, each track's MP3 then art, the stems, the video. */
  files: ResultFile[];
  /** Music: the stage this result reports (text, first, complete); absent for other kinds. */
  stage?: MusicStage | null;
  /** Music: the tracks it lists (a `first` callback already names some). */
  tracks?: Track[];
  /** Lyrics: the variants. */
  lyrics?: LyricsVariant[] | null;
  /** MIDI: the notes. */
  midi?: MidiData | null;
  parentTaskId?: string | null;
  audioId?: string | null;
  /** When the provider made the task; its files vanish about two weeks later. */
  remoteCreatedAt?: Date | null;
  completedAt?: Date | null;
};

/** A callback body read as a result, or why it is not one (the kind when it could still be told). */
export type ParsedCallback =
  | { ok: true; result: ProviderResult }
  /** `code`: the answer's error code when a more precise one than invalid_callback applies. */
  | { ok: false; kind: TaskKind | null; error: string; code?: "conflicting_task_ids" };
