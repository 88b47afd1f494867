import { NextResponse } from "next/server";
import { listDestinations } from "@/db/queries/destinations";
import { createDestination } from "@/lib/notifications/destinations";
import { createDestinationBody } from "@/lib/notifications/schemas";
import { route } from "@/lib/server/route";

export const GET = route(async () => NextResponse.json({ items: await listDestinations() }));

/** Adds a destination (its URL checked against the address guard); a webhook one gets its signing secret. */
export const POST = route({ body: createDestinationBody }, async ({ body }) =>
  NextResponse.json(await createDestination(body), { status: 201 }),
);
