import { TASK_KINDS } from "@/db/schema";
import { errorJson } from "@/lib/errors";
import { receiveCallback } from "@/lib/ingest";

/** A callback whose kind is fixed by the path: /api/callbacks/cover or /api/callbacks/wav. */
export async function POST(request: Request, { params }: { params: Promise<{ kind: string }> }) {
  const { kind } = await params;
  const known = TASK_KINDS.find((k) => k === kind);
  if (!known) return errorJson(404, "not_found", "Callbacks are received at /api/callbacks, /api/callbacks/cover and /api/callbacks/wav.");
  return receiveCallback(request, known);
}
