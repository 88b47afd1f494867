// The benchmark's bare route is not part of the dashboard's build: `npm run
// bench` serves it from an app of its own (scripts/lib/bare-next.ts).
import { describe, expect, it } from "vitest";
import { setupServer } from "./helpers/drivers";
import { defaultDatabase } from "./helpers/server";

const server = setupServer(defaultDatabase());

describe("benchmark route", () => {
  it("a normal build has no /api/bench route", async () => {
    for (const method of ["GET", "POST"]) {
      const res = await fetch(`${server().url}/api/bench/echo`, { method, body: method === "POST" ? "{}" : undefined });
      expect(res.status, method).toBe(404);
      // The API's catch-all answered: no route of that name exists.
      expect(await res.json(), method).toMatchObject({ error: { code: "not_found" } });
    }
  });
});
