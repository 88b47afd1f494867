// Runs one Vercel function the way Vercel's Node.js runtime calls it, on the
// Node version it is started with (the rehearsal uses Node 24, as `nodejs24.x`):
// from the function's own folder (which the rehearsal has made read-only),
// `require` its handler (`___next_launcher.cjs`) and hand it one invocation at
// a time, with `waitUntil` offered through the `@vercel/request-context`
// symbol. A `useWebApi` function (the middleware) takes a `Request` and
// answers a `Response`; the others take Node's `(req, res)`.
//
//   node function-host.mjs <function folder> <port>
//
// `GET /__rehearsal/idle` answers once the last invocation and everything it
// handed to `waitUntil` have finished: then the router may freeze the process
// (SIGSTOP), as Vercel freezes an instance between invocations.
import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { Readable } from "node:stream";

const [dir, port] = process.argv.slice(2);
const config = JSON.parse(fs.readFileSync(path.join(dir, ".vc-config.json"), "utf8"));

// The function folder must refuse writes, as on Vercel: a rehearsal that could
// write there would hide the very failures it exists to find.
try {
  fs.writeFileSync(path.join(dir, ".rehearsal-write-probe"), "");
  console.error(`[rehearsal] ${dir} is writable: refusing to run (make it read-only first)`);
  process.exit(70);
} catch (error) {
  if (error.code !== "EROFS" && error.code !== "EACCES") throw error;
}

const requestContext = new AsyncLocalStorage();
globalThis[Symbol.for("@vercel/request-context")] = { get: () => requestContext.getStore() };

process.chdir(dir);
// The launcher is CommonJS, loaded as Vercel's runtime loads it.
const handler = createRequire(path.join(dir, "/"))(path.join(dir, config.handler));

/** The invocation running now (one at a time), and what it handed to waitUntil. */
let chain = Promise.resolve();
let outstanding = Promise.resolve();

function invoke(req, res) {
  const run = chain.then(async () => {
    const pending = [];
    const context = {
      waitUntil: (promise) => {
        pending.push(Promise.resolve(promise).catch((error) => console.error("[rehearsal] a waitUntil promise rejected:", error)));
      },
      headers: req.headers,
    };
    try {
      await requestContext.run(context, () => (config.useWebApi ? invokeWebApi(req, res) : invokeNode(req, res)));
    } catch (error) {
      console.error("[rehearsal] the invocation threw:", error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("FUNCTION_INVOCATION_FAILED");
    }
    // Work handed to waitUntil may hand over more: wait until none is left.
    for (let seen = 0; seen < pending.length;) {
      const batch = pending.slice(seen);
      seen = pending.length;
      await Promise.all(batch);
    }
  });
  chain = run.catch(() => {});
  outstanding = chain;
}

async function invokeNode(req, res) {
  const done = new Promise((resolve) => {
    res.once("close", resolve);
    res.once("finish", resolve);
  });
  await handler(req, res);
  await done;
}

async function invokeWebApi(req, res) {
  const url = `http://${req.headers.host}${req.url}`;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const request = new Request(url, {
    method: req.method,
    headers,
    body: hasBody ? Readable.toWeb(req) : undefined,
    duplex: hasBody ? "half" : undefined,
  });
  const response = await handler(request);
  const outHeaders = {};
  response.headers.forEach((value, name) => {
    if (name === "set-cookie") return;
    outHeaders[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) outHeaders["set-cookie"] = cookies;
  res.writeHead(response.status, outHeaders);
  if (response.body) for await (const chunk of response.body) res.write(chunk);
  res.end();
}

const server = http.createServer((req, res) => {
  if (req.url === "/__rehearsal/idle") {
    outstanding.then(() => res.end("idle"));
    return;
  }
  invoke(req, res);
});
server.listen(Number(port), "127.0.0.1", () => console.log(`[rehearsal] ready on ${port}`));
