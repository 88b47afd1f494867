// Holds every HTTP test to the OpenAPI document: loaded before each test file
// (vitest.config.ts setupFiles), it notes every answer the file's requests get
// from an app's /api/ routes on this machine, and after the file checks each
// against the document (tests/helpers/openapi.ts): its status must be one the
// document names for that route and method, and a JSON body must match the
// schema given for that status. Requests pass through untouched: only a clone
// of a JSON answer is read.
import { afterAll } from "vitest";

type Noted = { method: string; pathname: string; status: number; contentType: string | null; body: Promise<unknown> };

const UNREAD = Symbol("unread");
const LOCAL = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;
const noted: Noted[] = [];
const send = globalThis.fetch;

globalThis.fetch = async function fetchNoted(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await send(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (LOCAL.test(url.hostname) && url.pathname.startsWith("/api/")) {
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const contentType = response.headers.get("content-type");
    const json = contentType?.includes("application/json") && method !== "HEAD" && response.body;
    const body = json
      ? response
          .clone()
          .text()
          .then((text) => (text ? (JSON.parse(text) as unknown) : undefined))
          .catch(() => UNREAD) // cut short (the test aborted it) or not JSON: nothing to hold to a schema
      : Promise.resolve(undefined);
    noted.push({ method, pathname: decodeURIComponent(url.pathname), status: response.status, contentType, body });
  }
  return response;
};

afterAll(async () => {
  if (noted.length === 0) return;
  const { Contract } = await import("./openapi");
  const contract = new Contract();
  const problems = new Set<string>();
  for (const answer of noted.splice(0)) {
    const body = await answer.body;
    if (body === UNREAD) continue;
    for (const problem of contract.check({ ...answer, body }) ?? []) problems.add(problem);
  }
  if (problems.size > 0) {
    throw new Error(`Answers that do not match the OpenAPI document (app/api/*/schema.ts):\n${[...problems].join("\n")}`);
  }
});
