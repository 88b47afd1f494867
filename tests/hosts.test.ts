// DNS rebinding: requests naming a host the dashboard does not answer to are refused.
import http from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { coverFailure } from "./helpers/callbacks";
import { taskDetail } from "./helpers/http";
import { uniqueTaskId } from "./helpers/ids";
import { startServer, TOKEN, type TestServer } from "./helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { PUBLIC_BASE_URL: "https://dashboard.example.com" } });
});
afterAll(async () => {
  await server?.stop();
});

/** A request with a chosen Host header (fetch does not allow setting it); answers the status. */
function requestWithHost(method: "GET" | "POST", path: string, host: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host };
    if (body !== undefined) headers["content-type"] = "application/json";
    const req = http.request({ host: "127.0.0.1", port: server.port, method, path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end(body);
  });
}

const getWithHost = (path: string, host: string) => requestWithHost("GET", path, host);

it("answers at localhost, IP addresses and PUBLIC_BASE_URL's host, and refuses other names", async () => {
  for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, "dashboard.example.com", `[::1]:${server.port}`]) {
    expect(await getWithHost("/api/tasks", host), host).toBe(200);
  }
  expect(await getWithHost("/api/tasks", "attacker.example:3000")).toBe(421);
  expect(await getWithHost("/setup", "attacker.example")).toBe(421);
});

it("still takes callbacks and health checks whatever the host", async () => {
  // The provider may call back through any name (a tunnel, a proxy): both receivers store what it sends.
  for (const path of ["/api/callbacks", "/api/callbacks/cover"]) {
    const taskId = uniqueTaskId("any-host");
    const body = JSON.stringify(coverFailure(taskId));
    expect(await requestWithHost("POST", `${path}?token=${TOKEN}`, "attacker.example", body), path).toBe(200);
    const detail = await taskDetail(server, taskId);
    expect(detail.task).toMatchObject({ taskId, status: "failed", deliveryCount: 1 });
    expect(detail.deliveries).toMatchObject([{ verdict: "accepted", body, path }]);
  }
  // The token is still checked there.
  expect(await requestWithHost("POST", "/api/callbacks?token=wrong-token-wrong", "attacker.example", "{}")).toBe(401);
  expect(await getWithHost("/api/health", "attacker.example")).toBe(200);
});
