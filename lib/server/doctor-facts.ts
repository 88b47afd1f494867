// Gathers what the setup doctor judges (lib/server/doctor.ts): configuration,
// the health probes, file sizes, a few database reads and the provider status.
import "server-only";
import fs from "node:fs/promises";
import { databaseDriver, databaseFile, databaseLocation } from "@/db/client";
import { filesAtRisk, lastCallbacks, readHeartbeat } from "@/db/queries/doctor";
import { refusedCallbacks } from "@/lib/callbacks/refused";
import { getProviderStatus } from "@/lib/provider/status";
import { runChecks, type Check, type DoctorFacts } from "@/lib/server/doctor";
import { env } from "@/lib/core/env";
import { checkHealth, type Health } from "@/lib/server/health";
import { storage, storageDir } from "@/lib/storage";

const size = (file: string) =>
  fs.stat(file).then(
    (s) => s.size,
    () => null,
  );

async function freeSpace(dir: string): Promise<{ freeBytes: number | null; totalBytes: number | null }> {
  try {
    const s = await fs.statfs(dir);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  } catch {
    return { freeBytes: null, totalBytes: null };
  }
}

/** A read that failed (the database is down: the health probe says so) counts as nothing found. */
function orElse<T>(read: Promise<T>, fallback: T): Promise<T> {
  return read.catch((error: unknown) => {
    console.error("[doctor] a read failed:", error);
    return fallback;
  });
}

export async function gatherFacts(health?: Health): Promise<DoctorFacts> {
  const config = env();
  const now = new Date();
  const file = databaseDriver() === "better-sqlite3" ? databaseFile() : null;
  const store = storage();
  const [probed, callbacks, refused, heartbeat, files, provider, dbBytes, walBytes, space] = await Promise.all([
    // The doctor writes to the storage every time it is asked.
    health ?? checkHealth({ fresh: true }),
    orElse(lastCallbacks(), { lastReceivedAt: null, lastRejected: null }),
    orElse(refusedCallbacks(), { count: 0, lastAt: null }),
    orElse(readHeartbeat(), null),
    orElse(filesAtRisk(now), { atRisk: 0, soonestExpiry: null }),
    getProviderStatus(),
    file ? size(file) : null,
    file ? size(`${file}-wal`) : null,
    store.driver === "local" ? freeSpace(storageDir()) : { freeBytes: null, totalBytes: null },
  ]);
  return {
    now,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    tokenSource: config.CALLBACK_TOKEN ? "env" : "generated",
    storage: { driver: store.driver, location: store.describe(), writable: probed.storage.ok, ...space },
    database: { driver: probed.database.driver, location: databaseLocation(), answers: probed.database.ok, bytes: dbBytes, walBytes },
    callbacks: {
      lastReceivedAt: callbacks.lastReceivedAt,
      refused: { count: refused.count, lastAt: refused.lastAt ? new Date(refused.lastAt) : null },
      lastRejected: callbacks.lastRejected,
    },
    provider: { configured: provider.configured, credits: provider.credits, error: provider.error },
    worker: { mode: config.WORKER ? "in-process" : "cron", cronSecretSet: Boolean(config.CRON_SECRET), lastRunAt: heartbeat?.at ?? null },
    files,
  };
}

export async function runDoctor(health?: Health): Promise<Check[]> {
  return runChecks(await gatherFacts(health));
}
