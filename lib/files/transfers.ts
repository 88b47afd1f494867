// Runs transfers (lib/files/transfer.ts) on a thread of their own, started on
// first use and ended when idle: a download's per-byte work (network reads,
// sha256, waveform peaks, storage writes, multipart uploads) never holds the
// event loop that answers callbacks. This side sends the job, keeps the
// progress the thread reports, forwards aborts and gets the outcome.
import "server-only";
import { Worker } from "node:worker_threads";
import { processSingleton } from "@/lib/core/registry";
import { DownloadFailure, fromFailureData } from "./failure";
import type { TransferJob, TransferProgress, Transferred } from "./transfer";
import type { FromThread, ToThread } from "./transfer-thread";

/** Transfer threads at most; concurrent downloads share them (one leaves the other core of a small machine to requests). */
const THREADS = 1;
/** An idle thread ends after this long (its memory is freed; the next download starts a new one). */
const IDLE_MS = 60_000;

type Running = { progress: TransferProgress; settle: (outcome: { file: Transferred } | { error: Error }) => void };
type Thread = { worker: Worker; running: Map<number, Running>; idle: NodeJS.Timeout | null; ending: boolean };

const pool = processSingleton("transfer-threads", () => ({ threads: [] as Thread[], lastId: 0 }));

/**
 * Runs one transfer on a transfer thread; `progress` follows it (updated as
 * the thread reports). Aborting `signal` ends the transfer; the promise
 * settles once the thread has cleaned up (a failed upload leaves nothing behind).
 */
export function runTransfer(job: TransferJob, signal: AbortSignal, progress: TransferProgress): Promise<Transferred> {
  const thread = pickThread();
  const id = ++pool.lastId;
  const send = (message: ToThread) => thread.worker.postMessage(message);
  const abort = () => send({ type: "abort", id });
  return new Promise<Transferred>((resolve, reject) => {
    thread.running.set(id, {
      progress,
      settle: (outcome) => {
        signal.removeEventListener("abort", abort);
        if ("file" in outcome) resolve(outcome.file);
        else reject(outcome.error);
      },
    });
    busy(thread);
    send({ type: "start", id, job });
    if (signal.aborted) abort();
    else signal.addEventListener("abort", abort, { once: true });
  });
}

/** The least busy thread, or a new one while fewer than THREADS run. */
function pickThread(): Thread {
  const threads = pool.threads.filter((t) => !t.ending);
  const least = threads.reduce<Thread | null>((best, t) => (best && best.running.size <= t.running.size ? best : t), null);
  if (least && (least.running.size === 0 || threads.length >= THREADS)) return least;
  return startThread();
}

function startThread(): Thread {
  const worker = new Worker(new URL("./transfer-thread.ts", import.meta.url), { name: "transfers" });
  const thread: Thread = { worker, running: new Map(), idle: null, ending: false };
  pool.threads.push(thread);
  worker.on("message", (message: FromThread) => {
    const running = thread.running.get(message.id);
    if (!running) return;
    if (message.type === "progress") {
      running.progress.bytes = message.bytes;
      running.progress.total = message.total;
      return;
    }
    thread.running.delete(message.id);
    if (thread.running.size === 0) idle(thread);
    running.settle(message.type === "stored" ? { file: message.file } : { error: fromFailureData(message.failure) });
  });
  worker.on("error", (error) => console.error("[downloads] the transfer thread failed:", error));
  worker.on("exit", (code) => {
    const index = pool.threads.indexOf(thread);
    if (index >= 0) pool.threads.splice(index, 1);
    if (thread.idle) clearTimeout(thread.idle);
    // Its transfers end as failures that may pass; what they left half-written goes with the next attempt (discardPartial).
    for (const running of thread.running.values()) {
      running.settle({ error: new DownloadFailure(`the transfer thread stopped (exit code ${code})`, false) });
    }
    thread.running.clear();
  });
  return thread;
}

/** A thread with transfers keeps the process alive and stays. */
function busy(thread: Thread): void {
  if (thread.idle) clearTimeout(thread.idle);
  thread.idle = null;
  thread.worker.ref();
}

/** An idle thread does not keep the process alive, and ends after IDLE_MS unless it gets work. */
function idle(thread: Thread): void {
  thread.worker.unref();
  thread.idle = setTimeout(() => {
    thread.ending = true;
    void thread.worker.terminate();
  }, IDLE_MS);
  thread.idle.unref();
}
