import { NextResponse } from "next/server";
import { listTokens, makeApiToken } from "@/lib/auth/api-tokens";
import { route } from "@/lib/server/route";
import * as api from "./schema";

export const GET = route(api.listTokens, async () =>
  NextResponse.json({ items: await listTokens() }, { headers: { "cache-control": "no-store" } }),
);

/** Makes a token; the answer is the only time it is shown. */
export const POST = route(api.createToken, async ({ body }) =>
  NextResponse.json(await makeApiToken(body), { status: 201, headers: { "cache-control": "no-store" } }),
);
