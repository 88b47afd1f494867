// The sample covers under public/samples, used by "Send a test callback".
import { env } from "@/lib/core/env";

export const SAMPLE_COVERS = ["/samples/cover-1.png", "/samples/cover-2.png"];

/**
 * Whether a URL is one of the dashboard's own sample covers. They are served
 * by this dashboard, often on a private address (localhost), so downloads
 * reach them even while DOWNLOAD_ALLOW_PRIVATE blocks private addresses.
 */
export function isOwnSample(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.origin === new URL(env().PUBLIC_BASE_URL).origin && SAMPLE_COVERS.includes(parsed.pathname) && !parsed.search;
  } catch {
    return false;
  }
}
