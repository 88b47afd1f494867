// Child processes the tests start (app servers, sqld, s3rver) die with the
// test process: a failing or timed-out test file never leaves one running.
import type { ChildProcess } from "node:child_process";
import { isMainThread } from "node:worker_threads";

/** Started by this process and not yet exited. */
const children = new Set<ChildProcess>();
let installed = false;

function killAll() {
  for (const child of children) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  children.clear();
}

function install() {
  if (installed) return;
  installed = true;
  // Synchronous, so it also runs on process.exit(): signals are sent at once.
  process.on("exit", killAll);
  // "exit" does not run when a signal ends the process, and that is how vitest
  // ends its fork after each test file (SIGTERM). So on these signals kill the
  // children too, then let the signal do what it would have done: when no one
  // else listens, re-raise it without this listener (default action: exit).
  // Worker threads get no signals; this needs the default `forks` pool.
  if (!isMainThread) return;
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    const onSignal = () => {
      killAll();
      if (process.listenerCount(signal) === 1) {
        process.off(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

/** Kills `child` with this process unless it exited first. */
export function killWithTests(child: ChildProcess): void {
  install();
  if (child.pid === undefined) return;
  children.add(child);
  const forget = () => children.delete(child);
  child.once("exit", forget);
  child.once("error", forget);
}
