import { z } from "zod";
import { listTasksQuery } from "@/app/api/tasks/schema";
import { operation } from "@/lib/server/operation";

/** An ISO 8601 date (`2025-01-31`, midnight UTC) or date-time with its offset. */
const isoTime = z
  .string()
  .trim()
  .refine((v) => /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(v) && !Number.isNaN(Date.parse(v)), {
    message: "is not an ISO date or date-time (e.g. 2025-01-31 or 2025-01-31T12:00:00Z)",
  })
  .transform((v) => new Date(v))
  .meta({ format: "date-time", description: "An ISO date (2025-01-31, midnight UTC) or date-time with its offset." });

/** The list's filters, plus createdAt ≥ from and < to; `raw=1` keeps formula-like CSV text as it is. */
export const exportQuery = listTasksQuery.pick({ kind: true, status: true, q: true }).extend({
  from: isoTime.optional(),
  to: isoTime.optional(),
  raw: z
    .enum(["0", "1"])
    .default("0")
    .transform((v) => v === "1"),
});

const TAG = "Export";

export const exportZip = operation({
  method: "GET",
  path: "/api/export",
  id: "exportZip",
  tag: TAG,
  summary: "Every matching task as one streamed ZIP (a folder each, plus tasks.csv)",
  access: "read",
  query: exportQuery,
  answers: { 200: { description: "The archive, streamed.", media: "application/zip", headers: { "Content-Disposition": "attachment" } } },
});

export const exportCsv = operation({
  method: "GET",
  path: "/api/export/tasks.csv",
  id: "exportCsv",
  tag: TAG,
  summary: "The matching tasks as CSV",
  description: "RFC 4180 quoting; formula-like text gets a leading `'` unless `raw=1`.",
  access: "read",
  query: exportQuery,
  answers: { 200: { description: "A header row, then one row per task.", media: "text/csv" } },
});
