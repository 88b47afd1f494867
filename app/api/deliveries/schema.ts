import { z } from "zod";
import { DELIVERY_VERDICTS } from "@/lib/core/enums";
import { cursorSchema, limitSchema } from "@/app/api/tasks/schema";

/** Empty means absent, so a cleared search box is no filter. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || undefined);

export const listDeliveriesQuery = z.object({
  verdict: z.enum(DELIVERY_VERDICTS).optional(),
  /** A substring of the raw body (any case). */
  q: optionalText(200),
  taskId: optionalText(128),
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
