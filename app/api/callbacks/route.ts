import { receiveCallback } from "@/lib/ingest";

/** Any callback; the kind is told from the payload. */
export function POST(request: Request) {
  return receiveCallback(request, null);
}
