import { NextResponse } from "next/server";
import { resendNotification } from "@/lib/notifications/send";
import { route } from "@/lib/server/route";
import * as api from "../../schema";

/** Queues a notification again (a failed one, after its day of retries), with the same webhook-id: 202. */
export const POST = route(api.resendNotification, async ({ params }) =>
  NextResponse.json(await resendNotification(params.id), { status: 202 }),
);
