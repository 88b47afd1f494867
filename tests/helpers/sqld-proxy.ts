// A TCP proxy in front of a libSQL server (sqld) that counts the HTTP requests
// passing through it and can hold every chunk for a while in each direction,
// as a network between the app and Turso would (`delayMs` one way, so a round
// trip costs twice that). The round-trip test (tests/round-trips.test.ts)
// counts with it; `npm run bench -- round-trips` measures with a 20 ms round trip.
// Requests are told apart by reading the client's bytes as HTTP/1.1: each
// request's head, then its body by Content-Length or chunked framing.
import net from "node:net";
import { waitFor } from "./wait";

/** A request as it passed: `at` is performance.now() when its head arrived; `body` fills in as its bytes do (latin1). */
export type ProxiedRequest = { method: string; path: string; at: number; body: string };

export type SqldProxy = {
  /** http://127.0.0.1:<port>: give it to the app as DATABASE_URL. */
  url: string;
  /** Every request seen so far, oldest first (`at`: performance.now() when its head arrived). */
  requests: () => ProxiedRequest[];
  close: () => Promise<void>;
};

export async function startSqldProxy(target: string, options: { delayMs?: number } = {}): Promise<SqldProxy> {
  const upstream = new URL(target);
  const delayMs = options.delayMs ?? 0;
  const seen: ProxiedRequest[] = [];
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    const sqld = net.connect(Number(upstream.port), upstream.hostname);
    sockets.add(client).add(sqld);
    const parser = requestParser((method, path) => {
      const request = { method, path, at: performance.now(), body: "" };
      seen.push(request);
      return (bytes) => (request.body += bytes.toString("latin1"));
    });
    client.on("data", (chunk) => {
      parser(chunk);
      relay(sqld, chunk);
    });
    sqld.on("data", (chunk) => relay(client, chunk));
    const end = () => {
      client.destroy();
      sqld.destroy();
      sockets.delete(client);
      sockets.delete(sqld);
    };
    for (const socket of [client, sqld]) {
      socket.on("error", end);
      socket.on("close", end);
    }
  });

  /** Writes `chunk` after the delay, in order: every chunk of a direction waits as long. */
  const due = new WeakMap<net.Socket, number>();
  const relay = (to: net.Socket, chunk: Buffer) => {
    if (delayMs === 0) return void to.write(chunk);
    const at = Math.max(performance.now() + delayMs, due.get(to) ?? 0);
    due.set(to, at);
    setTimeout(() => to.writable && to.write(chunk), at - performance.now());
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => [...seen],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export type Counted = {
  status: number;
  /** Requests to the libSQL server the answer waited for. */
  before: number;
  /** Requests until the work after the answer was over. */
  all: number;
  /** From sending the request to the end of the answer's body. */
  ms: number;
  /** The requests counted in `all`. */
  made: ProxiedRequest[];
};

/**
 * Runs `request` and waits until the work after it is over (no request for
 * `quietMs`): how many requests reached the proxy before its answer, and in
 * all. The proxy must hold chunks `oneWayMs` each way: the last request the
 * answer waited for reached it at least that long before the answer reached
 * the caller, and every request made after the answer reached it later than
 * the answer was sent, so the line is drawn half a delay before the answer.
 */
export async function countRequests(
  proxy: SqldProxy,
  request: () => Promise<Response>,
  { oneWayMs, quietMs }: { oneWayMs: number; quietMs: number },
): Promise<Counted> {
  await quiet(proxy, quietMs);
  const start = proxy.requests().length;
  const sentAt = performance.now();
  const response = await request();
  await response.arrayBuffer();
  const answeredAt = performance.now();
  const made = (await quiet(proxy, quietMs)).slice(start);
  return {
    status: response.status,
    before: made.filter((r) => r.at < answeredAt - oneWayMs / 2).length,
    all: made.length,
    ms: answeredAt - sentAt,
    made,
  };
}

/** Waits until no request has come for `quietMs`; answers every request so far. */
export function quiet(proxy: SqldProxy, quietMs: number): Promise<ProxiedRequest[]> {
  let last = proxy.requests().length;
  let since = performance.now();
  return waitFor(
    () => proxy.requests(),
    (seen) => {
      if (seen.length !== last) [last, since] = [seen.length, performance.now()];
      return performance.now() - since >= quietMs;
    },
    { what: "the app to stop sending requests", timeoutMs: 60_000, stepMs: Math.min(100, quietMs / 5) },
  );
}

/** Feeds a client's bytes through an HTTP/1.1 request reader that calls `onRequest` per request head, and what it answers with the request's body bytes. */
function requestParser(onRequest: (method: string, path: string) => (body: Buffer) => void): (chunk: Buffer) => void {
  let buffer = Buffer.alloc(0);
  let onBody: (body: Buffer) => void = () => {};
  /** What comes next: a request head, `body` bytes to skip, or chunked framing. */
  let state: { in: "head" } | { in: "body"; left: number } | { in: "chunk-size" } | { in: "chunk"; left: number } | { in: "trailer" } = {
    in: "head",
  };
  return (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (state.in === "body" || state.in === "chunk") {
        const take = Math.min(state.left, buffer.length);
        onBody(buffer.subarray(0, take));
        buffer = buffer.subarray(take);
        state.left -= take;
        if (state.left > 0) return;
        // A chunk's data ends with CRLF, read as the next size line's prefix.
        state = state.in === "body" ? { in: "head" } : { in: "chunk-size" };
        continue;
      }
      const eol = buffer.indexOf(state.in === "head" ? "\r\n\r\n" : "\r\n");
      if (eol < 0) return;
      const text = buffer.subarray(0, eol).toString("latin1");
      buffer = buffer.subarray(eol + (state.in === "head" ? 4 : 2));
      if (state.in === "head") {
        const [requestLine = "", ...headerLines] = text.split("\r\n");
        const [method = "", path = ""] = requestLine.split(" ");
        onBody = onRequest(method, path);
        const header = (name: string) =>
          headerLines
            .find((l) => l.toLowerCase().startsWith(`${name}:`))
            ?.slice(name.length + 1)
            .trim()
            .toLowerCase();
        if (header("transfer-encoding")?.includes("chunked")) state = { in: "chunk-size" };
        else state = { in: "body", left: Number(header("content-length") ?? 0) };
      } else if (state.in === "chunk-size") {
        if (text === "") continue; // the CRLF after a chunk's data
        const size = parseInt(text, 16);
        state = size === 0 ? { in: "trailer" } : { in: "chunk", left: size };
      } else if (text === "") {
        state = { in: "head" }; // the empty line that ends the trailers
      }
    }
  };
}
