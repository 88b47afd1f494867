// sha256 of files as they are written, computed in a worker thread that reads
// back what a download has written so far (from the page cache). Hashing is
// the costliest per-byte work of a download: off the event loop, it does not
// delay the answers to callbacks, and it runs on another core.
import "server-only";
import { Worker } from "node:worker_threads";

// Plain CommonJS run with eval, so the bundler has no separate file to trace.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const fs = require("node:fs");
const crypto = require("node:crypto");
const jobs = new Map();
const buffer = Buffer.allocUnsafe(1 << 20);
function end(id, job) {
  try { fs.closeSync(job.fd); } catch {}
  jobs.delete(id);
}
parentPort.on("message", (m) => {
  let job = jobs.get(m.id);
  if (m.abort) { if (job) end(m.id, job); return; }
  try {
    if (!job) { job = { fd: fs.openSync(m.path, "r"), hash: crypto.createHash("sha256"), at: 0 }; jobs.set(m.id, job); }
    while (job.at < m.upTo) {
      const n = fs.readSync(job.fd, buffer, 0, Math.min(buffer.length, m.upTo - job.at), job.at);
      if (n === 0) throw new Error("the file is shorter than what was written");
      job.hash.update(buffer.subarray(0, n));
      job.at += n;
    }
    if (m.done) { end(m.id, job); parentPort.postMessage({ id: m.id, sha256: job.hash.digest("hex") }); }
  } catch (error) {
    if (job) end(m.id, job);
    if (m.done) parentPort.postMessage({ id: m.id, error: String((error && error.message) || error) });
  }
});
`;

type Answer = { id: number; sha256?: string; error?: string };
type Pending = { resolve: (sha256: string) => void; reject: (error: Error) => void };
type Hasher = { worker: Worker; pending: Map<number, Pending>; nextId: number; dead: Error | null };

// One thread per process, shared by every bundle that imports this module.
const shared = globalThis as unknown as { sunoHasher?: Hasher };

function hasher(): Hasher {
  if (shared.sunoHasher) return shared.sunoHasher;
  const state: Hasher = { worker: new Worker(WORKER_SOURCE, { eval: true }), pending: new Map(), nextId: 1, dead: null };
  state.worker.unref();
  const failAll = (error: Error) => {
    // Jobs begun on this thread fail fast; the next download starts a new thread.
    state.dead ??= error;
    if (shared.sunoHasher === state) shared.sunoHasher = undefined;
    for (const p of state.pending.values()) p.reject(error);
    state.pending.clear();
  };
  state.worker.on("message", (answer: Answer) => {
    const p = state.pending.get(answer.id);
    if (!p) return;
    state.pending.delete(answer.id);
    if (answer.sha256) p.resolve(answer.sha256);
    else p.reject(new Error(`hashing failed: ${answer.error ?? "unknown error"}`));
  });
  state.worker.on("error", failAll);
  state.worker.on("exit", (code) => failAll(new Error(`the hashing thread exited with ${code}`)));
  shared.sunoHasher = state;
  return state;
}

/** Hashes one file while it is written: report each written length, then ask for the digest (or abort). */
export function hashWhileWriting(path: string) {
  const state = hasher();
  const id = state.nextId++;
  let ended = false;
  return {
    /** The first `bytes` of the file are written and may be hashed. */
    written(bytes: number) {
      if (!ended && !state.dead) state.worker.postMessage({ id, path, upTo: bytes });
    },
    /** The sha256 (hex) of the file's first `bytes` bytes. */
    digest(bytes: number): Promise<string> {
      ended = true;
      if (state.dead) return Promise.reject(state.dead);
      return new Promise<string>((resolve, reject) => {
        state.pending.set(id, { resolve, reject });
        state.worker.postMessage({ id, path, upTo: bytes, done: true });
      });
    },
    /** Drops the job: the download failed. */
    abort() {
      if (ended) return;
      ended = true;
      if (!state.dead) state.worker.postMessage({ id, abort: true });
    },
  };
}
