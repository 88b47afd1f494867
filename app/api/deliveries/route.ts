import { NextResponse } from "next/server";
import { listDeliveries } from "@/db/queries/deliveries";
import { route } from "@/lib/server/route";
import * as api from "./schema";

export const GET = route(api.listDeliveries, async ({ query }) => NextResponse.json(await listDeliveries(query)));
