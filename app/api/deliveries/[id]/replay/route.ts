import { NextResponse } from "next/server";
import { getDelivery } from "@/db/queries/deliveries";
import { getTaskDetail } from "@/db/queries/tasks";
import { route } from "@/lib/server/route";
import { badRequest, notFound } from "@/lib/core/errors";
import { replayDelivery } from "@/lib/callbacks/ingest";
import { deliveryIdSchema } from "../../schema";

type Context = { params: Promise<{ id: string }> };

/** Processes a stored delivery again; answers the outcome, the delivery and the task it touched;
 * 400 when the stored body is still not a valid callback. */
export const POST = route(async (_request, { params }: Context) => {
  const id = deliveryIdSchema.safeParse((await params).id);
  if (!id.success) throw notFound("No such delivery.");
  const outcome = await replayDelivery(id.data);
  const delivery = await getDelivery(id.data);
  if (outcome.verdict === "rejected") throw badRequest("invalid_callback", outcome.error ?? "The delivery is still not a valid callback.");
  return NextResponse.json({
    outcome: { verdict: outcome.verdict },
    delivery,
    task: outcome.taskId ? ((await getTaskDetail(outcome.taskId))?.task ?? null) : null,
  });
});
