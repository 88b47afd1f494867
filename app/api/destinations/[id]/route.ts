import { NextResponse } from "next/server";
import { changeDestination, removeDestination } from "@/lib/notifications/destinations";
import { route } from "@/lib/server/route";
import * as api from "../schema";

/** Changes url (checked again), events, enabled or name. */
export const PATCH = route(api.updateDestination, async ({ params, body }) => NextResponse.json(await changeDestination(params.id, body)));

/** Removes the destination with its queued notifications and attempt log. */
export const DELETE = route(api.deleteDestination, async ({ params }) => {
  await removeDestination(params.id);
  return new NextResponse(null, { status: 204 });
});
