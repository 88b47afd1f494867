// The OpenAPI document keeps up with the code: every route under app/api is in
// it (and nothing else), it is a valid OpenAPI 3.1 document whose schemas are
// valid JSON Schema, the server serves it openly, its examples are the spec's
// fixtures, and the contract check that every HTTP test runs
// (tests/helpers/answers-recorder.ts) does refuse what the document does not say.
import fs from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_FILES, EXAMPLE_IDS, EXAMPLES } from "@/lib/server/api-examples";
import { requestJson } from "./helpers/http";
import { Contract, documentUnderTest, newAjv2020 } from "./helpers/openapi";
import { FIXTURES, ROOT, startServer, type TestServer } from "./helpers/server";

const API = path.join(ROOT, "app", "api");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

/** Every route file under app/api with the methods it exports, as "METHOD /api/path/{param}". */
function routesOnDisk(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const segments = path.relative(API, dir).split(path.sep);
        // The catch-all only answers 404 for paths that are no route.
        if (segments.some((s) => s.startsWith("[..."))) continue;
        const apiPath = `/api/${segments.map((s) => s.replace(/^\[(.+)\]$/, "{$1}")).join("/")}`;
        const source = fs.readFileSync(full, "utf8");
        const exported = new Set<string>();
        for (const [, method] of source.matchAll(/export\s+(?:const|async\s+function|function)\s+([A-Z]+)\b/g)) exported.add(method!);
        for (const [, list] of source.matchAll(/export\s*\{([^}]*)\}/g)) {
          for (const [, method] of list!.matchAll(/\bas\s+([A-Z]+)\b/g)) exported.add(method!);
        }
        const methods = [...exported].filter((m) => METHODS.includes(m));
        expect(methods.length, `${full} exports no method`).toBeGreaterThan(0);
        for (const method of methods) found.push(`${method} ${apiPath}`);
      }
    }
  };
  walk(API);
  return found.sort();
}

function routesInDocument(): string[] {
  const document = documentUnderTest();
  return Object.entries(document.paths)
    .flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`))
    .sort();
}

describe("the OpenAPI document, built from the route registrations", () => {
  it("describes every route under app/api, and no route that is not there", () => {
    const onDisk = routesOnDisk();
    expect(onDisk.length).toBeGreaterThan(30);
    expect(routesInDocument()).toEqual(onDisk);
  });

  it("is a valid OpenAPI 3.1 document (the official schema), and the validator refuses a broken one", async () => {
    const document = documentUnderTest();
    const result = await new Validator().validate(structuredClone(document) as unknown as Record<string, unknown>);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);

    const broken = structuredClone(document);
    (broken.paths["/api/tasks"]!.get!.responses as Record<string, unknown>)["200"] = { content: {} }; // no description
    expect((await new Validator().validate(broken as unknown as Record<string, unknown>)).valid).toBe(false);
  });

  it("holds schemas that are valid JSON Schema 2020-12 (Ajv, strict), every $ref resolving", () => {
    // Every answer's schema, with the named schemas it refers to.
    expect(new Contract().compileEvery()).toBeGreaterThan(40);
    const ajv = newAjv2020();
    const document = documentUnderTest();
    let compiled = 0;
    for (const methods of Object.values(document.paths)) {
      for (const op of Object.values(methods)) {
        const operation = op as {
          parameters?: { schema: object }[];
          requestBody?: { content: Record<string, { schema: object }> };
        };
        for (const parameter of operation.parameters ?? []) {
          ajv.compile(parameter.schema);
          compiled++;
        }
        const body = operation.requestBody?.content["application/json"]?.schema;
        if (body) {
          ajv.compile(body);
          compiled++;
        }
      }
    }
    expect(compiled).toBeGreaterThan(20);
  });

  it("names the bearer scheme, and each operation's access", () => {
    const document = documentUnderTest();
    expect(document.components).toMatchObject({ securitySchemes: { apiToken: { type: "http", scheme: "bearer" } } });
    const op = (p: string, m: string) => document.paths[p]![m] as { security: object[]; responses: Record<string, unknown> };
    expect(op("/api/tasks", "get").security).toEqual([{ apiToken: ["read"] }, { session: [] }]);
    expect(op("/api/tasks", "post").security).toEqual([{ apiToken: ["write"] }, { session: [] }]);
    expect(op("/api/tokens", "post").security).toEqual([{ session: [] }]);
    expect(op("/api/health", "get").security).toEqual([]);
    expect(Object.keys(op("/api/tasks", "post").responses)).toEqual(
      expect.arrayContaining(["200", "201", "400", "401", "403", "409", "429", "500", "502", "503"]),
    );
  });

  it("takes its examples from the spec's fixtures, and each request example is valid input", () => {
    for (const [name, file] of Object.entries(EXAMPLE_FILES)) {
      const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, "callbacks", `${file}.json`), "utf8")) as unknown;
      expect(EXAMPLES[name as keyof typeof EXAMPLES], file).toEqual(fixture);
    }
    const provider = fs
      .readdirSync(path.join(FIXTURES, "provider"))
      .map((f) => fs.readFileSync(path.join(FIXTURES, "provider", f), "utf8"))
      .join("\n");
    for (const id of Object.values(EXAMPLE_IDS)) expect(provider).toContain(`"${id}"`);

    const ajv = newAjv2020();
    let checked = 0;
    for (const methods of Object.values(documentUnderTest().paths)) {
      for (const op of Object.values(methods)) {
        const content = (
          op as { requestBody?: { content: Record<string, { schema: object; examples?: Record<string, { value: unknown }> }> } }
        ).requestBody?.content["application/json"];
        if (!content?.examples) continue;
        const validate = ajv.compile(content.schema);
        for (const [name, { value }] of Object.entries(content.examples)) {
          expect(validate(value), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it("the contract check refuses an undocumented status and a body that does not match", () => {
    const contract = new Contract();
    const task = { method: "GET", pathname: "/api/tasks", contentType: "application/json" };
    expect(contract.check({ ...task, status: 200, body: { items: [], nextCursor: null } })).toEqual([]);
    expect(contract.check({ ...task, status: 200, body: { items: [], nextCursor: null, extra: 1 } })).toHaveLength(1);
    expect(contract.check({ ...task, status: 200, body: { items: "none" } })).toHaveLength(1);
    expect(contract.check({ ...task, status: 418, body: { error: { code: "teapot", message: "" } } })).toHaveLength(1);
    expect(contract.check({ ...task, status: 401, body: { error: { code: "not_a_code", message: "" } } })).toHaveLength(1);
    expect(contract.check({ ...task, status: 401, body: { error: { code: "unauthorized", message: "Log in" } } })).toEqual([]);
    // A route the document has no entry for is nobody's contract.
    expect(contract.check({ ...task, pathname: "/api/v1/elsewhere", status: 200, body: {} })).toBeNull();
  });
});

describe("GET /api/openapi.json", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { DASHBOARD_PASSWORD: "openapi password 0123", WORKER: "0" } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("is open like plain health (no data in it), and is the document built from the registrations", async () => {
    const res = await requestJson(server, "/api/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(documentUnderTest())));
    expect((await requestJson(server, "/api/tasks")).status).toBe(401);
  });

  it("every fixture callback in the document is one the server takes, answered as documented", async () => {
    const document = documentUnderTest();
    const examples = (
      document.paths["/api/callbacks"]!.post as {
        requestBody: { content: Record<string, { examples: Record<string, { value: unknown }> }> };
      }
    ).requestBody.content["application/json"]!.examples;
    expect(Object.keys(examples).length).toBeGreaterThan(0);
    for (const { value } of Object.values(examples)) {
      const res = await server.callback(value);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "received" });
    }
  });
});
