import { NextResponse } from "next/server";
import { rotateSecret } from "@/lib/notifications/destinations";
import { route } from "@/lib/server/route";
import * as api from "../../schema";

/** A new signing secret for a webhook destination; answers the destination with it, the only time it is shown (409 for discord/slack). */
export const POST = route(api.rotateDestinationSecret, async ({ params }) => NextResponse.json(await rotateSecret(params.id)));
