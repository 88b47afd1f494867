// Who drives the work queue (due downloads and due polls, kept in the
// database with due times and leases, so any number of processes may run it):
// - WORKER=1: a timer in the server process, one lane each for downloads,
//   polls and notifications, woken early when new work is stored;
// - WORKER=0 (Vercel): a callback that creates downloads runs them itself
//   right after its answer (Next.js after()), and GET /api/cron/tick runs one
//   bounded round of everything due.
import "server-only";
import { countDueWork } from "@/db/queries/queue";
import { deliveriesNotIndexed, indexDeliveries } from "@/db/search-index";
import { drainDownloads, runDueDownloads } from "@/lib/files/downloads";
import { drainNotifications, runNotifier, type NotifyReport } from "@/lib/notifications/send";
import { runDuePolls } from "@/lib/provider/poller";
import { RETENTION_EVERY_MS, retentionEnabled, runRetention, type RetentionReport } from "@/lib/retention/prune";
import { env } from "@/lib/core/env";
import { processSingleton } from "@/lib/core/registry";
import { beat } from "@/lib/work/heartbeat";
import { registerLane, wake } from "@/lib/work/lanes";

const TICK_MS = 1_000;
/** Time a tick leaves notifications even when downloads used up its budget. */
const NOTIFY_MIN_MS = 5_000;
/** Share of a cron tick's budget retention may use; what is left waits for the next tick. */
const RETENTION_SHARE = 0.2;
/** And the search index, after it. */
const SEARCH_SHARE = 0.1;

const timer = processSingleton("worker", () => ({
  handle: undefined as NodeJS.Timeout | undefined,
  retention: undefined as NodeJS.Timeout | undefined,
}));

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
  registerLane("notifications", runNotifier);
  timer.handle = setInterval(() => {
    wake("downloads");
    wake("polls");
    wake("notifications");
  }, TICK_MS);
  timer.handle.unref();
  wake("downloads");
  wake("polls");
  wake("notifications");
  // Retention is no per-second work: once at start, then every few minutes.
  if (retentionEnabled()) {
    registerLane("retention", () => runRetention());
    timer.retention = setInterval(() => wake("retention"), RETENTION_EVERY_MS);
    timer.retention.unref();
    wake("retention");
  }
}
type TickReport = {
  downloads: { started: number; stored: number; failed: number; retrying: number; due: number };
  polls: { polled: number; due: number };
  notifications: NotifyReport & { due: number };
  retention: RetentionReport;
  search: { indexed: number; behind: number };
  tookMs: number;
};

/**
 * One bounded round of due work, for GET /api/cron/tick: retention first (a
 * small share of the budget, so a backlog of downloads never starves it), the
 * search index of the deliveries stored since the last tick (another share), then
 * polls (their results may queue downloads), then downloads until `budgetMs`
 * runs out, then notifications (of what those did too) for a few seconds at least.
 * Claims make overlapping ticks (and other instances' workers) skip rows
 * already taken. Whatever is left stays due for the next tick.
 */
export async function runTick(budgetMs: number): Promise<TickReport> {
  const started = Date.now();
  const deadline = started + budgetMs;
  const retention = await runRetention(started + budgetMs * RETENTION_SHARE);
  const indexed = await indexDeliveries(Date.now() + budgetMs * SEARCH_SHARE);
  const polled = await runDuePolls();
  const downloads = await drainDownloads(deadline);
  const notifications = await drainNotifications(Math.max(deadline, Date.now() + NOTIFY_MIN_MS));
  const [due, behind] = await Promise.all([countDueWork(new Date()), deliveriesNotIndexed()]);
  await beat("cron");
  return {
    downloads: { ...downloads, due: due.downloads },
    polls: { polled, due: due.polls },
    notifications: { ...notifications, due: due.notifications },
    retention,
    search: { indexed, behind },
    tookMs: Date.now() - started,
  };
}
