// The benchmark's own routes (the bare route, the least durable ack) are not
// part of the dashboard's build: `npm run bench` serves them from an app of
// its own (scripts/lib/bare-next.ts).
import { describe, expect, it } from "vitest";
import { setupServer } from "./helpers/drivers";
import { defaultDatabase } from "./helpers/server";

const server = setupServer(defaultDatabase());

describe("benchmark route", () => {
  it("a normal build has no /api/bench route", async () => {
    for (const route of ["echo", "floor"]) {
      for (const method of ["GET", "POST"]) {
        const res = await fetch(`${server().url}/api/bench/${route}`, { method, body: method === "POST" ? "{}" : undefined });
        expect(res.status, `${method} ${route}`).toBe(404);
        // The API's catch-all answered: no route of that name exists.
        expect(await res.json(), `${method} ${route}`).toMatchObject({ error: { code: "not_found" } });
      }
    }
  });
});
