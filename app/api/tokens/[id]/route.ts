import { revokeApiToken } from "@/lib/auth/api-tokens";
import { route } from "@/lib/server/route";
import * as api from "../schema";

export const DELETE = route(api.deleteToken, async ({ params }) => {
  await revokeApiToken(params.id);
  return new Response(null, { status: 204 });
});
