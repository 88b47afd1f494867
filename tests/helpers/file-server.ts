// A local HTTP server standing in for the provider's file host: routes are
// plain handlers, and every request is counted per path so tests can prove a
// URL was (or was never) requested.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export type FileServer = {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Requests seen for a path (all paths when omitted). */
  hits: (path?: string) => number;
  /** Connections the server saw closed, e.g. after a client gave up on a stalled response. */
  closedConnections: () => number;
  route: (path: string, handler: Handler) => void;
  close: () => Promise<void>;
};

export async function startFileServer(host = "127.0.0.1"): Promise<FileServer> {
  const routes = new Map<string, Handler>();
  const hits = new Map<string, number>();
  let closed = 0;
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const handler = routes.get(path);
    if (handler) return handler(req, res);
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  server.on("connection", (socket) => socket.on("close", () => closed++));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    hits: (path) => (path ? (hits.get(path) ?? 0) : [...hits.values()].reduce((a, b) => a + b, 0)),
    closedConnections: () => closed,
    route: (path, handler) => routes.set(path, handler),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves fixed bytes with a Content-Type and Content-Length. */
export function bytes(body: Buffer, contentType: string): Handler {
  return (_req, res) => {
    res.writeHead(200, { "content-type": contentType, "content-length": body.length });
    res.end(body);
  };
}

/** Serves `body` in chunks with a pause between them (a slow remote). */
export function slowly(body: Buffer, contentType: string, chunkBytes: number, pauseMs: number): Handler {
  return (_req, res) => {
    res.writeHead(200, { "content-type": contentType, "content-length": body.length });
    let offset = 0;
    const next = () => {
      if (res.destroyed) return;
      if (offset >= body.length) return void res.end();
      res.write(body.subarray(offset, offset + chunkBytes));
      offset += chunkBytes;
      setTimeout(next, pauseMs);
    };
    next();
  };
}
