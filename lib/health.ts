import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { storageDir } from "@/lib/storage";

/** Whether the database answers and the storage folder takes a write. */
export async function checkHealth() {
  const database = await probe(async () => {
    getDb().get(sql`select 1`);
  });
  const storage = await probe(async () => {
    const dir = storageDir();
    await fs.mkdir(dir, { recursive: true });
    const file = path.join(dir, `.health-${process.pid}`);
    await fs.writeFile(file, "ok");
    await fs.rm(file);
  });
  return { ok: database.ok && storage.ok, database, storage, uptimeSeconds: Math.round(process.uptime()) };
}

async function probe(check: () => Promise<void>): Promise<{ ok: boolean; error?: string }> {
  try {
    await check();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
