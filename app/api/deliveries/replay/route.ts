import { NextResponse } from "next/server";
import { replayMatching } from "@/lib/callbacks/replay-matching";
import { route } from "@/lib/server/route";
import { badRequest } from "@/lib/core/errors";
import { replayMatchingBody } from "../schema";

// Large backlogs take a while: the replay runs until every matching delivery is done.
export const maxDuration = 300;

/** Replays every delivery with `verdict` received since `since` → {replayed, accepted, rejected, skipped}. */
export const POST = route(async (request) => {
  const json: unknown = await request.json().catch(() => {
    throw badRequest("invalid_json", 'The body must be JSON, e.g. {"verdict":"rejected","since":"2025-01-01T00:00:00Z"}.');
  });
  return NextResponse.json(await replayMatching(replayMatchingBody.parse(json)));
});
