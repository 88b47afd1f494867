import { NextResponse } from "next/server";
import { route } from "@/lib/server/route";
import { AppError } from "@/lib/core/errors";
import { sendTestCallback } from "@/lib/callbacks/test-callback";
import * as api from "../schema";

/** Posts a sample cover callback to this dashboard; answers the task it made. */
export const POST = route(api.sendTestCallback, async () => {
  const result = await sendTestCallback();
  if (result.status !== 200) throw new AppError(502, "test_callback_failed", `The callback receiver answered ${result.status}.`);
  return NextResponse.json(result, { status: 201 });
});
