// Seeding and small local servers for the browser tests. Data goes in the way
// it does in production: callbacks POSTed over HTTP.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "@playwright/test";
import { fixture, type TestServer } from "../tests/helpers/server";

export async function postCallback(server: TestServer, body: unknown, path?: string): Promise<number> {
  const res = await server.callback(body, { path });
  return res.status;
}

/** The shared callback fixtures, each posted once. */
export async function seedFixtures(server: TestServer): Promise<void> {
  for (const name of [
    "cover-success.json",
    "cover-failed-501.json",
    "wav-success.json",
    "wav-failed-451.json",
    "cover-refunded-531.json",
    "not-a-callback.json",
  ]) {
    await server.callback(fixture(`callbacks/${name}`));
  }
}

export const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A local HTTP server for files or a fake provider; answers 404 for unknown paths. */
export async function localServer(routes: Record<string, Route>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const handler = routes[path];
    if (handler) handler(req, res);
    else res.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendBytes(body: Buffer, contentType: string): Route {
  return (_req, res) => {
    res.writeHead(200, { "content-type": contentType, "content-length": body.length });
    res.end(body);
  };
}

/** Waits until the task's assets are all in one of `statuses`, via the JSON API. */
export async function waitForAssets(server: TestServer, taskId: string, statuses: string[], timeout = 30_000) {
  await expect
    .poll(
      async () => {
        const { body } = await server.getJson<{ assets: { status: string }[] }>(`/api/tasks/${taskId}`);
        return body.assets.length > 0 && body.assets.every((a) => statuses.includes(a.status));
      },
      { timeout, message: `assets of ${taskId} to be ${statuses.join("/")}` },
    )
    .toBe(true);
}
