// What goes into the archives: one task's folder (its stored files, a MIDI
// task's notes as `<task>.mid`, `metadata.json` = the task detail as GET
// /api/tasks/{taskId} answers it, with tracks, lyrics and notes, and
// `SHA256SUMS` for `sha256sum -c`), and the export of every task matching a
// filter (a folder each, plus `tasks.csv`). Built as lazy entries for
// ./zip.ts: files are opened one entry ahead of the archive, tasks are read a
// page at a time, so an export of any size runs in flat memory.
import "server-only";
import { createHash } from "node:crypto";
import path from "node:path";
import { Readable } from "node:stream";
import { storedFilesOfTask, taskCursorBound, type StoredFileRow } from "@/db/queries/export";
import { getTaskDetail } from "@/db/queries/tasks";
import type { TaskDetail } from "@/db/queries/dto";
import { notFound } from "@/lib/core/errors";
import { safeSegment, storage } from "@/lib/storage";
import { tasksCsvLines, matchingTasks, type CsvOptions, type ExportFilter } from "./csv";
import { standardMidiFile } from "./midi";
import { zipHeaders, zipStream, type ZipEntry } from "./zip";

/** `cover-0.png`, `audio-0.wav`, `track-0.mp3`, `drums-3.mp3`, `video-0.mp4`: the file's name inside its task's folder. */
export function archiveFileName(file: Pick<StoredFileRow, "role" | "position" | "storagePath">): string {
  // A WAV conversion's file has been `audio-0.wav` since the first archives.
  return `${file.role === "wav" ? "audio" : file.role}-${file.position}${path.extname(file.storagePath)}`;
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

/** An entry of bytes made in memory (small: JSON, checksums, notes). */
function bufferEntry(name: string, data: Buffer, mtime?: Date): ZipEntry {
  return { name, compress: true, mtime, size: data.length, open: () => Readable.from([data]) };
}

/**
 * A task's entries under `folder` ("" or "<task>/"): its stored files, then
 * metadata.json and SHA256SUMS. A file's line in SHA256SUMS is the sha256
 * recorded when it was downloaded, so `sha256sum -c` also proves the stored
 * copy is still the file the provider sent.
 */
async function* taskEntries(detail: TaskDetail, folder: string): AsyncGenerator<ZipEntry> {
  const store = storage();
  const sums: string[] = [];
  for (const file of await storedFilesOfTask(detail.task.taskId)) {
    const name = archiveFileName(file);
    const opened = await store.open(file.storagePath);
    if (!opened) {
      // Deleted from storage behind the database's back: say so rather than leave a silent gap.
      const note = `${name} (sha256 ${file.sha256}) is missing from storage; fetch it again with POST /api/assets/${file.id}/download.\n`;
      yield bufferEntry(`${folder}${name}.missing.txt`, Buffer.from(note));
      continue;
    }
    sums.push(`${file.sha256}  ${name}\n`);
    yield {
      name: `${folder}${name}`,
      compress: false,
      mtime: file.storedAt ?? undefined,
      size: opened.size,
      open: () => opened.read(),
      release: () => void opened.close().catch(() => {}),
    };
  }
  if (detail.midi) {
    // A MIDI task's notes as a file any DAW opens, beside the notes in metadata.json.
    const name = `${safeSegment(detail.task.taskId)}.mid`;
    const midi = Buffer.from(standardMidiFile(detail.midi, detail.task.taskId));
    sums.push(`${sha256(midi)}  ${name}\n`);
    yield bufferEntry(`${folder}${name}`, midi, new Date(detail.task.updatedAt));
  }
  const metadata = Buffer.from(`${JSON.stringify(detail, null, 2)}\n`);
  sums.push(`${sha256(metadata)}  metadata.json\n`);
  const updated = new Date(detail.task.updatedAt);
  yield bufferEntry(`${folder}metadata.json`, metadata, updated);
  yield bufferEntry(`${folder}SHA256SUMS`, Buffer.from(sums.join("")), updated);
}

/** GET /api/tasks/{taskId}/archive: `<task>.zip` with the task's files, metadata.json and SHA256SUMS; 404 for an unknown task. */
export async function taskArchiveResponse(taskId: string, signal: AbortSignal): Promise<Response> {
  const detail = await getTaskDetail(taskId);
  if (!detail) throw notFound(`No task with id ${taskId}.`);
  const body = zipStream(taskEntries(detail, ""), { signal, label: `archive of ${taskId}` });
  return new Response(body, { headers: zipHeaders(`${safeSegment(taskId)}.zip`) });
}

async function* exportEntries(filter: ExportFilter, csv: CsvOptions): AsyncGenerator<ZipEntry> {
  // Both passes (tasks.csv, then the folders) stop below the same bound.
  const bound = await taskCursorBound();
  yield {
    name: "tasks.csv",
    compress: true,
    open: () => Readable.from(tasksCsvLines(filter, csv, bound)),
  };
  for await (const task of matchingTasks(filter, bound)) {
    const detail = await getTaskDetail(task.taskId);
    if (detail) yield* taskEntries(detail, `${safeSegment(task.taskId)}/`); // else deleted meanwhile
  }
}

/** GET /api/export: one ZIP of every matching task (a folder each) plus tasks.csv. */
export function exportResponse(filter: ExportFilter, csv: CsvOptions, signal: AbortSignal): Response {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const body = zipStream(exportEntries(filter, csv), { signal, label: "export" });
  return new Response(body, { headers: zipHeaders(`suno-export-${stamp}.zip`) });
}
