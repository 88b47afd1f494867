import { z } from "zod";
import { TASK_KINDS, TASK_STATUSES } from "@/lib/core/enums";

export const cursorSchema = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, "is not a cursor this API gave out")
  .transform(Number);

export const limitSchema = z.coerce.number().int().min(1).max(200).default(50);

export const listTasksQuery = z.object({
  kind: z.enum(TASK_KINDS).optional(),
  status: z.enum(TASK_STATUSES).optional(),
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || undefined),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
});

export { createTaskBody } from "@/lib/provider/requests";
