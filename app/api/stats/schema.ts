import { taskStatsShape } from "@/lib/server/api-shapes";
import { operation } from "@/lib/server/operation";

export const getStats = operation({
  method: "GET",
  path: "/api/stats",
  id: "getStats",
  tag: "Tasks",
  summary: "Task counts by status and kind, and storage used",
  access: "read",
  answers: { 200: { description: "The counts.", json: taskStatsShape } },
});
