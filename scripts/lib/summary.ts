// The figures in one table: each benchmark reports the figures it
// measured with their targets (figure()), and `npm run bench` prints them
// together at the end (printSummary()). Run alone, a benchmark prints its own.
import fs from "node:fs";

export type Figure = {
  /** What was measured, e.g. "requests to libSQL per failure callback". */
  figure: string;
  /** As printed, e.g. "0.74×, p50 3.1 ms". */
  value: string;
  /** As printed, e.g. "≥ 0.7×". */
  target: string;
  met: boolean;
};

/** Where `npm run bench` collects the figures (one JSON line each). */
export const SUMMARY_ENV = "BENCH_SUMMARY_FILE";

export function figure(f: Figure): void {
  const file = process.env[SUMMARY_ENV];
  if (file) fs.appendFileSync(file, `${JSON.stringify(f)}\n`);
}

export function formatTable(figures: Figure[]): string {
  const head = ["figure", "measured", "target", "met"];
  const rows = figures.map((f) => [f.figure, f.value, f.target, f.met ? "yes" : "NO"]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

export function printSummary(file: string): void {
  const figures = fs.existsSync(file)
    ? fs
        .readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Figure)
    : [];
  if (figures.length === 0) return;
  console.log(`\n=== figures and targets (issue 18)\n${formatTable(figures)}`);
}
