// The pieces the provider's callbacks and record-info answers are made of
// (suno-api.md, suno-api-kinds.md), each read the same way wherever it comes:
// task ids, codes and times, file URLs, music tracks, lyrics variants, stems
// and MIDI notes, every spelling the two doc sites use accepted.
import { z } from "zod";
import { STEM_ROLES, type StemRole } from "@/lib/core/enums";
import type { LyricsVariant, MidiData, ResultFile, Track } from "@/lib/core/result";

export const taskIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, "must be 1-128 letters, digits or _ . : -");

/** The provider's code: an integer, sometimes sent as a numeric string. */
export const providerCodeSchema = z.union([
  z.number().int(),
  z
    .string()
    .trim()
    .regex(/^-?\d{1,9}$/)
    .transform(Number),
]);

const ZONED = /(Z|[+-]\d{2}:?\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** ISO 8601 (cover), `YYYY-MM-DD HH:mm:ss` meaning UTC (WAV, music), or epoch seconds/milliseconds (MIDI). */
export const providerTimeSchema = z
  .union([
    z
      .number()
      .nonnegative()
      .transform((n) => new Date(n < 1e11 ? n * 1000 : n)),
    z
      .string()
      .trim()
      .regex(DATE_TIME, "must be a date-time like 2025-01-01T00:00:00Z or 2025-01-01 00:00:00")
      .transform((s) => new Date(ZONED.test(s) ? s.replace(" ", "T") : `${s.replace(" ", "T")}Z`)),
  ])
  .refine((d) => !Number.isNaN(d.getTime()), "is not a valid date")
  .nullish();

export const remoteUrl = z.string().trim().min(1).max(4096);

/** A file URL that may be absent, null or empty (a stem the chosen type does not make): null then. */
export const optionalUrl = z
  .string()
  .trim()
  .max(4096)
  .nullish()
  .transform((url) => url || null);

/** Free text from the provider, kept up to `max` characters (the raw delivery keeps it whole). */
export const clippedText = (max: number) =>
  z
    .string()
    .nullish()
    .transform((text) => (text ? (text.length > max ? `${text.slice(0, max)}…` : text) : null));

/** A number sent as a number or a numeric string ("0.0364"). */
const numeric = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i, "must be a number")
    .transform(Number),
]);
const finite = numeric.refine((n) => Number.isFinite(n), "must be a finite number");

/** A track's creation time: ISO when readable as a time, else as written. */
const trackTime = z
  .union([z.string().max(64), z.number()])
  .nullish()
  .transform((value) => {
    if (value === null || value === undefined || value === "") return null;
    const parsed = providerTimeSchema.safeParse(value);
    return parsed.success && parsed.data ? parsed.data.toISOString() : String(value);
  });

const trackText = {
  title: clippedText(500),
  tags: clippedText(2_000),
  prompt: clippedText(20_000),
};
const duration = finite.nullish().transform((n) => (n === undefined || n === null || n < 0 ? null : n));

/** A music callback's track (snake_case; old kie samples lack the source_* twins). */
export const callbackTrackSchema = z.object({
  id: taskIdSchema,
  audio_url: optionalUrl,
  source_audio_url: optionalUrl,
  image_url: optionalUrl,
  source_image_url: optionalUrl,
  model_name: clippedText(200),
  createTime: trackTime,
  duration,
  ...trackText,
});

/** A track of music record-info's response.sunoData[] (camelCase). */
export const recordTrackSchema = z.object({
  id: taskIdSchema,
  audioUrl: optionalUrl,
  sourceAudioUrl: optionalUrl,
  imageUrl: optionalUrl,
  sourceImageUrl: optionalUrl,
  modelName: clippedText(200),
  createTime: trackTime,
  duration,
  ...trackText,
});

type Normalised = Omit<Track, "trackId"> & { trackId: string; audio: string | null; art: string | null };

export const fromCallbackTrack = (t: z.infer<typeof callbackTrackSchema>): Normalised => ({
  trackId: t.id,
  title: t.title,
  tags: t.tags,
  prompt: t.prompt,
  modelName: t.model_name,
  duration: t.duration,
  createTime: t.createTime,
  audio: t.audio_url ?? t.source_audio_url,
  art: t.image_url ?? t.source_image_url,
});

export const fromRecordTrack = (t: z.infer<typeof recordTrackSchema>): Normalised => ({
  trackId: t.id,
  title: t.title,
  tags: t.tags,
  prompt: t.prompt,
  modelName: t.modelName,
  duration: t.duration,
  createTime: t.createTime,
  audio: t.audioUrl ?? t.sourceAudioUrl,
  art: t.imageUrl ?? t.sourceImageUrl,
});

/** The tracks as kept, and their files: each track's MP3, then its art (missing URLs skipped). */
export function trackResult(tracks: Normalised[]): { tracks: Track[]; files: ResultFile[] } {
  return {
    tracks: tracks.map((t) => ({
      trackId: t.trackId,
      title: t.title,
      tags: t.tags,
      prompt: t.prompt,
      modelName: t.modelName,
      duration: t.duration,
      createTime: t.createTime,
    })),
    files: tracks.flatMap((t) => [
      ...(t.audio ? [{ role: "track" as const, url: t.audio, trackId: t.trackId }] : []),
      ...(t.art ? [{ role: "track-art" as const, url: t.art, trackId: t.trackId }] : []),
    ]),
  };
}

/** One lyrics variant, as the callback and record-info both write it. */
export const lyricsVariantSchema = z
  .object({
    text: clippedText(50_000),
    title: clippedText(500),
    status: clippedText(100),
    errorMessage: clippedText(2_000),
  })
  .transform((v): LyricsVariant => ({ title: v.title, text: v.text ?? "", status: v.status, errorMessage: v.errorMessage || null }));

const note = z.object({
  pitch: finite.pipe(z.number().int().min(0).max(127)),
  start: finite.pipe(z.number().nonnegative()),
  end: finite.pipe(z.number().nonnegative()),
  velocity: finite.pipe(z.number().nonnegative()),
});

/** A MIDI result's notes (`start`/`end` may be strings in the callback): every value a number. */
export const midiDataSchema = z
  .object({
    state: z.string().max(100).nullish(),
    instruments: z.array(z.object({ name: clippedText(200), notes: z.array(note).nullish() })).nullish(),
  })
  .transform((m) => ({
    state: m.state ?? null,
    midi: {
      instruments: (m.instruments ?? []).map((i) => ({ name: i.name ?? "", notes: i.notes ?? [] })),
    } satisfies MidiData,
  }));

/** The callback's `<stem>_url` key of each stem (the vocals are `vocal_url`). */
const snakeKey = (stem: StemRole) => (stem === "vocals" ? "vocal_url" : `${stem}_url`);
/** The record-info's camelCase key of each stem (`vocalUrl`, `backingVocalsUrl`, …). */
const camelKey = (stem: StemRole) => `${(stem === "vocals" ? "vocal" : stem).replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())}Url`;

const stemObject = (key: (stem: StemRole) => string) =>
  z.object(Object.fromEntries(STEM_ROLES.map((stem) => [key(stem), optionalUrl])) as Record<string, typeof optionalUrl>);

/** A separation callback's vocal_removal_info / vocal_separation_info. */
export const callbackStemsSchema = stemObject(snakeKey);
/** Separation record-info's response. */
export const recordStemsSchema = stemObject(camelKey);

/** Every stem named with a URL, in STEM_ROLES order. */
export function stemFiles(stems: Record<string, string | null> | null | undefined, style: "snake" | "camel"): ResultFile[] {
  if (!stems) return [];
  const key = style === "snake" ? snakeKey : camelKey;
  return STEM_ROLES.flatMap((role) => {
    const url = stems[key(role)];
    return url ? [{ role, url, trackId: null }] : [];
  });
}
