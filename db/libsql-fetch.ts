// The fetch the libSQL client sends its requests with: node:http(s) on
// keep-alive connections instead of the global fetch. Inside a route handler
// the global fetch is Next.js's patched one (cache bookkeeping, tracing) over
// undici's web streams (and zlib for compressed answers); under callback load
// that machinery took ≈40 % of the app's CPU per callback, a little on every
// round trip to the database. The answers are small JSON (no streaming
// needed), so each is read whole and handed back as a Response.
import "server-only";
import http from "node:http";
import https from "node:https";

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

export async function libsqlFetch(input: Request): Promise<Response> {
  const url = new URL(input.url);
  const agent = agents[url.protocol as keyof typeof agents];
  if (!agent) throw new Error(`libSQL: unsupported protocol ${url.protocol}`);
  const body = input.method === "POST" ? Buffer.from((await input.text()).replace(LONE_SURROGATE_ESCAPE, "$1\\ufffd")) : null;
  const headers: Record<string, string> = Object.fromEntries(input.headers);
  if (body) headers["content-length"] = String(body.length);
  try {
    return await send(url, { method: input.method, headers, agent }, body);
  } catch (error) {
    // An idle kept-alive connection the server had closed (e.g. while a serverless
    // function was frozen) fails the request sent on it before the server reads
    // it: asked once more, on a fresh connection.
    if (!(error instanceof StaleConnection)) throw error;
    return send(url, { method: input.method, headers, agent }, body);
  }
}

/** A request that failed on a reused connection before any answer came. */
class StaleConnection extends Error {}

function send(url: URL, options: http.RequestOptions, body: Buffer | null): Promise<Response> {
  const request = url.protocol === "https:" ? https.request : http.request;
  return new Promise<Response>((resolve, reject) => {
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
        // 204 and 304 answers carry no body, and Response refuses one for them.
        const status = res.statusCode ?? 0;
        const empty = status === 204 || status === 304;
        resolve(new Response(empty ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage, headers: answer }));
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
