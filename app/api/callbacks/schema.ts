import { z } from "zod";
import { TASK_KINDS } from "@/lib/core/enums";
import { callbackReceivedShape } from "@/lib/server/api-shapes";
import { EXAMPLES } from "@/lib/server/api-examples";
import { operation, type Operation } from "@/lib/server/operation";

const TAG = "Callbacks";

/** What the provider posts: its callback, kept as received (so it is not parsed before the answer's record is stored). */
const callbackRequest = (examples: Record<string, unknown>) => ({
  media: "application/json",
  description: "The provider's callback as it sends it: at most 1 MiB, stored before it is answered.",
  examples,
});

const common = {
  method: "POST",
  tag: TAG,
  access: "callback",
  gated: false,
  answers: {
    200: {
      description: "Received (a duplicate too).",
      json: callbackReceivedShape,
      example: { status: "received", taskId: EXAMPLES.coverSuccess.data.taskId },
    },
  },
  errors: {
    400: ["invalid_callback", "conflicting_task_ids"],
    401: ["unauthorized", "invalid_signature", "signature_required"],
    408: ["request_timeout"],
    413: ["payload_too_large"],
  },
} satisfies Partial<Operation>;

export const receiveCallback = operation({
  ...common,
  path: "/api/callbacks",
  id: "receiveCallback",
  summary: "Receive any callback; its kind is told from the payload",
  description: "A body naming a task of no kind the dashboard knows is kept as a task of kind `other`; one naming no task is refused.",
  rawBody: callbackRequest({
    cover: EXAMPLES.coverSuccess,
    wav: EXAMPLES.wavSuccess,
    coverFailed: EXAMPLES.coverFailed501,
    wavFailed: EXAMPLES.wavFailed451,
    music: EXAMPLES.musicComplete,
    lyrics: EXAMPLES.lyricsComplete,
    separation: EXAMPLES.separationVocal,
    midi: EXAMPLES.midiComplete,
    video: EXAMPLES.videoSuccess,
    other: EXAMPLES.voicePhraseReady,
  }),
});

export const receiveCallbackOfKind = operation({
  ...common,
  path: "/api/callbacks/{kind}",
  id: "receiveCallbackOfKind",
  summary: "Receive a callback whose kind is fixed by the path",
  params: {
    schema: z.object({ kind: z.enum(TASK_KINDS) }),
    notFound: `Callbacks are received at /api/callbacks and /api/callbacks/{${TASK_KINDS.join(",")}}.`,
  },
  description: "A body of another kind is refused (`invalid_callback`); at /api/callbacks/other any body naming a task is kept as `other`.",
  rawBody: callbackRequest({ cover: EXAMPLES.coverSuccess, music: EXAMPLES.musicComplete }),
});
