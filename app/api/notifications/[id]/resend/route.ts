import { NextResponse } from "next/server";
import { z } from "zod";
import { resendNotification } from "@/lib/notifications/send";
import { rowIdSchema } from "@/lib/notifications/schemas";
import { route } from "@/lib/server/route";

/** Queues a notification again (a failed one, after its day of retries), with the same webhook-id: 202. */
export const POST = route({ params: { schema: z.object({ id: rowIdSchema }), notFound: "No such notification." } }, async ({ params }) =>
  NextResponse.json(await resendNotification(params.id), { status: 202 }),
);
