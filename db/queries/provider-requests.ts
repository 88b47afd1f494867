// The provider's rate-limit window, shared by every instance: one row per
// request (sent at startedAt, answered at endedAt), and the back-off the
// provider asked for, in settings. Used by lib/provider/rate-limiter.ts.
import "server-only";
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { atomic, getDb, sqlStep, step } from "@/db/client";
import { providerRequests, settings } from "@/db/schema";

export type WindowConfig = { limit: number; windowMs: number; staleMs: number };

/** When a row stops counting: a window after its answer (a dead instance's request counts as answered after staleMs). */
const endOf = (c: WindowConfig) => sql`coalesce(${providerRequests.endedAt}, ${providerRequests.startedAt} + ${c.staleMs})`;
const counts = (now: number, c: WindowConfig) => sql`${endOf(c)} > ${now - c.windowMs}`;

const BLOCKED_UNTIL = "provider_blocked_until";
const BACKOFF_MS = "provider_backoff_ms";

/**
 * Takes a slot when fewer than `limit - reserve` requests count in the window
 * and no back-off is running: one INSERT … SELECT … WHERE, so two instances
 * can never both take the last slot. Answers the slot's id, or null.
 */
export async function takeProviderRequest(now: number, reserve: number, c: WindowConfig): Promise<number | null> {
  const [result] = await atomic([
    sqlStep(sql`insert into ${providerRequests} (started_at) select ${now}
      where (select count(*) from ${providerRequests} where ${counts(now, c)}) < ${c.limit - reserve}
        and coalesce((select cast(${settings.value} as integer) from ${settings} where ${settings.key} = ${BLOCKED_UNTIL}), 0) <= ${now}`),
  ]);
  return result!.changes > 0 ? result!.lastInsertRowid : null;
}

/** Rows are kept this long past counting: a take that read its clock a little earlier may still need them. */
const PRUNE_SLACK_MS = 60_000;

/** Dates a slot at its answer and drops rows that stopped counting a while ago. */
export async function endProviderRequest(id: number, now: number, c: WindowConfig): Promise<void> {
  const db = getDb();
  await atomic([
    step(
      db
        .update(providerRequests)
        .set({ endedAt: new Date(now) })
        .where(eq(providerRequests.id, id)),
    ),
    sqlStep(sql`delete from ${providerRequests} where not (${counts(now - PRUNE_SLACK_MS, c)})`),
  ]);
}

/** The end of every request still counting: a time, or null while in flight. */
export async function providerWindow(now: number, c: WindowConfig): Promise<(number | null)[]> {
  const rows = await getDb()
    .select({ endedAt: providerRequests.endedAt, startedAt: providerRequests.startedAt })
    .from(providerRequests)
    .where(counts(now, c));
  return rows.map((r) => r.endedAt?.getTime() ?? (r.startedAt.getTime() + c.staleMs <= now ? r.startedAt.getTime() + c.staleMs : null));
}

export async function providerBlock(): Promise<{ blockedUntil: number; backoffMs: number }> {
  const rows = await getDb()
    .select()
    .from(settings)
    .where(inArray(settings.key, [BLOCKED_UNTIL, BACKOFF_MS]));
  const value = (key: string) => Number(rows.find((r) => r.key === key)?.value ?? 0);
  return { blockedUntil: value(BLOCKED_UNTIL), backoffMs: value(BACKOFF_MS) };
}

/** Sets the back-off; a blockedUntil only ever moves later. Writes nothing when nothing changes. */
export async function setProviderBlock(block: { backoffMs: number; blockedUntil?: number }): Promise<void> {
  const db = getDb();
  const backoff = String(block.backoffMs);
  const steps = [
    step(
      db
        .insert(settings)
        .values({ key: BACKOFF_MS, value: backoff })
        .onConflictDoUpdate({ target: settings.key, set: { value: backoff }, setWhere: ne(settings.value, backoff) }),
    ),
  ];
  if (block.blockedUntil !== undefined) {
    const until = String(block.blockedUntil);
    steps.push(
      step(
        db
          .insert(settings)
          .values({ key: BLOCKED_UNTIL, value: until })
          .onConflictDoUpdate({
            target: settings.key,
            set: { value: until },
            setWhere: and(eq(settings.key, BLOCKED_UNTIL), sql`cast(${settings.value} as integer) < ${block.blockedUntil}`),
          }),
      ),
    );
  }
  await atomic(steps);
}
