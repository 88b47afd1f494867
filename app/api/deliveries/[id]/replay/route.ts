import { NextResponse } from "next/server";
import { getDelivery } from "@/db/queries/deliveries";
import { getTaskDetail } from "@/db/queries/tasks";
import { badRequest } from "@/lib/core/errors";
import { replayDelivery } from "@/lib/callbacks/ingest";
import { route } from "@/lib/server/route";
import * as api from "../../schema";

/** Processes a stored delivery again; answers the outcome, the delivery and the task it touched;
 * 400 when the stored body is still not a valid callback. */
export const POST = route(api.replayDelivery, async ({ params }) => {
  const outcome = await replayDelivery(params.id);
  const delivery = await getDelivery(params.id);
  if (outcome.verdict === "rejected") throw badRequest("invalid_callback", outcome.error ?? "The delivery is still not a valid callback.");
  return NextResponse.json({
    outcome: { verdict: outcome.verdict },
    delivery,
    task: outcome.taskId ? ((await getTaskDetail(outcome.taskId))?.task ?? null) : null,
  });
});
