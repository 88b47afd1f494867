import { z } from "zod";

export const assetIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
