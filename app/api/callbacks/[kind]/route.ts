import { TASK_KINDS } from "@/lib/core/enums";
import { route } from "@/lib/server/route";
import { notFound } from "@/lib/core/errors";
import { receiveCallback } from "@/lib/callbacks/ingest";

type Context = { params: Promise<{ kind: string }> };

/** A callback whose kind is fixed by the path: /api/callbacks/cover, /wav, /music, /lyrics, /separation, /midi, /video or /other. */
export const POST = route(async (request, { params }: Context) => {
  const { kind } = await params;
  const known = TASK_KINDS.find((k) => k === kind);
  if (!known) throw notFound(`Callbacks are received at /api/callbacks and /api/callbacks/{${TASK_KINDS.join(",")}}.`);
  return receiveCallback(request, known);
});

// With WORKER=0 the downloads a callback creates run after its answer, within this limit (Vercel).
export const maxDuration = 60;
