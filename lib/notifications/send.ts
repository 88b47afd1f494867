// Sending the outbox (db/queries/notifications.ts): due notifications are
// claimed and POSTed through the address guard with a time limit, a few at a
// time per destination so one slow or dead receiver cannot hold up the rest.
// Non-2xx answers and network errors are retried with growing delays for
// about a day, with the same webhook-id; then the notification is failed and
// can be resent by hand. Runs on the worker's own lane, after() a callback's
// answer when there is no worker, and in the cron tick.
import "server-only";
import type { IncomingMessage } from "node:http";
import type { Attempt } from "@/db/queries/destinations";
import {
  claimDueNotifications,
  createTestNotification,
  finishAttempt,
  requeueNotification,
  type Next,
  type NotificationClaim,
} from "@/db/queries/notifications";
import type { DestinationRow } from "@/db/schema";
import { FetchRefused, safePost } from "@/lib/files/safe-fetch";
import { env } from "@/lib/core/env";
import { AppError, notFound } from "@/lib/core/errors";
import { processSingleton } from "@/lib/core/registry";
import { nextPass, wakeOrAfterAnswer } from "@/lib/work/lanes";
import { drainRound, newRound, startJobs, type Round } from "@/lib/work/rounds";
import { detectEvents, scanFilesAtRisk } from "./detect";
import { buildPayload } from "./payload";
import { signWebhook } from "./sign";

/** Sends in flight per process, and per destination. */
const CONCURRENCY = 8;
const PER_DESTINATION = 2;
/** One request's time limit, connection to last byte of the answer. */
const SEND_TIMEOUT_MS = 10_000;
/** Longer than any attempt: a claim older than this belonged to a sender that died. */
const LEASE_MS = 20_000;
/** Delay before retry n; after the last the notification fails. ≈ 24 h in all. NOTIFY_RETRY_DELAYS_SECONDS replaces it. */
const RETRY_DELAYS_MS = [10_000, 60_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 28_800_000, 28_800_000];
/** Answer bytes read and kept for the attempt log's error line (of a non-2xx answer; a 2xx one is not read). */
const ANSWER_BYTES = 200;
/** How often the worker looks for files at risk. */
const AT_RISK_SCAN_MS = 10_000;

const retryDelays = () => env().NOTIFY_RETRY_DELAYS_SECONDS ?? RETRY_DELAYS_MS;

const slots = processSingleton("notification-slots", () => ({ active: 0, perDestination: new Map<number, number>(), lastScan: 0 }));

const OUTCOMES = ["delivered", "retrying", "failed", "lost"] as const;
type Outcome = (typeof OUTCOMES)[number];

/** Claims due notifications up to the free slots and starts them; never waits for them. */
async function runDueNotifications(round?: Round<Outcome>): Promise<number> {
  const free = CONCURRENCY - slots.active;
  if (free <= 0) return 0;
  // Reserved before the first await so concurrent calls cannot overbook.
  slots.active += free;
  let claims: NotificationClaim[] = [];
  try {
    const now = new Date();
    const perDestination = (id: number) => PER_DESTINATION - (slots.perDestination.get(id) ?? 0);
    claims = await claimDueNotifications(now, free, perDestination, new Date(now.getTime() + LEASE_MS));
  } finally {
    slots.active -= free - claims.length;
  }
  for (const { destinationId: id } of claims) slots.perDestination.set(id, (slots.perDestination.get(id) ?? 0) + 1);
  return startJobs(claims, notificationJobs, round);
}

const notificationJobs = {
  run: async (claim: NotificationClaim) => (await send(claim)).outcome,
  release: ({ destinationId: id }: NotificationClaim) => {
    slots.active--;
    const left = (slots.perDestination.get(id) ?? 1) - 1;
    if (left > 0) slots.perDestination.set(id, left);
    else slots.perDestination.delete(id);
  },
  next: () => runDueNotifications(),
  name: "notifications",
  describe: (claim: NotificationClaim) => String(claim.id),
};

/** One attempt of a claimed notification; records it, and what comes next. */
async function send(claim: NotificationClaim): Promise<{ outcome: Outcome; attempt: Attempt | null }> {
  const at = new Date();
  const result = await post(claim, at);
  const durationMs = Date.now() - at.getTime();
  const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  const delays = retryDelays();
  // A test is answered at once, and a refused address will not become allowed by waiting.
  const retry = !ok && !result.permanent && claim.event !== "test" && claim.attempts <= delays.length;
  const next: Next = ok
    ? { status: "delivered" }
    : retry
      ? { status: "pending", retryAt: new Date(Date.now() + delays[claim.attempts - 1]!) }
      : { status: "failed" };
  const error =
    ok || retry || result.permanent || claim.event === "test" ? result.error : `${result.error} (gave up after ${claim.attempts} attempts)`;
  const attempt = await finishAttempt(claim, { at, statusCode: result.statusCode, durationMs, error }, next);
  return { outcome: !attempt ? "lost" : next.status === "pending" ? "retrying" : next.status, attempt };
}

type PostResult = { statusCode: number | null; error: string | null; permanent: boolean };

async function post(claim: NotificationClaim, at: Date): Promise<PostResult> {
  const { destination, payload } = claim;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(payload)),
    ...(destination.format === "webhook" && destination.secret ? signWebhook(destination.secret, claim.messageId, payload, at) : {}),
  };
  const signal = AbortSignal.timeout(SEND_TIMEOUT_MS);
  try {
    const { response } = await safePost(destination.url, payload, { signal, allowPrivate: env().NOTIFY_ALLOW_PRIVATE, headers });
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) {
      // The status is the answer: its body is never read (a receiver may stream one for ever).
      response.destroy();
      return { statusCode: status, error: null, permanent: false };
    }
    const text = (await answerStart(response)).trim().slice(0, ANSWER_BYTES);
    return { statusCode: status, error: `HTTP ${status}${text ? `: ${text}` : ""}`, permanent: false };
  } catch (thrown) {
    if (signal.aborted) return { statusCode: null, error: `no answer within ${SEND_TIMEOUT_MS / 1000} s`, permanent: false };
    const code = (thrown as NodeJS.ErrnoException | undefined)?.code;
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    return {
      statusCode: null,
      error: code && !message.includes(code) ? `${code}: ${message}` : message,
      permanent: thrown instanceof FetchRefused,
    };
  }
}

/**
 * The first ANSWER_BYTES of a refusal, for the attempt log: reads no further
 * (at most a socket read beyond), and keeps what came when the time limit or
 * the receiver cuts it off; the connection is closed either way.
 */
async function answerStart(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= ANSWER_BYTES) break;
    }
  } catch {
    // Cut off: what came is enough for the log.
  } finally {
    response.destroy();
  }
  return Buffer.concat(chunks).subarray(0, ANSWER_BYTES).toString("utf8");
}

/**
 * Queues what the timeline holds, and now and then what is at risk; errors are
 * logged, never thrown. Answers how many it queued and whether anything may
 * be due to send (else claiming would find nothing).
 */
async function detect(deadline: number, scan: boolean): Promise<{ queued: number; sendable: boolean }> {
  let queued = 0;
  try {
    const found = await detectEvents(deadline);
    queued += found.queued;
    if (scan || Date.now() - slots.lastScan >= AT_RISK_SCAN_MS) {
      slots.lastScan = Date.now();
      queued += await scanFilesAtRisk(found.destinations);
    }
    return { queued, sendable: queued > 0 || found.due };
  } catch (error) {
    console.error("[notifications] finding events failed:", error);
    return { queued, sendable: true };
  }
}

/** The worker lane: find events, then start what is due. */
export async function runNotifier(): Promise<void> {
  const { sendable } = await detect(Date.now() + 5_000, false);
  if (sendable) await runDueNotifications();
}

export type NotifyReport = { queued: number; started: number; delivered: number; failed: number; retrying: number };

/**
 * Finds events and sends due notifications until `deadline`, waiting for
 * what it started (cron tick, after()); sends still running then end on their
 * own time limit.
 */
export async function drainNotifications(deadline: number): Promise<NotifyReport> {
  const round = newRound(OUTCOMES);
  const { queued, sendable } = await detect(deadline, true);
  if (sendable) await drainRound(round, runDueNotifications, deadline, SEND_TIMEOUT_MS);
  const { delivered, failed, retrying } = round.tally;
  return { queued, started: round.started, delivered, failed, retrying };
}

/** Passes after answers start at least this far apart: a burst of callbacks is served by a few. */
const PASS_GAP_MS = 100;
/** How long notifications after a callback's answer may take (within the route's maxDuration). */
const AFTER_BUDGET_MS = 20_000;

/** Looks for events to send now: on the worker's lane, or after the current answer where there is none. */
export function wakeNotifications(): void {
  wakeOrAfterAnswer("notifications", () => drainNotificationsPass(AFTER_BUDGET_MS), AFTER_BUDGET_MS);
}

/**
 * drainNotifications for `budgetMs` after an answer, as this process's next
 * pass (lib/work/lanes.ts): answers arriving together share one pass.
 */
export function drainNotificationsPass(budgetMs: number): Promise<void> {
  return nextPass("notifications", PASS_GAP_MS, () => drainNotifications(Date.now() + budgetMs));
}

/** Sends a `test` event to a destination now and answers the attempt (never retried). */
export async function sendTestNotification(destination: DestinationRow): Promise<Attempt> {
  const now = new Date();
  const config = env();
  const payload = buildPayload(destination.format, "test", now, null, {
    baseUrl: config.PUBLIC_BASE_URL,
    loginRequired: Boolean(config.DASHBOARD_PASSWORD),
    now,
  });
  const claim = await createTestNotification(destination, payload, now, new Date(now.getTime() + LEASE_MS));
  const { attempt } = await send(claim);
  if (!attempt) throw new AppError(409, "conflict", "The test notification was taken over by another sender.");
  return attempt;
}

/** Queues a notification again now (same webhook-id, a fresh retry schedule). */
export async function resendNotification(id: number): Promise<{ id: number; status: string }> {
  const row = await requeueNotification(id, new Date());
  if (!row) throw notFound(`No notification with id ${id}.`);
  if (row === "busy") throw new AppError(409, "notification_busy", `Notification ${id} is being sent right now.`);
  wakeNotifications();
  return { id: row.id, status: row.status };
}
