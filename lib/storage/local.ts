// Files in a local folder. An upload streams to a temp file inside the folder
// (<dir>/.tmp, same file system), is synced, then renamed into place: a file
// is either absent or complete. Keys never resolve outside the folder, and a
// symlink is followed only while it still ends inside it.
import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type { Storage, StoredObject, Upload } from "./index";

export type LocalStorageConfig = { dir: string };

const TEMP_DIR = ".tmp";
/** Bytes an upload may hold in memory while its previous write is in flight. */
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;
/** Written bytes start flushing to disk in steps of this size, so the final sync has little left. */
const FLUSH_EVERY_BYTES = 32 * 1024 * 1024;

export function createLocalStorage(config: LocalStorageConfig): Storage {
  const root = path.resolve(config.dir);
  const tempDir = path.join(root, TEMP_DIR);

  /** The absolute file of a key; throws when it would land outside the folder. */
  const resolveKey = (key: string): string => {
    const file = path.resolve(root, key);
    const rel = path.relative(root, file);
    if (!rel || rel.startsWith("..") || path.isAbsolute(rel) || key.includes("\0")) {
      throw new Error(`stored path ${JSON.stringify(key)} is outside the storage folder`);
    }
    return file;
  };

  /** The real file of a key, or null when missing or (through a symlink) outside the folder. */
  const realFile = async (key: string): Promise<string | null> => {
    try {
      const file = await fs.realpath(resolveKey(key));
      const rel = path.relative(await fs.realpath(root), file);
      return rel.startsWith("..") || path.isAbsolute(rel) ? null : file;
    } catch {
      return null;
    }
  };

  return {
    driver: "local",

    async createUpload(key) {
      const target = resolveKey(key);
      await fs.mkdir(tempDir, { recursive: true });
      const temp = path.join(tempDir, `${tempPrefix(key)}${randomBytes(6).toString("hex")}.part`);
      const handle = await fs.open(temp, "wx");
      let position = 0;
      let flushedAt = 0;
      let flushing = false;
      // Chunks that arrive while a write is in flight are buffered (up to
      // WRITE_BUFFER_BYTES) and go out in one writev, so the disk keeps up
      // with the network at a fixed memory cost.
      const sink = new Writable({
        highWaterMark: WRITE_BUFFER_BYTES,
        writev(chunks, done) {
          const buffers = chunks.map((c) => c.chunk as Buffer);
          const length = buffers.reduce((n, b) => n + b.length, 0);
          handle.writev(buffers, position).then(({ bytesWritten }) => {
            if (bytesWritten !== length) return done(new Error(`short write: ${bytesWritten} of ${length} bytes`));
            position += length;
            if (!flushing && position - flushedAt >= FLUSH_EVERY_BYTES) {
              // Not awaited: the disk flushes while bytes keep coming. Errors surface at the final sync.
              flushing = true;
              flushedAt = position;
              handle.datasync().then(
                () => (flushing = false),
                () => (flushing = false),
              );
            }
            done();
          }, done);
        },
      });
      sink.on("error", () => {}); // surfaced by write() and finish()
      let closed = false;
      const close = async () => {
        if (closed) return;
        closed = true;
        await handle.close();
      };
      let state: "open" | "finished" | "aborted" = "open";
      const upload: Upload = {
        key,
        write: (chunk) => writeTo(sink, chunk),
        async finish() {
          if (state !== "open") throw new Error(`the upload of ${key} is ${state}`);
          sink.end();
          await finished(sink);
          // On disk before it is moved into place (and reported stored).
          await handle.datasync();
          await close();
          await fs.mkdir(path.dirname(target), { recursive: true });
          await fs.rename(temp, target);
          state = "finished";
        },
        async abort() {
          if (state !== "open") return;
          state = "aborted";
          sink.destroy();
          await close().catch(() => {});
          await fs.rm(temp, { force: true });
        },
      };
      return upload;
    },

    async stat(key) {
      const file = await realFile(key);
      if (!file) return null;
      return fs.stat(/* turbopackIgnore: true */ file).then(
        (s) => (s.isFile() ? { size: s.size } : null),
        () => null,
      );
    },

    async open(key): Promise<StoredObject | null> {
      const file = await realFile(key);
      if (!file) return null;
      const handle = await fs.open(/* turbopackIgnore: true */ file, "r").catch(() => null);
      if (!handle) return null;
      const stat = await handle.stat().catch(() => null);
      if (!stat?.isFile()) {
        await handle.close();
        return null;
      }
      return {
        size: stat.size,
        // The stream closes the file when it ends or is destroyed.
        read: (range) => handle.createReadStream({ start: range?.start, end: range?.end, highWaterMark: 1 << 20 }),
        close: () => handle.close(),
      };
    },

    async remove(key) {
      await fs.rm(resolveKey(key), { force: true });
    },

    async discardPartial(keyPrefix) {
      const prefix = tempPrefix(keyPrefix);
      // Also makes the temp folder exist from an asset's first attempt on.
      await fs.mkdir(tempDir, { recursive: true });
      const names = await fs.readdir(tempDir);
      await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => fs.rm(path.join(tempDir, n), { force: true })));
    },

    async check() {
      await fs.mkdir(root, { recursive: true });
      // A name of its own per check: concurrent checks must not remove each other's file.
      const file = path.join(root, `.health-${randomBytes(6).toString("hex")}`);
      try {
        await fs.writeFile(file, "ok");
      } finally {
        await fs.rm(file, { force: true });
      }
    },

    describe: () => root,
  };
}

/**
 * The start of a temp file's name for a key (or key prefix): the key with `/`
 * spelled `~` (never part of a key), so the leftovers of one asset are found by name.
 */
function tempPrefix(key: string): string {
  return key.replaceAll("/", "~");
}

/** Writes to a sink, resolving when it can take more (at once, or on 'drain'); rejects when it failed or closed. */
function writeTo(sink: Writable, chunk: Uint8Array): Promise<void> {
  if (sink.errored) return Promise.reject(sink.errored);
  if (sink.destroyed || sink.writableEnded) return Promise.reject(new Error("the upload is closed"));
  if (sink.write(chunk)) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: Error | null) => {
      sink.off("drain", onDrain);
      sink.off("error", onError);
      sink.off("close", onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(sink.errored ?? new Error("the upload is closed"));
    sink.on("drain", onDrain);
    sink.on("error", onError);
    sink.on("close", onClose);
  });
}
