import { z } from "zod";
import { cursorSchema, limitSchema } from "@/app/api/tasks/schema";
import { rowIdSchema } from "@/lib/notifications/schemas";
import { badRequest, notFound } from "@/lib/core/errors";

export const listAttemptsQuery = z.object({ cursor: cursorSchema.optional(), limit: limitSchema });

/** The request's JSON body; a 400 when it is not JSON. */
export async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw badRequest("invalid_json", "The body must be JSON.");
  }
}

/** The `[id]` of a route; unknown (404) when it is not a row id. */
export async function idParam(params: Promise<{ id: string }>, what: string): Promise<number> {
  const id = rowIdSchema.safeParse((await params).id);
  if (!id.success) throw notFound(`No such ${what}.`);
  return id.data;
}
