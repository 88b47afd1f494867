import { NextResponse } from "next/server";
import { getDelivery } from "@/db/queries/deliveries";
import { notFound } from "@/lib/core/errors";
import { route } from "@/lib/server/route";
import { deliveryParams } from "../schema";

/** One delivery with its whole body and headers (lists carry previews). */
export const GET = route({ params: deliveryParams }, async ({ params }) => {
  const delivery = await getDelivery(params.id);
  if (!delivery) throw notFound(deliveryParams.notFound);
  return NextResponse.json(delivery);
});
