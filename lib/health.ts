import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { storageDir } from "@/lib/storage";

/** Whether the database answers and the storage folder takes a write. Answered without a login: no paths or details. */
export async function checkHealth() {
  const database = await probe("database", async () => {
    getDb().get(sql`select 1`);
  });
  const storage = await probe("storage", async () => {
    const dir = storageDir();
    await fs.mkdir(dir, { recursive: true });
    // A name of its own per check: concurrent checks must not remove each other's file.
    const file = path.join(dir, `.health-${randomBytes(6).toString("hex")}`);
    try {
      await fs.writeFile(file, "ok");
    } finally {
      await fs.rm(file, { force: true });
    }
  });
  return { ok: database.ok && storage.ok, database, storage, uptimeSeconds: Math.round(process.uptime()) };
}

async function probe(name: string, check: () => Promise<void>): Promise<{ ok: boolean; error?: string }> {
  try {
    await check();
    return { ok: true };
  } catch (error) {
    console.error(`[health] ${name} check failed:`, error);
    return { ok: false, error: name === "database" ? "the database does not answer" : "the storage folder is not writable" };
  }
}
