// CPU time a process has used (user + system, all its threads), from
// /proc/<pid>/stat: what the benchmarks divide by the requests served to tell
// what each request costs, whatever else the machine is doing meanwhile.
import fs from "node:fs";

/** Clock ticks per second of /proc's counters (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** Seconds of CPU `pid` has used so far; null where /proc is missing (not Linux) or the process is gone. */
export function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Runs `work` and answers it with the CPU seconds each of `pids` used meanwhile (null where unknown). */
export async function withCpu<T>(pids: (number | undefined)[], work: () => Promise<T>): Promise<{ result: T; cpu: (number | null)[] }> {
  const before = pids.map(cpuSeconds);
  const result = await work();
  const cpu = pids.map((pid, i) => {
    const after = cpuSeconds(pid);
    const start = before[i];
    return after === null || start === null || start === undefined ? null : after - start;
  });
  return { result, cpu };
}
