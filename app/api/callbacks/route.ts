import { route } from "@/lib/server/route";
import { receiveCallback } from "@/lib/callbacks/ingest";

/** Any callback; the kind is told from the payload. */
export const POST = route((request) => receiveCallback(request, null));

// With WORKER=0 the downloads a callback creates run after its answer, within this limit (Vercel).
export const maxDuration = 60;
