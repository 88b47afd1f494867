// The body of POST /api/tokens, shared by the route and the setup page's form.
import { z } from "zod";
import { TOKEN_SCOPES } from "@/lib/core/enums";

export const createTokenBody = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, "give the token a name")
    .max(100)
    .meta({ description: "What the token is for, e.g. the script using it." }),
  scope: z.enum(TOKEN_SCOPES).default("read").meta({ description: "`read`: the GET routes; `write`: every route but token management." }),
});
export type CreateTokenBody = z.input<typeof createTokenBody>;
