// Route handlers: route() reads and checks what a request carries (its JSON
// body, query string and path segments, each with a zod schema) and answers
// every failure as { "error": { "code": "...", "message": "..." } }: typed
// errors (lib/core/errors.ts) with their status, anything else as a 500.
import { NextResponse } from "next/server";
import { z } from "zod";
import { AppError, badRequest, notFound, type ErrorCode } from "@/lib/core/errors";
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
/** What Next.js hands a route handler besides the request: its dynamic segments. */
type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

/** What a route reads from its request; each part it names is checked before the handler runs. */
type Inputs<B, Q, P> = {
  /** The path's segments; when they do not match, the thing is unknown: 404 `not_found` with `notFound`. */
  params?: { schema: z.ZodType<P>; notFound: string };
  /** The query string, empty values counting as absent; when it does not match: 400 `invalid_request`. */
  query?: z.ZodType<Q>;
  /** The JSON body: 400 `invalid_json` when it is not JSON (with `example` in the message), `invalid_request` when it does not match. */
  body?: z.ZodType<B>;
  example?: string;
};
type Parsed<B, Q, P> = { body: B; query: Q; params: P };

/**
 * Wraps a route handler so every failure is answered as JSON. Given inputs
 * first, the handler gets them checked and parsed (params, then query, then
 * body). The inputs are the route's registration (lib/server/operation.ts),
 * so the OpenAPI document describes what is parsed:
 *
 *   export const PATCH = route(api.updateDestination,
 *     async ({ params, body }) => NextResponse.json(await changeDestination(params.id, body)));
 */
export function route<C>(handler: Handler<C>): Handler<C>;
export function route<B = undefined, Q = undefined, P = undefined>(
  inputs: Inputs<B, Q, P>,
  handler: (input: Parsed<B, Q, P>, request: Request) => Promise<Response>,
): Handler<RouteContext>;
export function route<B, Q, P>(
  first: Handler<RouteContext> | Inputs<B, Q, P>,
  second?: (input: Parsed<B, Q, P>, request: Request) => Promise<Response>,
): Handler<RouteContext> {
  const handler: Handler<RouteContext> =
    typeof first === "function"
      ? first
      : readsNothing(first)
        ? // Nothing to parse (a callback reads its raw body itself): no promise for it.
          (request) => second!(NOTHING_PARSED as Parsed<B, Q, P>, request)
        : async (request, context) => second!(await parse(first, request, context), request);
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

const NOTHING_PARSED = { params: undefined, query: undefined, body: undefined };
const readsNothing = (inputs: Inputs<unknown, unknown, unknown>) => !inputs.params && !inputs.query && !inputs.body;

async function parse<B, Q, P>(inputs: Inputs<B, Q, P>, request: Request, context: RouteContext): Promise<Parsed<B, Q, P>> {
  let params: P | undefined;
  if (inputs.params) {
    const parsed = inputs.params.schema.safeParse(await context.params);
    if (!parsed.success) throw notFound(inputs.params.notFound);
    params = parsed.data;
  }
  const query = inputs.query?.parse(Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== "")));
  let body: B | undefined;
  if (inputs.body) {
    const json: unknown = await request.json().catch(() => {
      throw badRequest("invalid_json", inputs.example ? `The body must be JSON, e.g. ${inputs.example}.` : "The body must be JSON.");
    });
    body = inputs.body.parse(json);
  }
  // Each part is undefined exactly when its schema was not given (its type is then undefined too).
  return { params, query, body } as Parsed<B, Q, P>;
}
