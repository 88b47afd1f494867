// The OpenAPI document (GET /api/openapi.json) as a page: every operation
// under its tag, with its access, parameters, body and answers, and the named
// schemas they refer to. Plain server-rendered markup (native <details> to
// fold): no script of its own, and nothing from another origin.
import type { ReactNode } from "react";
import { Badge, Card, CardHeader } from "@/components/ui";

type Json = Record<string, unknown>;
type Schema = Json & {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  description?: string;
  additionalProperties?: Schema | boolean;
  format?: string;
};
type Parameter = { name: string; in: string; required?: boolean; description?: string; schema: Schema };
type Response = { description: string; content?: Record<string, { schema?: Schema }> };
type OperationObject = {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { description?: string; content: Record<string, { schema?: Schema; examples?: Record<string, { value: unknown }> }> };
  responses: Record<string, Response>;
};
export type ApiDocument = {
  info: { title: string; version: string; description?: string };
  tags?: { name: string }[];
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, Schema> };
};

const METHOD_TONES = { get: "blue", head: "gray", post: "green", put: "amber", patch: "amber", delete: "red" } as const;
const anchor = (name: string) => `schema-${name}`;

export function ApiReference({ document }: { document: ApiDocument }) {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const tags = document.tags?.map((t) => t.name) ?? [...new Set(operations.map((o) => o.op.tags[0] ?? ""))];
  return (
    <div className="space-y-6">
      {tags.map((tag) => (
        <Card key={tag}>
          <CardHeader title={tag} />
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
            {operations
              .filter(({ op }) => op.tags[0] === tag)
              .map(({ path, method, op }) => (
                <li key={op.operationId} id={op.operationId} data-testid="api-operation">
                  <OperationView path={path} method={method} op={op} />
                </li>
              ))}
          </ul>
        </Card>
      ))}
      <Card>
        <CardHeader title="Schemas" description="The shapes the answers above refer to." />
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
          {Object.entries(document.components.schemas).map(([name, schema]) => (
            <li key={name} id={anchor(name)} className="px-4 py-3 sm:px-5" data-testid="api-schema">
              <h3 className="font-mono text-sm font-semibold">{name}</h3>
              {schema.description && <p className="mt-0.5 text-sm text-zinc-500 dark:text-zinc-400">{schema.description}</p>}
              <div className="mt-2">
                <SchemaView schema={schema} />
              </div>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}

function OperationView({ path, method, op }: { path: string; method: string; op: OperationObject }) {
  const body = op.requestBody && Object.entries(op.requestBody.content)[0];
  return (
    <details className="group">
      <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3 hover:bg-zinc-50 sm:px-5 dark:hover:bg-zinc-800/40">
        <span className="w-16 shrink-0">
          <Badge tone={METHOD_TONES[method as keyof typeof METHOD_TONES] ?? "gray"}>{method.toUpperCase()}</Badge>
        </span>
        <code className="font-mono text-sm break-all">{path}</code>
        <span className="text-sm text-zinc-500 dark:text-zinc-400">{op.summary}</span>
      </summary>
      <div className="space-y-4 px-4 pb-4 text-sm sm:px-5">
        {op.description && <Prose text={op.description} />}
        {op.parameters && op.parameters.length > 0 && (
          <Section title="Parameters">
            <ul className="space-y-1.5">
              {op.parameters.map((p) => (
                <li key={`${p.in}:${p.name}`}>
                  <code className="font-mono">{p.name}</code> <span className="text-xs text-zinc-500 dark:text-zinc-400">({p.in})</span>
                  {p.required && <RequiredMark />} <TypeLabel schema={p.schema} />
                  {p.description && <span className="text-zinc-500 dark:text-zinc-400"> — {p.description}</span>}
                </li>
              ))}
            </ul>
          </Section>
        )}
        {body && (
          <Section title={`Body (${body[0]})`}>
            {op.requestBody?.description && <Prose text={op.requestBody.description} />}
            {body[1].schema && <SchemaView schema={body[1].schema} />}
            {body[1].examples &&
              Object.entries(body[1].examples).map(([name, example]) => (
                <div key={name} className="mt-2">
                  <p className="text-xs text-zinc-500 dark:text-zinc-400">Example: {name}</p>
                  <pre className="mt-1 overflow-x-auto rounded-md bg-zinc-50 p-2 font-mono text-xs dark:bg-zinc-950">
                    {JSON.stringify(example.value, null, 2)}
                  </pre>
                </div>
              ))}
          </Section>
        )}
        <Section title="Answers">
          <ul className="space-y-2">
            {Object.entries(op.responses).map(([status, response]) => {
              const [media, content] = Object.entries(response.content ?? {})[0] ?? [];
              return (
                <li key={status} data-testid="api-response">
                  <Badge tone={status.startsWith("2") || status.startsWith("3") ? "green" : "red"}>{status}</Badge>{" "}
                  <Prose text={response.description} inline />
                  {media && media !== "application/json" && <span className="text-xs text-zinc-500 dark:text-zinc-400"> ({media})</span>}
                  {media === "application/json" && content?.schema && !status.match(/^[45]/) && (
                    <div className="mt-1 ml-2">
                      <SchemaView schema={content.schema} />
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </Section>
      </div>
    </details>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <h4 className="mb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{title}</h4>
      {children}
    </section>
  );
}

/** Text with `code` spans, as the document writes them. */
function Prose({ text, inline = false }: { text: string; inline?: boolean }) {
  const parts = text.split(/(`[^`]+`)/g).map((part, i) =>
    part.startsWith("`") && part.endsWith("`") ? (
      <code key={i} className="font-mono text-[0.95em]">
        {part.slice(1, -1)}
      </code>
    ) : (
      part
    ),
  );
  return inline ? <span>{parts}</span> : <p className="whitespace-pre-line text-zinc-700 dark:text-zinc-300">{parts}</p>;
}

const RequiredMark = () => <span className="text-xs text-amber-700 dark:text-amber-400">required</span>;

/** A one-line type: `string`, `Task`, `array of Asset`, `"a" | "b"`, `integer or null`. */
function TypeLabel({ schema }: { schema: Schema }): ReactNode {
  if (schema.$ref) {
    const name = schema.$ref.split("/").at(-1)!;
    return (
      <a href={`#${anchor(name)}`} className="font-mono text-violet-700 underline-offset-2 hover:underline dark:text-violet-300">
        {name}
      </a>
    );
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    return alternatives.map((alt, i) => (
      <span key={i}>
        {i > 0 && " or "}
        <TypeLabel schema={alt} />
      </span>
    ));
  }
  if (schema.const !== undefined) return <code className="font-mono">{JSON.stringify(schema.const)}</code>;
  if (schema.enum) return <code className="font-mono">{schema.enum.map((v) => JSON.stringify(v)).join(" | ")}</code>;
  if (schema.type === "array" && schema.items) {
    return (
      <span>
        array of <TypeLabel schema={schema.items} />
      </span>
    );
  }
  const type = Array.isArray(schema.type) ? schema.type.join(" or ") : (schema.type ?? "any");
  return (
    <span className="font-mono text-zinc-600 dark:text-zinc-400">
      {type}
      {schema.format ? ` (${schema.format})` : ""}
    </span>
  );
}

/** An object's fields, one per line (nested objects indented); anything else as its type. */
function SchemaView({ schema }: { schema: Schema }) {
  const object = schema.properties ? schema : (schema.oneOf ?? schema.anyOf) ? null : schema;
  if (!object?.properties) {
    const alternatives = schema.oneOf ?? schema.anyOf;
    if (alternatives?.some((alt) => alt.properties)) {
      return (
        <div className="space-y-2">
          {alternatives.map((alt, i) => (
            <div key={i}>
              <p className="text-xs text-zinc-500 dark:text-zinc-400">{i === 0 ? "One of:" : "or:"}</p>
              <SchemaView schema={alt} />
            </div>
          ))}
        </div>
      );
    }
    return <TypeLabel schema={schema} />;
  }
  const required = new Set(object.required ?? []);
  return (
    <ul className="space-y-1 border-l border-zinc-200 pl-3 dark:border-zinc-800">
      {Object.entries(object.properties).map(([name, property]) => (
        <li key={name}>
          <code className="font-mono">{name}</code>
          {required.has(name) ? "" : <span className="text-xs text-zinc-500 dark:text-zinc-400"> (optional)</span>}:{" "}
          {property.properties ? <SchemaView schema={property} /> : <TypeLabel schema={property} />}
          {property.description && <span className="text-zinc-500 dark:text-zinc-400"> — {property.description}</span>}
        </li>
      ))}
    </ul>
  );
}
