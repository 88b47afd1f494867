// The fetch the libSQL client sends its requests with: node:http(s) on
// keep-alive connections instead of the global fetch. Inside a route handler
// the global fetch is Next.js's patched one (cache bookkeeping, tracing) over
// undici's web streams (and zlib for compressed answers); under callback load
// that machinery took ≈40 % of the app's CPU per callback, a little on every
// round trip to the database. The answers are small JSON (no streaming
// needed), so each is read whole and handed back as it is. The client's
// one-shot streams are kept open on the server between requests
// (db/libsql-streams.ts).
import "server-only";
import http from "node:http";
import https from "node:https";
import { processSingleton } from "@/lib/core/registry";
import { isOneShot, StreamPool, type Answer } from "./libsql-streams";

/** No request to the libSQL server may hang the process: one that has not answered by then fails. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * A lone UTF-16 surrogate (half an emoji, e.g. in a callback's text) is
 * JSON-encoded as a \udXXX escape, which the server refuses (400): the whole
 * write would fail. Stored as U+FFFD instead, as SQLite does in a file. Only
 * lone surrogates are escaped by JSON.stringify; pairs stay characters.
 */
const LONE_SURROGATE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u[dD][89a-fA-F][0-9a-fA-F]{2}/g;

const agents = {
  "http:": new http.Agent({ keepAlive: true }),
  "https:": new https.Agent({ keepAlive: true }),
};

const streams = processSingleton("libsql-streams", () => new StreamPool(post));

/**
 * What the client reads of an answer (its option asks for "an object compatible
 * with the Web Response"): a Response would wrap the body in a web stream only
 * for the client to read it back out.
 */
export type LibsqlAnswer = Pick<Response, "ok" | "status" | "statusText" | "headers" | "body" | "text" | "json" | "arrayBuffer">;

export async function libsqlFetch(input: Request): Promise<LibsqlAnswer> {
  const url = new URL(input.url);
  const headers: Record<string, string> = Object.fromEntries(input.headers);
  const answer =
    input.method === "POST"
      ? await sendPipeline(url, headers, await input.text())
      : await exchange(url, { method: input.method, headers }, null);
  return {
    ok: answer.status >= 200 && answer.status < 300,
    status: answer.status,
    statusText: answer.statusText,
    headers: answer.headers,
    body: null,
    text: async () => answer.body,
    json: async () => JSON.parse(answer.body),
    arrayBuffer: async () => new TextEncoder().encode(answer.body).buffer as ArrayBuffer,
  };
}

/** Sends a Hrana pipeline (JSON) as the client's requests go: a one-shot one on a kept stream. */
export function sendPipeline(url: URL, headers: Record<string, string>, pipeline: string): Promise<Answer> {
  const body = pipeline.replace(LONE_SURROGATE_ESCAPE, "$1\\ufffd");
  return isOneShot(body) ? streams.oneShot(url, headers, body) : post(url, headers, body);
}

/** Closes the server-side streams kept open (the database handle is closing). */
export function closeLibsqlStreams(): Promise<void> {
  return streams.closeAll();
}

function post(url: URL, headers: Record<string, string>, body: string): Promise<Answer> {
  return exchange(url, { method: "POST", headers }, Buffer.from(body));
}

async function exchange(url: URL, options: { method: string; headers: Record<string, string> }, body: Buffer | null): Promise<Answer> {
  const agent = agents[url.protocol as keyof typeof agents];
  if (!agent) throw new Error(`libSQL: unsupported protocol ${url.protocol}`);
  const request = { ...options, headers: body ? { ...options.headers, "content-length": String(body.length) } : options.headers, agent };
  try {
    return await send(url, request, body);
  } catch (error) {
    // An idle kept-alive connection the server had closed (e.g. while a serverless
    // function was frozen) fails the request sent on it before the server reads
    // it: asked once more, on a fresh connection.
    if (!(error instanceof StaleConnection)) throw error;
    return send(url, request, body);
  }
}

/** A request that failed on a reused connection before any answer came. */
class StaleConnection extends Error {}

function send(url: URL, options: http.RequestOptions, body: Buffer | null): Promise<Answer> {
  const request = url.protocol === "https:" ? https.request : http.request;
  return new Promise<Answer>((resolve, reject) => {
    let answered = false;
    const req = request(url, options, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const answer = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) answer.append(name, v);
        }
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? "",
          headers: answer,
          body: Buffer.concat(chunks).toString(),
        });
      });
    });
    const deadline = setTimeout(
      () => req.destroy(new Error(`libSQL: no answer from ${url.host} within ${REQUEST_TIMEOUT_MS / 1000} s`)),
      REQUEST_TIMEOUT_MS,
    );
    req.on("close", () => clearTimeout(deadline));
    req.on("error", (error: NodeJS.ErrnoException) => {
      const stale = req.reusedSocket && !answered && (error.code === "ECONNRESET" || error.code === "EPIPE");
      reject(stale ? new StaleConnection(error.message, { cause: error }) : error);
    });
    req.end(body ?? undefined);
  });
}
