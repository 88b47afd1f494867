import "server-only";
import { openDatabase } from "@/db/client";
import { callbackToken } from "@/lib/callback-token";
import { installSocketAddressShim } from "@/lib/client-address";
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
  installSocketAddressShim();
  await openDatabase();
  await callbackToken();
  startWorker();
}
