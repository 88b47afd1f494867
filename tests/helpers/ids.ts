// The one maker of ids for tests (vitest and Playwright): unique across tests,
// files, worker processes and runs, and a valid task id (letters, digits, "-").
let counter = 0;

/** `<prefix>-<hex>`, or bare hex without a prefix: time, process id and a counter. */
export function uniqueTaskId(prefix = ""): string {
  counter += 1;
  const hex = `${Date.now().toString(16)}${process.pid.toString(16)}${counter.toString(16).padStart(4, "0")}`;
  return prefix ? `${prefix}-${hex}` : hex;
}
