// Typed errors that routes map to HTTP answers of the shape
// { "error": { "code": "...", "message": "..." } }.
import { NextResponse } from "next/server";
import { z } from "zod";
import { describeZodError } from "@/lib/server/validation";

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string) => new AppError(400, code, message);
export const notFound = (message: string) => new AppError(404, "not_found", message);

export function errorJson(status: number, code: string, message: string, headers?: HeadersInit) {
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
