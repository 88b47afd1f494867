import { route } from "@/lib/server/route";
import { receiveCallback } from "@/lib/callbacks/ingest";
import * as api from "../schema";

/** A callback whose kind is fixed by the path: /api/callbacks/cover, /wav, /music, /lyrics, /separation, /midi, /video or /other. */
export const POST = route(api.receiveCallbackOfKind, async ({ params }, request) => receiveCallback(request, params.kind));

// With WORKER=0 the downloads a callback creates run after its answer, within this limit (Vercel).
export const maxDuration = 60;
