// The one way tests wait for something that happens in another process: read,
// check, sleep a step, again; fail with what was last seen once time runs out.
import { inspect } from "node:util";

export type WaitOptions = {
  /** Default 20 s. */
  timeoutMs?: number;
  /** Default 100 ms. */
  stepMs?: number;
  /** What is awaited, for the failure message (a function: read only on failure, e.g. a server's log). */
  what?: string | (() => string);
};

/**
 * Calls `read` until `done` accepts its value, and answers that value. Throws
 * after `timeoutMs` with the last value read, so a test never goes on with a
 * state it did not wait for.
 */
export async function waitFor<T>(read: () => T | Promise<T>, done: (value: T) => boolean, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = 20_000, stepMs = 100, what = "a condition" } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() >= deadline) {
      const last = inspect(value, { depth: 4, maxArrayLength: 20, maxStringLength: 500 });
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${typeof what === "function" ? what() : what}; last value: ${last}`);
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
