// A ZIP archive streamed as it is read, with yazl (streams with backpressure,
// ZIP64 on its own past 4 GiB or 65,535 entries, no dependencies of note).
//
// Entries come from an async iterable that is pulled one entry ahead of the
// archive: the next entry is asked for (a database page, a storage `open`)
// when the current one starts, and its bytes are read only when yazl reaches
// it. yazl reads an entry's stream through pipes, so a reader that stops
// reading stops the file reads too; memory is a few stream buffers whatever
// the archive's size. Cancelling (the client went away) or the abort signal
// destroys the open file stream, releases the entry waiting its turn and ends
// the iterable (no more queries).
import "server-only";
import type { Readable } from "node:stream";
import { ZipFile } from "yazl";

export type ZipEntry = {
  /** Path inside the archive, `/`-separated. */
  name: string;
  /** Deflate (JSON, CSV) or store (audio and images, which do not compress). */
  compress: boolean;
  /** Defaults to now. */
  mtime?: Date;
  /** The byte count, when known: yazl fails the archive if the stream gives another. */
  size?: number;
  /** The entry's bytes; called when the archive reaches the entry. */
  open: () => Readable | Promise<Readable>;
  /** Frees what the entry holds if it is never opened (the archive was cancelled first). */
  release?: () => void;
};

/** The archive of `entries` as a web stream of bytes, read on demand. */
export function zipStream(entries: AsyncIterable<ZipEntry>, options: { signal?: AbortSignal; label: string }): ReadableStream<Uint8Array> {
  const zip = new ZipFile();
  // A PassThrough under yazl's looser type.
  const output = zip.outputStream as Readable;
  const chunks = output[Symbol.asyncIterator]();
  const source = entries[Symbol.asyncIterator]();
  let reading: Readable | undefined;
  let waiting: ZipEntry | undefined;
  let stopped = false;

  const stop = (error?: unknown) => {
    if (stopped) return;
    stopped = true;
    if (error) console.error(`[export] ${options.label} failed:`, error);
    reading?.destroy();
    waiting?.release?.();
    waiting = undefined;
    // Ends the generator at its current await: no further pages are queried.
    source.return?.().catch(() => {});
    output.destroy(error instanceof Error ? error : error ? new Error(String(error)) : undefined);
  };
  zip.on("error", stop);
  options.signal?.addEventListener("abort", () => stop(), { once: true });

  /** Adds the next entry to the archive, or ends it after the last. */
  const addNext = async (): Promise<void> => {
    let next: IteratorResult<ZipEntry>;
    try {
      next = await source.next();
    } catch (error) {
      return stop(error);
    }
    if (stopped) return next.done ? undefined : next.value.release?.();
    if (next.done) return zip.end();
    const entry = next.value;
    waiting = entry;
    const { name, compress, mtime, size } = entry;
    zip.addReadStreamLazy(
      name,
      { compress, mtime: mtime ?? new Date(), mode: 0o100644, ...(size === undefined ? {} : { size }) },
      (done) => {
        waiting = undefined;
        if (stopped) return entry.release?.();
        // Yazl calls this once the previous entry is written: fetch the one after meanwhile.
        void addNext();
        Promise.resolve()
          .then(entry.open)
          .then((stream) => {
            if (stopped) return void stream.destroy();
            reading = stream;
            // yazl pipes the stream, and pipe() does not forward errors.
            stream.on("error", stop);
            done(null, stream);
          }, stop);
      },
    );
  };

  return new ReadableStream<Uint8Array>(
    {
      start() {
        void addNext();
      },
      async pull(controller) {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(value as Buffer);
      },
      cancel() {
        stop();
      },
    },
    // Nothing read ahead of the consumer: each pull reads what yazl has ready.
    { highWaterMark: 0 },
  );
}

/** Headers of a ZIP download named `fileName`. */
export function zipHeaders(fileName: string): HeadersInit {
  return {
    "content-type": "application/zip",
    "content-disposition": `attachment; filename="${fileName}"`,
    "cache-control": "private, no-store",
    "x-content-type-options": "nosniff",
  };
}
