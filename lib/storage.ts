// The files kept under STORAGE_DIR: where each one goes, how it gets there
// (temp file, then an atomic rename) and how a stored path is turned back
// into a file name without ever leaving STORAGE_DIR.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { AssetType } from "@/db/schema";
import { env } from "@/lib/env";

const TEMP_DIR = ".tmp";

export function storageDir(): string {
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), env().STORAGE_DIR);
}

/** A task id made safe as one path segment: [A-Za-z0-9_-] only; altered ids get a hash so they stay distinct. */
export function safeSegment(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 100);
  if (cleaned === id && cleaned.length > 0) return cleaned;
  return `${cleaned}-${createHash("sha256").update(id).digest("hex").slice(0, 10)}`;
}

/** Folder of a file kind: covers and WAV audio, as the task kinds are named. */
export const KIND_FOLDER: Record<AssetType, string> = { image: "cover", audio: "wav" };

/** `<kind>/<task>/<position>.<ext>`, relative to STORAGE_DIR. */
export function assetRelativePath(type: AssetType, taskId: string, position: number, ext: string): string {
  if (!Number.isInteger(position) || position < 0) throw new Error(`bad position ${position}`);
  if (!/^[a-z0-9]{1,5}$/.test(ext)) throw new Error(`bad extension ${ext}`);
  return `${KIND_FOLDER[type]}/${safeSegment(taskId)}/${position}.${ext}`;
}

/** The absolute file of a stored relative path; throws when it would land outside STORAGE_DIR. */
function resolveStored(relative: string): string {
  const root = storageDir();
  const file = path.resolve(root, relative);
  const rel = path.relative(root, file);
  if (!rel || rel.startsWith("..") || path.isAbsolute(rel) || relative.includes("\0")) {
    throw new Error(`stored path ${JSON.stringify(relative)} is outside the storage folder`);
  }
  return file;
}

/**
 * The stored file, opened for reading, or null when missing. Symlinks are
 * followed only when they still end inside STORAGE_DIR.
 */
export async function openStored(relative: string): Promise<{ file: string; handle: fs.FileHandle; size: number } | null> {
  let file: string;
  try {
    file = await fs.realpath(resolveStored(relative));
    const root = await fs.realpath(storageDir());
    if (path.relative(root, file).startsWith("..")) return null;
  } catch {
    return null;
  }
  const handle = await fs.open(file, "r").catch(() => null);
  if (!handle) return null;
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    return null;
  }
  return { file, handle, size: stat.size };
}

/** The size of a stored file, or null when it is gone. */
export async function storedSize(relative: string): Promise<number | null> {
  return fs.stat(resolveStored(relative)).then(
    (s) => (s.isFile() ? s.size : null),
    () => null,
  );
}

/** A fresh temp file name for one attempt of an asset, inside STORAGE_DIR (same file system as the target). */
export async function tempFile(assetId: number): Promise<string> {
  const dir = path.join(storageDir(), TEMP_DIR);
  await fs.mkdir(dir, { recursive: true });
  return path.join(dir, `asset-${assetId}-${randomBytes(6).toString("hex")}.part`);
}

/** Removes temp files an earlier attempt of this asset left behind (e.g. killed mid-download). */
export async function removeTempFiles(assetId: number): Promise<void> {
  const dir = path.join(storageDir(), TEMP_DIR);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const prefix = `asset-${assetId}-`;
  await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => fs.rm(path.join(dir, n), { force: true })));
}

/** Atomically puts a finished temp file at its relative path, replacing an older copy. */
export async function moveIntoPlace(temp: string, relative: string): Promise<void> {
  const target = resolveStored(relative);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.rename(temp, target);
}

/** Deletes a stored file; a missing file is fine. */
export async function removeStored(relative: string): Promise<void> {
  await fs.rm(resolveStored(relative), { force: true });
}
