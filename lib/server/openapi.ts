// The OpenAPI 3.1 document of the API (GET /api/openapi.json, the /api-docs
// page), built from the route registrations (lib/server/operation.ts) with
// zod's own JSON Schema output: request parts as the routes parse them
// (io "input"), answers as lib/server/api-shapes.ts describes them. Named
// shapes become #/components/schemas; every error status lists its codes.
import { z } from "zod";
import type { ErrorCode } from "@/lib/core/errors";
import { impliedErrors, type Access, type Operation } from "@/lib/server/operation";

type Json = Record<string, unknown>;
export type OpenApiDocument = Json & {
  openapi: string;
  paths: Record<string, Record<string, Json>>;
  components: Json & { schemas: Record<string, Json> };
};

const COMPONENTS = "#/components/schemas/";

const REASONS: Record<number, string> = {
  400: "Bad request",
  401: "Not authenticated",
  402: "Payment required at the provider",
  403: "Forbidden",
  404: "Not found",
  408: "Request timeout",
  409: "Conflict",
  413: "Payload too large",
  416: "Range not satisfiable",
  421: "Misdirected request (unknown host)",
  422: "Unprocessable",
  429: "Too many requests",
  500: "Internal error",
  502: "Bad gateway (the provider or the callback receiver failed)",
  503: "Unavailable",
  504: "Gateway timeout",
};

const SECURITY: Record<Access, Json[]> = {
  public: [],
  callback: [{ callbackToken: [] }, { callbackTokenHeader: [] }],
  cron: [{ cronSecret: [] }],
  read: [{ apiToken: ["read"] }, { session: [] }],
  write: [{ apiToken: ["write"] }, { session: [] }],
  session: [{ session: [] }],
};

const ACCESS_NOTE: Record<Access, string> = {
  public: "Open: no credential.",
  callback: "The callback token, as `?token=` or `X-Callback-Token`.",
  cron: "`Authorization: Bearer <CRON_SECRET>`.",
  read: "With DASHBOARD_PASSWORD set: a session or an API token of either scope.",
  write: "With DASHBOARD_PASSWORD set: a session or a `write` API token.",
  session: "With DASHBOARD_PASSWORD set: a logged-in browser (API tokens are refused).",
};

/** Collects named schemas met while converting, checking that one name always means one schema. */
class Schemas {
  readonly named: Record<string, Json> = {};

  convert(schema: z.ZodType, io: "input" | "output"): Json {
    const converted = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" }) as Json;
    // A named schema at the root comes back as a $ref to its own $defs entry, like any named one inside.
    const { $defs, ...rest } = converted;
    delete rest.$schema; // the document's dialect is 2020-12 already
    for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, Json>)) this.add(id, relink(def) as Json);
    return relink(rest) as Json;
  }

  private add(id: string, body: Json) {
    const known = this.named[id];
    if (known && JSON.stringify(known) !== JSON.stringify(body)) throw new Error(`Two different schemas are named ${id}.`);
    this.named[id] = body;
  }
}

/**
 * Points zod's local `#/$defs/X` references at the document's components, and
 * drops the safe-integer bounds zod puts on every integer (noise to a reader).
 */
function relink(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relink);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, v]) => !((key === "minimum" || key === "maximum") && Math.abs(Number(v)) === Number.MAX_SAFE_INTEGER))
      .map(([key, v]) => [
        key,
        key === "$ref" && typeof v === "string" && v.startsWith("#/$defs/") ? COMPONENTS + v.slice("#/$defs/".length) : relink(v),
      ]),
  );
}

function errorSchema(codes: ErrorCode[]): Json {
  return {
    type: "object",
    properties: {
      error: {
        type: "object",
        properties: { code: { type: "string", enum: codes }, message: { type: "string" } },
        required: ["code", "message"],
        additionalProperties: false,
      },
    },
    required: ["error"],
    additionalProperties: false,
  };
}

function parameters(op: Operation, schemas: Schemas): Json[] {
  const list: Json[] = [];
  const from = (schema: z.ZodType | undefined, place: "path" | "query") => {
    if (!schema) return;
    const object = schemas.convert(schema, "input") as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      const { description, ...rest } = property;
      list.push({
        name,
        in: place,
        required: place === "path" || (object.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  };
  from(op.params?.schema, "path");
  from(op.query, "query");
  const named = new Set(list.filter((p) => p.in === "path").map((p) => p.name));
  for (const [, name] of op.path.matchAll(/\{([^}]+)\}/g)) {
    if (!named.has(name!)) throw new Error(`${op.method} ${op.path}: no params schema names {${name}}.`);
  }
  return list;
}

function requestBody(op: Operation, schemas: Schemas): Json | undefined {
  const examplesOf = (named: Record<string, unknown> | undefined) =>
    named && { examples: Object.fromEntries(Object.entries(named).map(([name, value]) => [name, { value }])) };
  if (op.body) {
    return {
      required: true,
      content: { "application/json": { schema: schemas.convert(op.body, "input"), ...examplesOf(op.bodyExamples) } },
    };
  }
  if (op.rawBody) {
    const { media, description, examples } = op.rawBody;
    return { required: true, description, content: { [media]: { schema: { type: "object" }, ...examplesOf(examples) } } };
  }
  return undefined;
}

function responses(op: Operation, schemas: Schemas): Json {
  const out: Json = {};
  for (const [status, answer] of Object.entries(op.answers)) {
    const headers =
      answer.headers &&
      Object.fromEntries(Object.entries(answer.headers).map(([name, description]) => [name, { description, schema: { type: "string" } }]));
    const content = answer.json
      ? {
          "application/json": {
            schema: schemas.convert(answer.json, "output"),
            ...(answer.example !== undefined && { example: answer.example }),
          },
        }
      : answer.media
        ? { [answer.media]: { schema: { type: "string", contentMediaType: answer.media } } }
        : undefined;
    out[status] = { description: answer.description, ...(headers && { headers }), ...(content && { content }) };
  }
  for (const [status, codes] of [...impliedErrors(op)].sort(([a], [b]) => a - b)) {
    if (out[status]) throw new Error(`${op.method} ${op.path}: ${status} is both an answer and an error.`);
    const list = [...codes].sort();
    out[status] = {
      description: `${REASONS[status] ?? "Error"}: ${list.map((c) => `\`${c}\``).join(", ")}`,
      ...(status === 429 && { headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "string" } } } }),
      content: { "application/json": { schema: errorSchema(list), example: { error: { code: list[0], message: "…" } } } },
    };
  }
  return out;
}

const METHOD_ORDER = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

export function openApiDocument(registered: Operation[], info: { version: string }): OpenApiDocument {
  // Paths in order, and each path's methods from reading to deleting: how a reader looks them up.
  const operations = [...registered].sort(
    (a, b) => a.path.localeCompare(b.path) || METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method),
  );
  const schemas = new Schemas();
  const paths: Record<string, Record<string, Json>> = {};
  const ids = new Set<string>();
  for (const op of operations) {
    if (ids.has(op.id)) throw new Error(`Two operations are named ${op.id}.`);
    ids.add(op.id);
    const method = op.method.toLowerCase();
    const at = (paths[op.path] ??= {});
    if (at[method]) throw new Error(`${op.method} ${op.path} is registered twice.`);
    const params = parameters(op, schemas);
    const body = requestBody(op, schemas);
    at[method] = {
      operationId: op.id,
      tags: [op.tag],
      summary: op.summary,
      description: [op.description, ACCESS_NOTE[op.access]].filter(Boolean).join("\n\n"),
      security: SECURITY[op.access],
      ...(params.length > 0 && { parameters: params }),
      ...(body && { requestBody: body }),
      responses: responses(op, schemas),
      "x-access": op.access,
    };
  }
  const tags = [...new Set(registered.map((op) => op.tag))].map((name) => ({ name }));
  return {
    openapi: "3.1.0",
    info: {
      title: "Suno callback dashboard",
      version: info.version,
      description:
        "The dashboard's JSON API: what the provider calls back, what the pages read, what scripts use. " +
        "With DASHBOARD_PASSWORD set, send `Authorization: Bearer sk_…` (an API token made on the setup page). " +
        'Errors are `{ "error": { "code", "message" } }`.',
      license: { name: "MIT", identifier: "MIT" },
    },
    tags,
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas.named).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        apiToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "sk_…",
          description: "An API token (setup page or POST /api/tokens): `read` or `write`.",
        },
        session: { type: "apiKey", in: "cookie", name: "suno_session", description: "A logged-in browser's session." },
        callbackToken: {
          type: "apiKey",
          in: "query",
          name: "token",
          description: "The callback token (CALLBACK_TOKEN or the generated one).",
        },
        callbackTokenHeader: { type: "apiKey", in: "header", name: "X-Callback-Token", description: "The callback token, as a header." },
        cronSecret: { type: "http", scheme: "bearer", description: "CRON_SECRET." },
      },
    },
  };
}
