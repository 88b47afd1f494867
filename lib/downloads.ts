// Downloads of result files into storage (issue: keep the files).
import "server-only";

/** Takes due downloads and runs them; answers how many it started. */
export async function runDueDownloads(): Promise<number> {
  return 0;
}
