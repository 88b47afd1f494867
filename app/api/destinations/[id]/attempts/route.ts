import { NextResponse } from "next/server";
import { destinationAttempts } from "@/lib/notifications/destinations";
import { route } from "@/lib/server/route";
import { searchParamsObject } from "@/app/api/tasks/schema";
import { idParam, listAttemptsQuery } from "../../schema";

type Context = { params: Promise<{ id: string }> };

/** The destination's attempts, newest first: `{ items, nextCursor }`. */
export const GET = route(async (request, { params }: Context) => {
  const id = await idParam(params, "destination");
  const { cursor, limit } = listAttemptsQuery.parse(searchParamsObject(request.url));
  return NextResponse.json(await destinationAttempts(id, cursor, limit));
});
