import { NextResponse } from "next/server";
import { testDestination } from "@/lib/notifications/destinations";
import { route } from "@/lib/server/route";
import { idParam } from "../../schema";

type Context = { params: Promise<{ id: string }> };

/** Sends a `test` event now; answers the attempt (status code, duration, error), whatever the destination said. */
export const POST = route(async (_request, { params }: Context) =>
  NextResponse.json(await testDestination(await idParam(params, "destination"))),
);
