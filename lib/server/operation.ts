// One registration per API route: what it reads (the same zod schemas
// route() parses with), who may call it, what it answers and every error
// code it can answer. Declared once beside the route (app/api/<area>/schema.ts)
// and listed in app/api/operations.ts, it drives both the parsing
// (`route(operation, handler)`) and the OpenAPI document (lib/server/openapi.ts).
import type { z } from "zod";
import type { ErrorCode } from "@/lib/core/errors";

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Who may call the route when DASHBOARD_PASSWORD is set (without it every
 * route but `callback` and `cron` is open):
 * - `public`: anyone (plain health, the OpenAPI document, login and logout);
 * - `callback`: the callback token (`?token=` or `X-Callback-Token`);
 * - `cron`: `Authorization: Bearer <CRON_SECRET>`;
 * - `read`: a session or any API token; `write`: a session or a `write` token;
 * - `session`: a logged-in browser only (token management).
 */
export type Access = "public" | "callback" | "cron" | "read" | "write" | "session";

/** One successful answer. */
export type Answer = {
  description: string;
  /** The JSON body's shape (lib/server/api-shapes.ts). */
  json?: z.ZodType;
  /** A body that is not JSON, e.g. "application/zip"; described as bytes. */
  media?: string;
  /** Response headers worth naming, with what they say. */
  headers?: Record<string, string>;
  /** An example body (from the spec's fixtures where there is one). */
  example?: unknown;
};

export type Operation<B = unknown, Q = unknown, P = unknown> = {
  method: HttpMethod;
  /** The OpenAPI path: the route's folder with `[name]` written `{name}`. */
  path: `/api/${string}`;
  /** Unique, camelCase: the document's operationId. */
  id: string;
  /** The group it is listed under. */
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  /** False for routes proxy.ts never sees (the callback receivers, plain health): no host or cross-site refusals. */
  gated?: boolean;
  /** The path's segments; when they do not match, the thing is unknown: 404 `not_found` with `notFound`. */
  params?: { schema: z.ZodType<P>; notFound: string };
  /** The query string, empty values counting as absent; when it does not match: 400 `invalid_request`. */
  query?: z.ZodType<Q>;
  /** The JSON body: 400 `invalid_json` when it is not JSON (with `example` in the message), `invalid_request` when it does not match. */
  body?: z.ZodType<B>;
  /** A request body the route takes that is not parsed by `body` (a callback, a login form). */
  rawBody?: { media: string; description: string; examples?: Record<string, unknown> };
  example?: string;
  /** Example request bodies, by name. */
  bodyExamples?: Record<string, unknown>;
  /** The successful answers, by status. */
  answers: Record<number, Answer>;
  /** Errors the route's own code answers, by status; those of parsing and access are added from the fields above. */
  errors?: Partial<Record<number, ErrorCode[]>>;
};

/** Marks a registration so app/api/operations.ts can collect every one a module exports. */
const OPERATION = Symbol.for("suno-dashboard.operation");

export function operation<B = undefined, Q = undefined, P = undefined>(op: Operation<B, Q, P>): Operation<B, Q, P> {
  return Object.assign(op, { [OPERATION]: true });
}

export function isOperation(value: unknown): value is Operation {
  return typeof value === "object" && value !== null && OPERATION in value;
}

/** Every registration exported by these modules, in the order given. */
export function collectOperations(modules: Record<string, unknown>[]): Operation[] {
  return modules.flatMap((module) => Object.values(module).filter(isOperation));
}

/** Parsing and access errors every route of this registration can answer, by status. */
export function impliedErrors(op: Operation): Map<number, Set<ErrorCode>> {
  const errors = new Map<number, Set<ErrorCode>>();
  const add = (status: number, ...codes: ErrorCode[]) => {
    const set = errors.get(status) ?? new Set<ErrorCode>();
    codes.forEach((code) => set.add(code));
    errors.set(status, set);
  };
  if (op.params) add(404, "not_found");
  if (op.query) add(400, "invalid_request");
  if (op.body) add(400, "invalid_json", "invalid_request");
  const gated = op.gated ?? true;
  if (gated) add(421, "unknown_host");
  const changes = op.method !== "GET" && op.method !== "HEAD";
  if (gated && changes && op.access !== "callback") add(403, "cross_origin");
  if (op.access === "read" || op.access === "write" || op.access === "session") {
    add(401, "unauthorized");
    add(429, "rate_limited");
    // A token on token management is refused whatever its scope; a read token on a write route for its scope.
    if (op.access === "session") add(403, "session_required");
    if (op.access === "write") add(403, "insufficient_scope");
  }
  for (const [status, codes] of Object.entries(op.errors ?? {})) add(Number(status), ...(codes ?? []));
  add(500, "internal_error");
  return errors;
}

/** What a route that asks the provider can answer besides its own errors (lib/provider/client.ts, lib/provider/status.ts). */
export const PROVIDER_ERRORS: Partial<Record<number, ErrorCode[]>> = {
  402: ["provider_no_credits"],
  404: ["provider_not_found"],
  409: ["provider_conflict"],
  422: ["provider_rejected"],
  429: ["rate_limited"],
  502: ["provider_bad_answer", "provider_error", "provider_unauthorized", "provider_unreachable"],
  503: ["provider_maintenance", "provider_not_configured"],
  504: ["provider_timeout"],
};

/** Error maps merged, status by status. */
export function errorsOf(...maps: Partial<Record<number, ErrorCode[]>>[]): Partial<Record<number, ErrorCode[]>> {
  const merged: Partial<Record<number, ErrorCode[]>> = {};
  for (const map of maps) {
    for (const [status, codes] of Object.entries(map)) merged[Number(status)] = [...(merged[Number(status)] ?? []), ...(codes ?? [])];
  }
  return merged;
}
