import { NextResponse } from "next/server";
import { getDelivery } from "@/db/queries/deliveries";
import { notFound } from "@/lib/core/errors";
import { route } from "@/lib/server/route";
import * as api from "../schema";

/** One delivery with its whole body and headers (lists carry previews). */
export const GET = route(api.getDelivery, async ({ params }) => {
  const delivery = await getDelivery(params.id);
  if (!delivery) throw notFound(api.deliveryParams.notFound);
  return NextResponse.json(delivery);
});
