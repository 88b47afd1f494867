import "server-only";
import { openDatabase } from "@/db/client";
import { callbackToken } from "@/lib/auth/callback-token";
import { flushRefusedCallbacks } from "@/lib/callbacks/refused";
import { stampSocketAddresses } from "@/lib/server/client-address";
import { installContentLengthShim } from "@/lib/server/content-length";
import { env, EnvError } from "@/lib/core/env";
import { beforeShutdown } from "@/lib/server/shutdown";
import { startWorker } from "@/lib/work/worker";

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
  stampSocketAddresses();
  await openDatabase();
  await callbackToken();
  startWorker();
  beforeShutdown(flushRefusedCallbacks);
}
