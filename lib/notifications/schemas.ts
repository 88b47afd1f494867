// Request bodies of /api/destinations, shared by the routes and the setup page's form.
import { z } from "zod";
import { DESTINATION_FORMATS, NOTIFY_EVENTS } from "@/lib/core/enums";

const url = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }));
const events = z
  .array(z.enum(NOTIFY_EVENTS))
  .min(1, "pick at least one event")
  .transform((list) => [...new Set(list)]);
const name = z
  .string()
  .trim()
  .max(100)
  .nullish()
  .transform((v) => v || null);

export const createDestinationBody = z.strictObject({ url, format: z.enum(DESTINATION_FORMATS), events, name });
export type CreateDestinationBody = z.input<typeof createDestinationBody>;

export const updateDestinationBody = z
  .strictObject({ url: url.optional(), events: events.optional(), enabled: z.boolean().optional(), name: name.optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), "change at least one of url, events, enabled, name");
export type UpdateDestinationBody = z.input<typeof updateDestinationBody>;

// Digits only: coercion would let "0x1" or "1e0" name row 1 too.
export const rowIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/)
  .transform(Number)
  .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));
