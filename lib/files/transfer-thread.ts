// The transfer thread's entry (started by lib/files/transfers.ts): runs the
// transfers it is sent (lib/files/transfer.ts), several at once, and answers
// each with progress now and then and its outcome. The bytes stay here: the
// main thread, which answers requests, only sees these few messages.
import "server-only";
import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { asFailure, failureData, type FailureData } from "./failure";
import { transfer, type TransferJob, type TransferProgress, type Transferred } from "./transfer";

export type ToThread = { type: "start"; id: number; job: TransferJob } | { type: "abort"; id: number };
export type FromThread =
  | ({ type: "progress"; id: number } & TransferProgress)
  | { type: "stored"; id: number; file: Transferred }
  | { type: "failed"; id: number; failure: FailureData };

/** How often progress is sent while it changes (the main thread records it every 500 ms). */
const PROGRESS_MS = 100;

/** How much nicer than the process this thread runs: transfers yield the CPU to answering requests. */
const NICER_BY = 10;

// Linux keeps a nice value per thread: /proc/thread-self names this one. Elsewhere the thread keeps the process's.
try {
  const threadId = Number(readlinkSync("/proc/thread-self").split("/").pop());
  setPriority(threadId, Math.min(19, getPriority(threadId) + NICER_BY));
} catch {
  // Not Linux, or not allowed: the thread runs at the process's priority.
}

const port = parentPort!;
const running = new Map<number, AbortController>();
const post = (message: FromThread) => port.postMessage(message);

port.on("message", (message: ToThread) => {
  if (message.type === "abort") running.get(message.id)?.abort();
  else void run(message.id, message.job);
});

async function run(id: number, job: TransferJob): Promise<void> {
  const controller = new AbortController();
  running.set(id, controller);
  const progress: TransferProgress = { bytes: 0, total: null };
  let sent = { bytes: -1, total: null as number | null };
  const report = () => {
    if (progress.bytes === sent.bytes && progress.total === sent.total) return;
    sent = { ...progress };
    post({ type: "progress", id, ...progress });
  };
  const timer = setInterval(report, PROGRESS_MS);
  try {
    const file = await transfer(job, controller.signal, progress);
    post({ type: "stored", id, file });
  } catch (error) {
    report();
    post({ type: "failed", id, failure: failureData(asFailure(error)) });
  } finally {
    clearInterval(timer);
    running.delete(id);
  }
}
