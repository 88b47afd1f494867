import { z } from "zod";

// Digits only: coercion would let "0x1", "1e0" and " 1" name asset 1 too.
export const assetIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/)
  .transform(Number)
  .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));
