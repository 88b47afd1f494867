import { z } from "zod";
import { DELIVERY_VERDICTS } from "@/db/schema";
import { cursorSchema, limitSchema, searchText } from "@/app/api/tasks/schema";

export const listDeliveriesQuery = z.object({
  verdict: z.enum(DELIVERY_VERDICTS).optional(),
  /** A substring of the raw body (any case). */
  q: searchText(200),
  taskId: searchText(128),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
});

export const deliveryIdSchema = z.coerce.number().int().positive();

export const replayMatchingBody = z.object({
  verdict: z.enum(DELIVERY_VERDICTS).default("rejected"),
  /** Deliveries received at or after this time. */
  since: z.iso.datetime({ offset: true }).transform((v) => new Date(v)),
});
