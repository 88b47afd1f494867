// How a download attempt failed, and whether trying again could help: made on
// the transfer thread (lib/files/transfer.ts) or the main one (time limit, a
// lost lease), and sent between them as plain data.
import "server-only";
import { FetchRefused } from "@/lib/files/safe-fetch";

/** A failed attempt, and whether trying again could help. */
export class DownloadFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    /** The server's Retry-After, when it asked for a longer pause than the usual delay. */
    readonly retryAfterMs = 0,
  ) {
    super(message);
  }
}

/** A failure as plain data, to cross threads. */
export type FailureData = { message: string; permanent: boolean; retryAfterMs: number };

export const failureData = ({ message, permanent, retryAfterMs }: DownloadFailure): FailureData => ({ message, permanent, retryAfterMs });

export const fromFailureData = ({ message, permanent, retryAfterMs }: FailureData) => new DownloadFailure(message, permanent, retryAfterMs);

export function asFailure(error: unknown): DownloadFailure {
  if (error instanceof DownloadFailure) return error;
  if (error instanceof FetchRefused) return new DownloadFailure(error.message, true);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  // Network trouble (resets, refused connections, DNS hiccups) and local I/O errors may pass.
  return new DownloadFailure(code && !message.includes(code) ? `${code}: ${message}` : message, false);
}
