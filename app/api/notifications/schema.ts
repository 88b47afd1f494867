import { z } from "zod";
import { rowIdSchema } from "@/lib/notifications/schemas";
import { resendShape } from "@/lib/server/api-shapes";
import { operation } from "@/lib/server/operation";

export const resendNotification = operation({
  method: "POST",
  path: "/api/notifications/{id}/resend",
  id: "resendNotification",
  tag: "Notifications",
  summary: "Send a notification again (same webhook-id, a fresh retry schedule)",
  access: "write",
  params: { schema: z.object({ id: rowIdSchema }), notFound: "No such notification." },
  answers: { 202: { description: "Queued.", json: resendShape } },
  errors: { 409: ["notification_busy"] },
});
