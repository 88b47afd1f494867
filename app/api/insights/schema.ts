import { z } from "zod";
import { insightsShape } from "@/lib/server/api-shapes";
import { operation } from "@/lib/server/operation";

export const insightsQuery = z.object({
  days: z.coerce.number().int().min(1).max(365).default(7),
});

export const getInsights = operation({
  method: "GET",
  path: "/api/insights",
  id: "getInsights",
  tag: "Insights",
  summary: "Turnaround, sources, failures, callbacks per hour and bytes stored per day",
  access: "read",
  query: insightsQuery,
  answers: { 200: { description: "The figures over the last `days`.", json: insightsShape } },
});
