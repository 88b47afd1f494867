// Notification destinations (where events go) and their attempt log.
import "server-only";
import { and, desc, eq, lt } from "drizzle-orm";
import { atomic, getDb, step, write, writeReturning } from "@/db/client";
import { destinations, notificationAttempts, notifications, type DestinationRow } from "@/db/schema";
import type { DestinationFormat, NotificationStatus, NotifyEvent } from "@/lib/core/enums";
import type { Page } from "./dto";

/** A destination as lists and changes show it: its signing secret masked (`whsec_…` and its last 4 characters, to tell two apart). */
export function toDestination(row: DestinationRow) {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    format: row.format,
    events: JSON.parse(row.events) as NotifyEvent[],
    secretHint: row.secret && `whsec_…${row.secret.slice(-4)}`,
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type Destination = ReturnType<typeof toDestination>;

/** The answers that make a secret (create, rotate) show it, this once: nothing shows it again. */
export function withSecret(row: DestinationRow): DestinationWithSecret {
  return { ...toDestination(row), secret: row.secret };
}
export type DestinationWithSecret = Destination & { secret: string | null };

export type Attempt = {
  id: number;
  notificationId: number;
  event: string;
  messageId: string;
  at: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  ok: boolean;
  /** The notification's state now (a failed one can be resent). */
  notificationStatus: NotificationStatus;
};

export async function listDestinations(): Promise<Destination[]> {
  const rows = await getDb().select().from(destinations).orderBy(destinations.id).all();
  return rows.map(toDestination);
}

export async function getDestinationRow(id: number): Promise<DestinationRow | null> {
  return (await getDb().select().from(destinations).where(eq(destinations.id, id)).get()) ?? null;
}

export type NewDestination = {
  name: string | null;
  url: string;
  format: DestinationFormat;
  events: NotifyEvent[];
  secret: string | null;
  now: Date;
};

export async function insertDestination(input: NewDestination): Promise<DestinationWithSecret> {
  const [row] = await writeReturning((w) =>
    w
      .insert(destinations)
      .values({
        name: input.name,
        url: input.url,
        format: input.format,
        events: JSON.stringify(input.events),
        secret: input.secret,
        enabled: true,
        createdAt: input.now,
        updatedAt: input.now,
      })
      .returning(),
  );
  return withSecret(row!);
}

export type DestinationChange = { name?: string | null; url?: string; events?: NotifyEvent[]; enabled?: boolean };

/** Applies the change; null when there is no such destination. */
export async function updateDestination(id: number, change: DestinationChange, now: Date): Promise<Destination | null> {
  const { events, ...rest } = change;
  const result = await write(
    getDb()
      .update(destinations)
      .set({ ...rest, ...(events ? { events: JSON.stringify(events) } : {}), updatedAt: now })
      .where(eq(destinations.id, id)),
  );
  if (result.changes === 0) return null;
  return toDestination((await getDestinationRow(id))!);
}

/** Replaces a webhook destination's signing secret; null when there is no such webhook destination. */
export async function replaceSecret(id: number, secret: string, now: Date): Promise<DestinationWithSecret | null> {
  const result = await write(
    getDb()
      .update(destinations)
      .set({ secret, updatedAt: now })
      .where(and(eq(destinations.id, id), eq(destinations.format, "webhook"))),
  );
  if (result.changes === 0) return null;
  return withSecret((await getDestinationRow(id))!);
}

/** Removes a destination with its outbox and attempts (explicitly: foreign keys are not enforced on every libSQL server). */
export async function deleteDestination(id: number): Promise<boolean> {
  const db = getDb();
  const [, , removed] = await atomic([
    step(db.delete(notificationAttempts).where(eq(notificationAttempts.destinationId, id))),
    step(db.delete(notifications).where(eq(notifications.destinationId, id))),
    step(db.delete(destinations).where(eq(destinations.id, id))),
  ]);
  return removed!.changes > 0;
}

/** A destination's attempts, newest first, keyset-paginated by attempt id. */
export async function listAttempts(destinationId: number, cursor: number | undefined, limit: number): Promise<Page<Attempt>> {
  const rows = await getDb()
    .select({
      id: notificationAttempts.id,
      notificationId: notificationAttempts.notificationId,
      event: notifications.event,
      messageId: notifications.messageId,
      at: notificationAttempts.at,
      statusCode: notificationAttempts.statusCode,
      durationMs: notificationAttempts.durationMs,
      error: notificationAttempts.error,
      notificationStatus: notifications.status,
    })
    .from(notificationAttempts)
    .innerJoin(notifications, eq(notifications.id, notificationAttempts.notificationId))
    .where(and(eq(notificationAttempts.destinationId, destinationId), cursor ? lt(notificationAttempts.id, cursor) : undefined))
    .orderBy(desc(notificationAttempts.id))
    .limit(limit + 1)
    .all();
  const items = rows.slice(0, limit).map((r) => toAttempt(r));
  return { items, nextCursor: rows.length > limit ? String(items.at(-1)!.id) : null };
}

export function toAttempt(r: Omit<Attempt, "at" | "ok"> & { at: Date }): Attempt {
  const ok = r.error === null && r.statusCode !== null && r.statusCode >= 200 && r.statusCode < 300;
  return { ...r, at: r.at.toISOString(), ok };
}
