// Who drives the work queue (due downloads and due polls, kept in the
// database with due times and leases, so any number of processes may run it):
// - WORKER=1: a timer in the server process, one lane each for downloads and
//   polls, woken early when new work is stored;
// - WORKER=0 (Vercel): a callback that creates downloads runs them itself
//   right after its answer (Next.js after()), and GET /api/cron/tick runs one
//   bounded round of everything due.
import "server-only";
import { countDueWork } from "@/db/queries/queue";
import { drainDownloads, runDueDownloads } from "@/lib/files/downloads";
import { runDuePolls } from "@/lib/provider/poller";
import { env } from "@/lib/server/env";
import { processSingleton } from "@/lib/server/registry";
import { beat } from "@/lib/work/heartbeat";
import { registerLane, wake } from "@/lib/work/lanes";

const TICK_MS = 1_000;

const timer = processSingleton("worker", () => ({ handle: undefined as NodeJS.Timeout | undefined }));

/** Starts the in-process timer once per server, unless WORKER=0. */
export function startWorker(): void {
  if (!env().WORKER || timer.handle) return;
  // A finished round of either lane is the heartbeat (written at most once a minute).
  registerLane("downloads", async () => {
    await runDueDownloads();
    await beat("worker");
  });
  registerLane("polls", async () => {
    await runDuePolls();
    await beat("worker");
  });
  timer.handle = setInterval(() => {
    wake("downloads");
    wake("polls");
  }, TICK_MS);
  timer.handle.unref();
  wake("downloads");
  wake("polls");
}
type TickReport = {
  downloads: { started: number; stored: number; failed: number; retrying: number; due: number };
  polls: { polled: number; due: number };
  tookMs: number;
};

/**
 * One bounded round of due work, for GET /api/cron/tick: polls first (their
 * results may queue downloads), then downloads until `budgetMs` runs out.
 * Claims make overlapping ticks (and other instances' workers) skip rows
 * already taken. Whatever is left stays due for the next tick.
 */
export async function runTick(budgetMs: number): Promise<TickReport> {
  const started = Date.now();
  const deadline = started + budgetMs;
  const polled = await runDuePolls();
  const downloads = await drainDownloads(deadline);
  const due = await countDueWork(new Date());
  await beat("cron");
  return {
    downloads: { ...downloads, due: due.downloads },
    polls: { polled, due: due.polls },
    tookMs: Date.now() - started,
  };
}
