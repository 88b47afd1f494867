import { z } from "zod";
import { DELIVERY_VERDICTS } from "@/lib/core/enums";
import { cursorSchema, limitSchema, searchText } from "@/app/api/tasks/schema";
import { bulkReplayShape, deliveryPageShape, deliveryShape, replayShape } from "@/lib/server/api-shapes";
import { operation } from "@/lib/server/operation";

export const listDeliveriesQuery = z.object({
  verdict: z.enum(DELIVERY_VERDICTS).optional(),
  /** A substring of the raw body (any case). */
  q: searchText(200).meta({ description: "A substring of the raw body (any case)." }),
  taskId: searchText(128),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
});

/** The `[id]` of a delivery's routes; unknown (404) when it is not a row id. */
export const deliveryParams = { schema: z.object({ id: z.coerce.number().int().positive() }), notFound: "No such delivery." };

export const replayMatchingBody = z.object({
  verdict: z.enum(DELIVERY_VERDICTS).default("rejected"),
  /** Deliveries received at or after this time. */
  since: z.iso
    .datetime({ offset: true })
    .transform((v) => new Date(v))
    .meta({ description: "Deliveries received at or after this time." }),
});

const TAG = "Deliveries";

export const listDeliveries = operation({
  method: "GET",
  path: "/api/deliveries",
  id: "listDeliveries",
  tag: TAG,
  summary: "The callback inbox, newest first",
  description: "Each body and its headers are clipped to 4 KiB (`bodyTruncated`); GET /api/deliveries/{id} has them whole.",
  access: "read",
  query: listDeliveriesQuery,
  answers: { 200: { description: "A page of deliveries.", json: deliveryPageShape } },
});

export const getDelivery = operation({
  method: "GET",
  path: "/api/deliveries/{id}",
  id: "getDelivery",
  tag: TAG,
  summary: "One delivery with its whole body and headers",
  access: "read",
  params: deliveryParams,
  answers: { 200: { description: "The delivery.", json: deliveryShape } },
});

export const replayDelivery = operation({
  method: "POST",
  path: "/api/deliveries/{id}/replay",
  id: "replayDelivery",
  tag: TAG,
  summary: "Process a stored delivery again",
  access: "write",
  params: deliveryParams,
  answers: { 200: { description: "The outcome, the delivery and the task it touched.", json: replayShape } },
  errors: {
    400: ["invalid_callback"],
    409: ["delivery_pruned", "invalid_signature", "signature_required"],
  },
});

export const replayMatching = operation({
  method: "POST",
  path: "/api/deliveries/replay",
  id: "replayMatchingDeliveries",
  tag: TAG,
  summary: "Replay every delivery with a verdict received since a time",
  description: "Runs in batches until every matching delivery that existed when it began is done. Refused for their signature: `skipped`.",
  access: "write",
  body: replayMatchingBody,
  example: '{"verdict":"rejected","since":"2025-01-01T00:00:00Z"}',
  bodyExamples: { rejectedSinceJanuary: { verdict: "rejected", since: "2025-01-01T00:00:00Z" } },
  answers: {
    200: { description: "What the replay did.", json: bulkReplayShape, example: { replayed: 3, accepted: 2, rejected: 1, skipped: 0 } },
  },
});
