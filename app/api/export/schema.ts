import { z } from "zod";
import { listTasksQuery } from "@/app/api/tasks/schema";

/** An ISO 8601 date (`2025-01-31`, midnight UTC) or date-time with its offset. */
const isoTime = z
  .string()
  .trim()
  .refine((v) => /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(v) && !Number.isNaN(Date.parse(v)), {
    message: "is not an ISO date or date-time (e.g. 2025-01-31 or 2025-01-31T12:00:00Z)",
  })
  .transform((v) => new Date(v));

/** The list's filters, plus createdAt ≥ from and < to; `raw=1` keeps formula-like CSV text as it is. */
export const exportQuery = listTasksQuery.pick({ kind: true, status: true, q: true }).extend({
  from: isoTime.optional(),
  to: isoTime.optional(),
  raw: z
    .enum(["0", "1"])
    .default("0")
    .transform((v) => v === "1"),
});
