import { NextResponse } from "next/server";
import { listDeliveries } from "@/db/queries/deliveries";
import { route } from "@/lib/server/route";
import { searchParamsObject } from "@/app/api/tasks/schema";
import { listDeliveriesQuery } from "./schema";

export const GET = route(async (request) => {
  const filter = listDeliveriesQuery.parse(searchParamsObject(request.url));
  return NextResponse.json(await listDeliveries(filter));
});
