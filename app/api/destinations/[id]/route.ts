import { NextResponse } from "next/server";
import { changeDestination, removeDestination } from "@/lib/notifications/destinations";
import { updateDestinationBody } from "@/lib/notifications/schemas";
import { route } from "@/lib/server/route";
import { destinationParams } from "../schema";

/** Changes url (checked again), events, enabled or name. */
export const PATCH = route({ params: destinationParams, body: updateDestinationBody }, async ({ params, body }) =>
  NextResponse.json(await changeDestination(params.id, body)),
);

/** Removes the destination with its queued notifications and attempt log. */
export const DELETE = route({ params: destinationParams }, async ({ params }) => {
  await removeDestination(params.id);
  return new NextResponse(null, { status: 204 });
});
