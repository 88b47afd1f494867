import { NextResponse } from "next/server";
import { listDestinations } from "@/db/queries/destinations";
import { createDestination } from "@/lib/notifications/destinations";
import { route } from "@/lib/server/route";
import * as api from "./schema";

export const GET = route(api.listDestinations, async () => NextResponse.json({ items: await listDestinations() }));

/** Adds a destination (its URL checked against the address guard); a webhook one gets its signing secret. */
export const POST = route(api.createDestination, async ({ body }) => NextResponse.json(await createDestination(body), { status: 201 }));
