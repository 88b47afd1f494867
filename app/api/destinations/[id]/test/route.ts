import { NextResponse } from "next/server";
import { testDestination } from "@/lib/notifications/destinations";
import { route } from "@/lib/server/route";
import * as api from "../../schema";

/** Sends a `test` event now; answers the attempt (status code, duration, error), whatever the destination said. */
export const POST = route(api.testDestination, async ({ params }) => NextResponse.json(await testDestination(params.id)));
