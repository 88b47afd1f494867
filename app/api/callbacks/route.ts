import { route } from "@/lib/errors";
import { receiveCallback } from "@/lib/ingest";

/** Any callback; the kind is told from the payload. */
export const POST = route((request) => receiveCallback(request, null));
