// The libSQL client's requests (db/libsql-fetch.ts) go out on kept-alive
// connections. One the server has closed while it sat idle (as when a
// serverless function was frozen) fails the next request sent on it; that
// request is asked once more on a fresh connection, and only that one.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { libsqlFetch } from "@/db/libsql-fetch";

type Drop = (requestOnConnection: number) => boolean;

/** A server that answers {n} (the request's number on its connection), or closes the connection instead when `drop` says so. */
async function startServer(drop: Drop) {
  const seen: ("answered" | "dropped")[] = [];
  const perSocket = new WeakMap<object, number>();
  const server = http.createServer((req, res) => {
    const n = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, n);
    req.resume();
    req.on("end", () => {
      if (drop(n)) {
        seen.push("dropped");
        req.socket.destroy();
        return;
      }
      seen.push("answered");
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ n }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/pipeline`;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url, seen, close };
}

describe("libSQL requests on kept-alive connections", () => {
  const servers: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  const post = (url: string) =>
    libsqlFetch(new Request(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }));

  it("a request on a connection closed under it is sent again, on a new connection", async () => {
    const server = await startServer((n) => n === 2);
    servers.push(server);
    expect(await (await post(server.url)).json()).toEqual({ n: 1 });
    const second = await post(server.url);
    expect(second.status).toBe(200);
    // The reused connection dropped it; a fresh one answered it as its first request.
    expect(await second.json()).toEqual({ n: 1 });
    expect(server.seen).toEqual(["answered", "dropped", "answered"]);
  });

  it("a request dropped on a fresh connection fails, and is not sent again", async () => {
    const server = await startServer(() => true);
    servers.push(server);
    await expect(post(server.url)).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(server.seen).toEqual(["dropped"]);
  });
});
