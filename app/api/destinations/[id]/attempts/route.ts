import { NextResponse } from "next/server";
import { destinationAttempts } from "@/lib/notifications/destinations";
import { route } from "@/lib/server/route";
import * as api from "../../schema";

/** The destination's attempts, newest first: `{ items, nextCursor }`. */
export const GET = route(api.listDestinationAttempts, async ({ params, query }) =>
  NextResponse.json(await destinationAttempts(params.id, query.cursor, query.limit)),
);
