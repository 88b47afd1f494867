// Work to finish when the process is told to stop. Next's own SIGTERM/SIGINT
// handler exits as soon as the HTTP server has closed, which can be a few
// milliseconds, so an async write started beside it is lost. Ours runs first
// (bounded in time) and then hands the signal to the handlers installed before.
import "server-only";

const LIMIT_MS = 5_000;

/** Runs `task` on SIGTERM/SIGINT before the signal's earlier handlers. Call once, after Next has installed its own. */
export function beforeShutdown(task: () => Promise<void>): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const earlier = process.listeners(signal);
    process.removeAllListeners(signal);
    // Once: a second signal meanwhile finds no handler and ends the process at once, as a second Ctrl-C should.
    process.once(signal, () => {
      const limit = new Promise<void>((resolve) => setTimeout(resolve, LIMIT_MS).unref());
      void Promise.race([task().catch((error: unknown) => console.error("[shutdown]", error)), limit]).then(() => {
        // With no handler before ours, the signal is raised again for its default action: the process ends.
        if (earlier.length === 0) process.kill(process.pid, signal);
        for (const handler of earlier) handler(signal);
      });
    });
  }
}
