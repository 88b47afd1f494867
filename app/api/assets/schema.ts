import { z } from "zod";
import { taskDetailShape, waveformShape } from "@/lib/server/api-shapes";
import { operation, type Answer } from "@/lib/server/operation";

// Digits only: coercion would let "0x1", "1e0" and " 1" name asset 1 too.
const assetIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/)
  .transform(Number)
  .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));

/** The `[id]` of an asset's routes; unknown (404) when it is not a row id. */
export const assetParams = { schema: z.object({ id: assetIdSchema }), notFound: "No such asset." };

const TAG = "Files";

const fileAnswers: Record<number, Answer> = {
  200: {
    description:
      "The stored file with its own Content-Type (image/png, image/jpeg, image/webp, audio/wav), Content-Length and ETag (its sha256).",
    media: "application/octet-stream",
    headers: { ETag: "The file's sha256, quoted.", "Accept-Ranges": "bytes" },
  },
  206: {
    description: "The part asked for with `Range`.",
    media: "application/octet-stream",
    headers: { "Content-Range": "bytes start-end/size" },
  },
  302: {
    description: "With object storage: a signed URL of the object, valid FILE_URL_TTL_SECONDS.",
    headers: { Location: "The signed URL." },
  },
  304: { description: "Not modified (`If-None-Match`)." },
};
const fileErrors = { 404: ["not_stored" as const, "file_missing" as const], 416: ["range_not_satisfiable" as const] };
const fileQuery = z.object({ download: z.string().optional().meta({ description: "`1`: `Content-Disposition: attachment`." }) });

export const assetFile = operation({
  method: "GET",
  path: "/api/assets/{id}/file",
  id: "assetFile",
  tag: TAG,
  summary: "A stored file, with Range support",
  access: "read",
  params: assetParams,
  query: fileQuery,
  answers: fileAnswers,
  errors: fileErrors,
});

export const assetFileHead = operation({
  method: "HEAD",
  path: "/api/assets/{id}/file",
  id: "assetFileHead",
  tag: TAG,
  summary: "A stored file's headers",
  access: "read",
  params: assetParams,
  query: fileQuery,
  answers: fileAnswers,
  errors: fileErrors,
});

export const redownloadAsset = operation({
  method: "POST",
  path: "/api/assets/{id}/download",
  id: "redownloadAsset",
  tag: TAG,
  summary: "Download one file again (also after its stored copy was deleted)",
  access: "write",
  params: assetParams,
  answers: { 202: { description: "Queued; its task's detail.", json: taskDetailShape } },
});

export const assetThumbnail = operation({
  method: "GET",
  path: "/api/assets/{id}/thumbnail",
  id: "assetThumbnail",
  tag: TAG,
  summary: "A stored cover's thumbnail (WebP, at most 320 px wide)",
  description: "Cached for a year under its `?v=` URL (the sha256's start), which a re-download changes.",
  access: "read",
  params: assetParams,
  query: z.object({ v: z.string().optional().meta({ description: "The start of the file's sha256 (cache key)." }) }),
  answers: { 200: { description: "The thumbnail.", media: "image/webp" }, 304: { description: "Not modified (`If-None-Match`)." } },
  errors: { 404: ["no_thumbnail"] },
});

export const assetWaveform = operation({
  method: "GET",
  path: "/api/assets/{id}/waveform",
  id: "assetWaveform",
  tag: TAG,
  summary: "A stored WAV's waveform",
  access: "read",
  params: assetParams,
  answers: { 200: { description: "Peaks between 0 and 1, and the audio's duration and format.", json: waveformShape } },
  errors: { 404: ["no_waveform"] },
});
