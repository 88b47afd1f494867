import { tickShape } from "@/lib/server/api-shapes";
import { operation } from "@/lib/server/operation";

export const cronTick = operation({
  method: "GET",
  path: "/api/cron/tick",
  id: "cronTick",
  tag: "Operations",
  summary: "One bounded round of due work (downloads, polls, notifications, retention)",
  description: "For Vercel Cron or any scheduler. Overlapping ticks never do the same row twice.",
  access: "cron",
  answers: { 200: { description: "What the tick did, and what is still due.", json: tickShape } },
  errors: { 401: ["unauthorized"], 404: ["not_found"] },
});
