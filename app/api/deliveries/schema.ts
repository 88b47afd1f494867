import { z } from "zod";
import { DELIVERY_VERDICTS } from "@/lib/core/enums";
import { cursorSchema, limitSchema, searchText } from "@/app/api/tasks/schema";

export const listDeliveriesQuery = z.object({
  verdict: z.enum(DELIVERY_VERDICTS).optional(),
  /** A substring of the raw body (any case). */
  q: searchText(200),
  taskId: searchText(128),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
});

/** The `[id]` of a delivery's routes; unknown (404) when it is not a row id. */
export const deliveryParams = { schema: z.object({ id: z.coerce.number().int().positive() }), notFound: "No such delivery." };

export const replayMatchingBody = z.object({
  verdict: z.enum(DELIVERY_VERDICTS).default("rejected"),
  /** Deliveries received at or after this time. */
  since: z.iso.datetime({ offset: true }).transform((v) => new Date(v)),
});
