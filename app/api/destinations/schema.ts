import { z } from "zod";
import { cursorSchema, limitSchema } from "@/app/api/tasks/schema";
import { rowIdSchema } from "@/lib/notifications/schemas";

export const listAttemptsQuery = z.object({ cursor: cursorSchema.optional(), limit: limitSchema });

/** The `[id]` of a destination's routes; unknown (404) when it is not a row id. */
export const destinationParams = { schema: z.object({ id: rowIdSchema }), notFound: "No such destination." };
