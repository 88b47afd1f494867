// "The worker (or the cron tick) last ran at …", for the setup doctor: one
// settings row, written at most once a minute per process, so a worker that
// runs every second costs one small write a minute.
import "server-only";
import { writeHeartbeat } from "@/db/queries/doctor";
import { processSingleton } from "@/lib/core/registry";

const EVERY_MS = 60_000;

const state = processSingleton("heartbeat", () => ({ lastWrittenAt: 0 }));

export async function beat(by: "worker" | "cron", now = new Date()): Promise<void> {
  if (now.getTime() - state.lastWrittenAt < EVERY_MS) return;
  state.lastWrittenAt = now.getTime();
  try {
    await writeHeartbeat({ at: now, by });
  } catch (error) {
    state.lastWrittenAt = 0; // try again on the next run
    console.error("[worker] could not record the heartbeat:", error);
  }
}
