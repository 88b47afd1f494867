// Login sessions, kept by the SHA-256 of their id (lib/auth/session.ts makes
// and checks the cookies): deleting a row ends that session at once.
import "server-only";
import { and, count, eq, gt, lt } from "drizzle-orm";
import { atomic, getDb, step, write } from "@/db/client";
import { sessions, type SessionRow } from "@/db/schema";

/** Stores a new session, and drops expired ones while at it (logins are rare, so this is "occasionally"). */
export async function insertSession(row: SessionRow): Promise<void> {
  const db = getDb();
  await atomic([step(db.insert(sessions).values(row)), step(db.delete(sessions).where(lt(sessions.expiresAt, row.createdAt)))]);
}

/** The live session with this id hash opened with this password, if any. */
export async function findSession(idHash: string, passwordTag: string, now: Date): Promise<{ lastSeenAt: Date } | undefined> {
  return getDb()
    .select({ lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .where(and(eq(sessions.idHash, idHash), eq(sessions.passwordTag, passwordTag), gt(sessions.expiresAt, now)))
    .get();
}

export async function touchSession(idHash: string, now: Date): Promise<void> {
  await write(getDb().update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash)));
}

export async function deleteSession(idHash: string): Promise<void> {
  await write(getDb().delete(sessions).where(eq(sessions.idHash, idHash)));
}

export async function deleteAllSessions(): Promise<void> {
  await write(getDb().delete(sessions));
}

/** Sessions that would still let someone in. */
export async function countSessions(passwordTag: string, now: Date): Promise<number> {
  const row = await getDb()
    .select({ n: count() })
    .from(sessions)
    .where(and(eq(sessions.passwordTag, passwordTag), gt(sessions.expiresAt, now)))
    .get();
  return row?.n ?? 0;
}
