import { NextResponse } from "next/server";
import { rotateSecret } from "@/lib/notifications/destinations";
import { route } from "@/lib/server/route";
import { destinationParams } from "../../schema";

/** A new signing secret for a webhook destination; answers the destination with it, the only time it is shown (409 for discord/slack). */
export const POST = route({ params: destinationParams }, async ({ params }) => NextResponse.json(await rotateSecret(params.id)));
