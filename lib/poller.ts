// Automatic polling of tasks whose callback did not come (issue: talk to the provider).
import "server-only";

/** Polls the tasks that are due; answers how many it polled. */
export async function runDuePolls(): Promise<number> {
  return 0;
}
