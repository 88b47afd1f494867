// DNS rebinding: requests naming a host the dashboard does not answer to are refused.
import http from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startServer, type TestServer } from "./helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { PUBLIC_BASE_URL: "https://dashboard.example.com" } });
});
afterAll(async () => {
  await server?.stop();
});

/** GET with a chosen Host header (fetch does not allow setting it). */
function getWithHost(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port: server.port, path, headers: { host } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on("error", reject);
  });
}

it("answers at localhost, IP addresses and PUBLIC_BASE_URL's host, and refuses other names", async () => {
  for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, "dashboard.example.com", `[::1]:${server.port}`]) {
    expect(await getWithHost("/api/tasks", host), host).toBe(200);
  }
  expect(await getWithHost("/api/tasks", "attacker.example:3000")).toBe(421);
  expect(await getWithHost("/setup", "attacker.example")).toBe(421);
});

it("still takes callbacks and health checks whatever the host", async () => {
  expect(await getWithHost("/api/health", "attacker.example")).toBe(200);
});
