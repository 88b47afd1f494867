// Configuration and first start: bad values stop the server with one clear line;
// the callback token is generated once and kept.
import { describe, expect, it } from "vitest";
import { coverSuccess } from "./helpers/callbacks";
import { startServer } from "./helpers/server";

describe("configuration", () => {
  it.each([
    ["DOWNLOAD_MAX_BYTES", "lots"],
    ["WORKER", "yes"],
    ["PUBLIC_BASE_URL", "ftp://example.com"],
    ["DATABASE_URL", "postgres://localhost/x"],
    ["CALLBACK_TOKEN", "short"],
    ["CALLBACK_SIGNING_KEY", "whsec_not base64!"],
    ["CALLBACK_REQUIRE_SIGNATURE", "1"],
  ])("a bad %s stops the server naming the variable", async (name, value) => {
    const error = await startServer({ env: { [name]: value } }).then(
      async (s) => {
        await s.stop();
        return null;
      },
      (e: Error) => e,
    );
    expect(error?.message).toMatch(new RegExp(`Invalid configuration: ${name} `));
    if (name === "CALLBACK_TOKEN" || name === "CALLBACK_SIGNING_KEY") expect(error?.message).not.toContain(value);
  });

  it("without CALLBACK_TOKEN a token is generated on first start, stored, and kept across restarts", async () => {
    const server = await startServer({ env: { CALLBACK_TOKEN: "" } });
    // From the database, whatever the driver (a file, or the sqld that outlives the app's restart).
    const readToken = async () => {
      const rows = await server.sql<{ value: string }>("select value from settings where key = 'callback_token'");
      expect(rows.length).toBeLessThanOrEqual(1);
      return rows[0]?.value;
    };
    const token = await readToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await server.callback(coverSuccess("gen-token-1"), { token: "test-token-0123456789abcdef" })).status).toBe(401);
    expect((await server.callback(coverSuccess("gen-token-1"), { token: token! })).status).toBe(200);

    await server.restart();
    expect(await readToken()).toBe(token);
    expect((await server.callback(coverSuccess("gen-token-2"), { token: token! })).status).toBe(200);
    await server.stop();
  });
});
