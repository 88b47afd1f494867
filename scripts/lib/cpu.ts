// CPU time a process has used (user + system, all its threads), from
// /proc/<pid>/stat: what the benchmarks divide by the requests served to tell
// what each request costs, whatever else the machine is doing meanwhile.
import fs from "node:fs";

/** Clock ticks per second of /proc's counters (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * Seconds of CPU `pid` has used so far (all its threads; with `mainThread`,
 * only the thread that runs its JavaScript event loop, whose id is the
 * process's); null where /proc is missing (not Linux) or the process is gone.
 */
export function cpuSeconds(pid: number | undefined, { mainThread = false } = {}): number | null {
  if (pid === undefined) return null;
  try {
    const stat = fs.readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * Runs `work` and answers it with the CPU seconds each of `pids` used
 * meanwhile, and the first one's main thread (null where unknown): a Node.js
 * server answers on one thread, which can be the limit while cores sit idle.
 */
export async function withCpu<T>(
  pids: (number | undefined)[],
  work: () => Promise<T>,
): Promise<{ result: T; cpu: (number | null)[]; mainThread: number | null }> {
  const used = (before: number | null, after: number | null) => (before === null || after === null ? null : after - before);
  const before = pids.map((pid) => cpuSeconds(pid));
  const mainBefore = cpuSeconds(pids[0], { mainThread: true });
  const result = await work();
  return {
    result,
    cpu: pids.map((pid, i) => used(before[i] ?? null, cpuSeconds(pid))),
    mainThread: used(mainBefore, cpuSeconds(pids[0], { mainThread: true })),
  };
}
