import { NextResponse } from "next/server";
import { redownloadAsset } from "@/lib/files/downloads";
import { route } from "@/lib/server/route";
import * as api from "../../schema";

/** Queues the asset for a fresh download (also when its stored file was deleted); answers 202 with its task's detail. */
export const POST = route(api.redownloadAsset, async ({ params }) => NextResponse.json(await redownloadAsset(params.id), { status: 202 }));
