import { NextResponse } from "next/server";
import { testDestination } from "@/lib/notifications/destinations";
import { route } from "@/lib/server/route";
import { destinationParams } from "../../schema";

/** Sends a `test` event now; answers the attempt (status code, duration, error), whatever the destination said. */
export const POST = route({ params: destinationParams }, async ({ params }) => NextResponse.json(await testDestination(params.id)));
