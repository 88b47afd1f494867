import { NextResponse } from "next/server";
import { listDeliveries } from "@/db/queries/deliveries";
import { route } from "@/lib/server/route";
import { listDeliveriesQuery } from "./schema";

export const GET = route({ query: listDeliveriesQuery }, async ({ query }) => NextResponse.json(await listDeliveries(query)));
