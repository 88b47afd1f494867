import { NextResponse } from "next/server";
import { resendNotification } from "@/lib/notifications/send";
import { route } from "@/lib/server/route";
import { idParam } from "@/app/api/destinations/schema";

type Context = { params: Promise<{ id: string }> };

/** Queues a notification again (a failed one, after its day of retries), with the same webhook-id: 202. */
export const POST = route(async (_request, { params }: Context) =>
  NextResponse.json(await resendNotification(await idParam(params, "notification")), { status: 202 }),
);
