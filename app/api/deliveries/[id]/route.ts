import { NextResponse } from "next/server";
import { getDelivery } from "@/db/queries/deliveries";
import { route } from "@/lib/server/route";
import { notFound } from "@/lib/core/errors";
import { deliveryIdSchema } from "../schema";

type Context = { params: Promise<{ id: string }> };

/** One delivery with its whole body and headers (lists carry previews). */
export const GET = route(async (_request, { params }: Context) => {
  const id = deliveryIdSchema.safeParse((await params).id);
  const delivery = id.success ? await getDelivery(id.data) : null;
  if (!delivery) throw notFound("No such delivery.");
  return NextResponse.json(delivery);
});
