import { route } from "@/lib/server/route";
import { receiveCallback } from "@/lib/callbacks/ingest";
import * as api from "./schema";

/** Any callback; the kind is told from the payload. */
export const POST = route(api.receiveCallback, async (_input, request) => receiveCallback(request, null));

// With WORKER=0 the downloads a callback creates run after its answer, within this limit (Vercel).
export const maxDuration = 60;
