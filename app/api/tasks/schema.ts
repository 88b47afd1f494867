import { z } from "zod";
import { TASK_KINDS, TASK_STATUSES } from "@/lib/core/enums";

export const cursorSchema = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, "is not a cursor this API gave out")
  .transform(Number);

export const limitSchema = z.coerce.number().int().min(1).max(200).default(50);

/**
 * Text to search for, trimmed; empty means absent, so a cleared search box is
 * no filter. Control characters are refused: no search needs them, and a NUL
 * ends the text early in SQLite (a LIKE on "%\0%" matches every row).
 */
export const searchText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => !/\p{Cc}/u.test(v), "must not contain control characters")
    .optional()
    .transform((v) => v || undefined);

export const listTasksQuery = z.object({
  kind: z.enum(TASK_KINDS).optional(),
  status: z.enum(TASK_STATUSES).optional(),
  q: searchText(200),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
});

export { createTaskBody } from "@/lib/provider/requests";
