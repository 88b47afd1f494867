import { z } from "zod";
import { DELIVERY_VERDICTS } from "@/db/schema";
import { cursorSchema, limitSchema } from "@/app/api/tasks/schema";

export const listDeliveriesQuery = z.object({
  verdict: z.enum(DELIVERY_VERDICTS).optional(),
  taskId: z.string().min(1).max(200).optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
});

export const deliveryIdSchema = z.coerce.number().int().positive();
