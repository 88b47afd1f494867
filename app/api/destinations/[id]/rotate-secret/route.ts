import { NextResponse } from "next/server";
import { rotateSecret } from "@/lib/notifications/destinations";
import { route } from "@/lib/server/errors";
import { idParam } from "../../schema";

type Context = { params: Promise<{ id: string }> };

/** A new signing secret for a webhook destination; answers the destination with it, the only time it is shown (409 for discord/slack). */
export const POST = route(async (_request, { params }: Context) =>
  NextResponse.json(await rotateSecret(await idParam(params, "destination"))),
);
