import { NextResponse } from "next/server";
import { changeDestination, removeDestination } from "@/lib/notifications/destinations";
import { updateDestinationBody } from "@/lib/notifications/schemas";
import { route } from "@/lib/server/route";
import { idParam, jsonBody } from "../schema";

type Context = { params: Promise<{ id: string }> };

/** Changes url (checked again), events, enabled or name. */
export const PATCH = route(async (request, { params }: Context) => {
  const id = await idParam(params, "destination");
  const change = updateDestinationBody.parse(await jsonBody(request));
  return NextResponse.json(await changeDestination(id, change));
});

/** Removes the destination with its queued notifications and attempt log. */
export const DELETE = route(async (_request, { params }: Context) => {
  await removeDestination(await idParam(params, "destination"));
  return new NextResponse(null, { status: 204 });
});
