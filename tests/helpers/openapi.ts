// The OpenAPI document as a contract in tests: the document itself (built from
// the same registrations the server serves), Ajv for draft 2020-12, and a
// check of a real answer against the schema the document gives its route,
// method and status.
import Ajv2020 from "ajv/dist/2020";
import { apiDocument } from "@/app/api/operations";
import type { OpenApiDocument } from "@/lib/server/openapi";

type Json = Record<string, unknown>;
type ValidateFn = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
type Ajv = {
  compile(schema: unknown): ValidateFn;
  addSchema(schema: unknown): Ajv;
  addFormat(name: string, format: RegExp): Ajv;
  errorsText(errors?: unknown): string;
};

/** Ajv 8 for draft 2020-12, with the formats the document uses: ISO times as the API writes them. */
export function newAjv2020(options: Json = {}): Ajv {
  const ajv = new Ajv2020({ allErrors: true, strict: true, ...options });
  ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i);
  ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
  return ajv;
}

export const documentUnderTest = (): OpenApiDocument => apiDocument();

type Operation = { responses: Record<string, { content?: Record<string, { schema?: Json }> }> };

/** Checks answers against the document; one Ajv and one compiled schema per (route, status). */
export class Contract {
  private readonly ajv = newAjv2020();
  private readonly compiled = new Map<string, ValidateFn>();
  private readonly templates: { path: string; pattern: RegExp; literal: boolean }[];

  constructor(readonly document: OpenApiDocument = documentUnderTest()) {
    // Named schemas are referenced as #/components/schemas/X: one resource of their own holds them.
    this.ajv.addSchema({ $id: SCHEMAS, $defs: pointAt(this.document.components.schemas) });
    this.templates = Object.keys(document.paths).map((p) => ({
      path: p,
      pattern: new RegExp(`^${p.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}$`),
      literal: !p.includes("{"),
    }));
  }

  /** The documented operation for a request, or null when the document has no such route and method. */
  operation(method: string, pathname: string): { path: string; operation: Operation } | null {
    const matches = this.templates.filter((t) => t.pattern.test(pathname)).sort((a, b) => Number(b.literal) - Number(a.literal));
    for (const { path: template } of matches) {
      const operation = this.document.paths[template]?.[method.toLowerCase()] as Operation | undefined;
      if (operation) return { path: template, operation };
    }
    return null;
  }

  /**
   * Problems with one answer: an undocumented status, or a JSON body that does
   * not match its schema. Empty when it is as documented; null when the
   * document has no such route (nothing to hold it to).
   */
  check(answer: { method: string; pathname: string; status: number; contentType: string | null; body: unknown }): string[] | null {
    const found = this.operation(answer.method, answer.pathname);
    if (!found) return null;
    const response = found.operation.responses[String(answer.status)];
    const what = `${answer.method} ${answer.pathname} → ${answer.status}`;
    if (!response) return [`${what}: status not documented for ${answer.method} ${found.path}`];
    const json = answer.contentType?.includes("application/json");
    const schema = response.content?.["application/json"]?.schema;
    if (!json || answer.body === undefined) return [];
    if (!schema) return [`${what}: a JSON answer where the document names ${Object.keys(response.content ?? {}).join(", ") || "no body"}`];
    const validate = this.validator(`${answer.method} ${found.path} ${answer.status}`, schema);
    if (validate(answer.body)) return [];
    return [`${what}: ${this.ajv.errorsText(validate.errors)} in ${JSON.stringify(answer.body).slice(0, 300)}`];
  }

  /** Compiles the schema of every JSON answer in the document (each with the named schemas it refers to); answers how many. */
  compileEvery(): number {
    let count = 0;
    for (const [p, methods] of Object.entries(this.document.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        for (const [status, response] of Object.entries((op as Operation).responses)) {
          const schema = response.content?.["application/json"]?.schema;
          if (!schema) continue;
          this.validator(`${method.toUpperCase()} ${p} ${status}`, schema);
          count++;
        }
      }
    }
    return count;
  }

  private validator(key: string, schema: Json): ValidateFn {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(pointAt(schema));
      this.compiled.set(key, validate);
    }
    return validate;
  }
}

/** The schema resource Ajv holds the document's named schemas in. */
const SCHEMAS = "urn:suno-dashboard:schemas";

/** Rewrites #/components/schemas/X to where Ajv holds X. */
function pointAt(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(pointAt);
  if (!schema || typeof schema !== "object") return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === "$ref" && typeof value === "string" && value.startsWith("#/components/schemas/")
        ? `${SCHEMAS}#/$defs/${value.slice("#/components/schemas/".length)}`
        : pointAt(value),
    ]),
  );
}
