import "server-only";
import { getDb } from "@/db/client";
import { callbackToken } from "@/lib/callback-token";
import { installContentLengthShim } from "@/lib/content-length";
import { env, EnvError } from "@/lib/env";
import { startWorker } from "@/lib/worker";

export async function startServer() {
  try {
    env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  installContentLengthShim();
  getDb();
  await callbackToken();
  startWorker();
}
