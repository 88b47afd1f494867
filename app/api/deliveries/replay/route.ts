import { NextResponse } from "next/server";
import { replayMatching } from "@/lib/callbacks/replay-matching";
import { route } from "@/lib/server/route";
import * as api from "../schema";

// Large backlogs take a while: the replay runs until every matching delivery is done.
export const maxDuration = 300;

/** Replays every delivery with `verdict` received since `since` → {replayed, accepted, rejected, skipped}. */
export const POST = route(api.replayMatching, async ({ body }) => NextResponse.json(await replayMatching(body)));
