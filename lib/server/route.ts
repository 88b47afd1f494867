// Route handlers answer every failure as { "error": { "code": "...", "message": "..." } }:
// typed errors (lib/core/errors.ts) with their status, anything else as a 500.
import { NextResponse } from "next/server";
import { z } from "zod";
import { AppError, type ErrorCode } from "@/lib/core/errors";
import { describeZodError } from "@/lib/server/validation";

export function errorJson(status: number, code: ErrorCode, message: string, headers?: HeadersInit) {
  return NextResponse.json({ error: { code, message } }, { status, headers });
}

/** Maps any thrown value to an answer; unknown errors become a 500 without internals. */
function errorResponse(error: unknown) {
  if (error instanceof AppError) return errorJson(error.status, error.code, error.message);
  if (error instanceof z.ZodError) return errorJson(400, "invalid_request", describeZodError(error));
  console.error("[api] unexpected error:", error);
  return errorJson(500, "internal_error", "Something went wrong on the server; details are in its log.");
}

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/** Wraps a route handler so every failure is answered as JSON. */
export function route<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
