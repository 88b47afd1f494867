import { NextResponse } from "next/server";
import { destinationAttempts } from "@/lib/notifications/destinations";
import { route } from "@/lib/server/route";
import { destinationParams, listAttemptsQuery } from "../../schema";

/** The destination's attempts, newest first: `{ items, nextCursor }`. */
export const GET = route({ params: destinationParams, query: listAttemptsQuery }, async ({ params, query }) =>
  NextResponse.json(await destinationAttempts(params.id, query.cursor, query.limit)),
);
