import { z } from "zod";

// Digits only: coercion would let "0x1", "1e0" and " 1" name asset 1 too.
const assetIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/)
  .transform(Number)
  .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));

/** The `[id]` of an asset's routes; unknown (404) when it is not a row id. */
export const assetParams = { schema: z.object({ id: assetIdSchema }), notFound: "No such asset." };
