// What a route answers when its request does not parse: every route reads its
// body, query and path through route() in lib/server/route.ts, and each
// refusal keeps its status and error body (the HTTP contract of http-api.md).
import { expect, it } from "vitest";
import { setupServer } from "./helpers/drivers";
import { defaultDatabase } from "./helpers/server";

const server = setupServer(defaultDatabase(), { env: { WORKER: "0" } });

type Case = { method: string; path: string; body?: string; status: number; code: string; message: string };

const NOT_JSON = "{not json";
const cases: Case[] = [
  // bodies
  {
    method: "POST",
    path: "/api/tasks",
    body: NOT_JSON,
    status: 400,
    code: "invalid_json",
    message: 'The body must be JSON, e.g. {"action":"cover","musicTaskId":"..."}.',
  },
  {
    method: "POST",
    path: "/api/tasks",
    body: '{"action":"poke"}',
    status: 400,
    code: "invalid_request",
    message: "action: Invalid discriminator value. Expected 'track' | 'cover' | 'wav'",
  },
  {
    method: "POST",
    path: "/api/deliveries/replay",
    body: NOT_JSON,
    status: 400,
    code: "invalid_json",
    message: 'The body must be JSON, e.g. {"verdict":"rejected","since":"2025-01-01T00:00:00Z"}.',
  },
  { method: "POST", path: "/api/deliveries/replay", body: "{}", status: 400, code: "invalid_request", message: "since: is required" },
  { method: "POST", path: "/api/destinations", body: NOT_JSON, status: 400, code: "invalid_json", message: "The body must be JSON." },
  { method: "POST", path: "/api/destinations", body: "[]", status: 400, code: "invalid_request", message: "body: is required" },
  {
    method: "PATCH",
    path: "/api/destinations/999999",
    body: NOT_JSON,
    status: 400,
    code: "invalid_json",
    message: "The body must be JSON.",
  },
  // the path is read first: an id that cannot exist is unknown whatever the body
  { method: "PATCH", path: "/api/destinations/abc", body: NOT_JSON, status: 404, code: "not_found", message: "No such destination." },
  { method: "DELETE", path: "/api/destinations/0", status: 404, code: "not_found", message: "No such destination." },
  { method: "POST", path: "/api/destinations/1x/test", status: 404, code: "not_found", message: "No such destination." },
  { method: "GET", path: "/api/destinations/-1/attempts", status: 404, code: "not_found", message: "No such destination." },
  { method: "POST", path: "/api/notifications/x/resend", status: 404, code: "not_found", message: "No such notification." },
  { method: "GET", path: "/api/deliveries/abc", status: 404, code: "not_found", message: "No such delivery." },
  { method: "POST", path: "/api/deliveries/abc/replay", status: 404, code: "not_found", message: "No such delivery." },
  { method: "GET", path: "/api/assets/0x1/file", status: 404, code: "not_found", message: "No such asset." },
  { method: "GET", path: "/api/assets/1e0/thumbnail", status: 404, code: "not_found", message: "No such asset." },
  { method: "GET", path: "/api/assets/%201/waveform", status: 404, code: "not_found", message: "No such asset." },
  { method: "POST", path: "/api/assets/abc/download", status: 404, code: "not_found", message: "No such asset." },
  {
    method: "POST",
    path: `/api/tasks/${encodeURIComponent("no spaces")}/download`,
    status: 404,
    code: "not_found",
    message: "No such task.",
  },
  // queries
  {
    method: "GET",
    path: "/api/tasks?limit=5000",
    status: 400,
    code: "invalid_request",
    message: "limit: Too big: expected number to be <=200",
  },
  {
    method: "GET",
    path: "/api/deliveries?verdict=maybe",
    status: 400,
    code: "invalid_request",
    message: 'verdict: Invalid option: expected one of "accepted"|"duplicate"|"rejected"',
  },
  {
    method: "GET",
    path: "/api/destinations/1/attempts?cursor=0",
    status: 400,
    code: "invalid_request",
    message: "cursor: is not a cursor this API gave out",
  },
  {
    method: "GET",
    path: "/api/insights?days=0",
    status: 400,
    code: "invalid_request",
    message: "days: Too small: expected number to be >=1",
  },
  {
    method: "GET",
    path: "/api/export?kind=song",
    status: 400,
    code: "invalid_request",
    message: 'kind: Invalid option: expected one of "cover"|"wav"|"music"|"lyrics"|"separation"|"midi"|"video"|"other"',
  },
  {
    method: "GET",
    path: "/api/export/tasks.csv?status=done",
    status: 400,
    code: "invalid_request",
    message: 'status: Invalid option: expected one of "pending"|"succeeded"|"failed"',
  },
];

it("requests that do not parse are refused with their status and error body", async () => {
  const answers = await Promise.all(
    cases.map(async (c) => {
      const res = await fetch(`${server().url}${c.path}`, {
        method: c.method,
        body: c.body,
        headers: c.body === undefined ? {} : { "content-type": "application/json" },
      });
      return { method: c.method, path: c.path, status: res.status, body: await res.json() };
    }),
  );
  expect(answers).toEqual(
    cases.map((c) => ({ method: c.method, path: c.path, status: c.status, body: { error: { code: c.code, message: c.message } } })),
  );
});
