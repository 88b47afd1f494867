import { NextResponse } from "next/server";
import { route } from "@/lib/server/route";
import { getProviderStatus } from "@/lib/provider/status";
import * as api from "./schema";

/** Whether a key is set, the provider's address and the remaining credits (reused for 15 s). */
export const GET = route(api.getProvider, async () => NextResponse.json(await getProviderStatus()));
