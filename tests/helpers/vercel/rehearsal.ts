// A rehearsal of a Vercel deployment on this machine, on what Vercel runs:
//
// - buildForVercel(): `vercel build --yes` (the pinned CLI, the Next.js preset,
//   no settings) on a copy of the project, giving `.vercel/output`.
// - startVercel(): a small front router that serves that output the way
//   Vercel's edge does for this app: the routes of `config.json` (headers,
//   redirects, rewrites of dynamic paths, the middleware for the paths its
//   matcher covers), files of `static/`, and each function, materialized from
//   its `.vc-config.json` (`filePathMap` plus its `.func` folder's own files)
//   into an empty folder that is then read-only, run on Node 24 by
//   function-host.mjs, one invocation at a time, and frozen (SIGSTOP) between
//   invocations once everything it handed to `waitUntil` has finished.
//
// Not rehearsed: Vercel's CDN caching, regions, cold-start limits, the
// 250 MB limit as Vercel measures it (see bundleBytes), real Turso and R2.
import { execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { copyProject, removeReadOnly, spawnReadOnly } from "../artifacts";
import { killWithTests } from "../children";
import { node24 } from "../node24";
import { freePort } from "../ports";

const HOST_SCRIPT = path.join(import.meta.dirname, "function-host.mjs");

export type VercelBuild = {
  /** The project copy that was built (sources of `filePathMap`). */
  projectDir: string;
  /** `<projectDir>/.vercel/output` */
  output: string;
  /** What `vercel build` printed. */
  log: string;
  remove: () => void;
};

/** `vercel build --yes` on a fresh copy of the project, as an import with the Next.js preset would. Throws with its output when it fails. */
export function buildForVercel(): VercelBuild {
  const projectDir = copyProject("suno-vercel-");
  fs.mkdirSync(path.join(projectDir, ".vercel"));
  fs.writeFileSync(
    path.join(projectDir, ".vercel", "project.json"),
    JSON.stringify({ projectId: "rehearsal", orgId: "rehearsal", settings: { framework: "nextjs" } }),
  );
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", VERCEL_TELEMETRY_DISABLED: "1", CI: "1" };
  // Nothing of the test run's own configuration may reach the build.
  for (const key of Object.keys(env)) if (/^(TEST_|DATABASE_|STORAGE_|S3_|NEXT_OUTPUT)/.test(key)) delete env[key];
  let log: string;
  try {
    log = execFileSync(process.execPath, [path.join(projectDir, "node_modules", "vercel", "dist", "vc.js"), "build", "--yes"], {
      cwd: projectDir,
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 << 20,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    fs.rmSync(projectDir, { recursive: true, force: true });
    throw new Error(`vercel build failed:\n${stdout ?? ""}\n${stderr ?? ""}`);
  }
  return {
    projectDir,
    output: path.join(projectDir, ".vercel", "output"),
    log,
    remove: () => fs.rmSync(projectDir, { recursive: true, force: true }),
  };
}

type VcConfig = { handler: string; runtime: string; useWebApi?: boolean; filePathMap?: Record<string, string>; launcherType?: string };

/** Every function of the output: its path (`api/health`), folder and configuration. Aliases (symbolic links) are left out. */
export function listFunctions(output: string): { name: string; dir: string; config: VcConfig }[] {
  const root = path.join(output, "functions");
  const found: { name: string; dir: string; config: VcConfig }[] = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.name.endsWith(".func") || !entry.isDirectory()) continue;
    const dir = path.join(entry.parentPath, entry.name);
    const config = JSON.parse(fs.readFileSync(path.join(dir, ".vc-config.json"), "utf8")) as VcConfig;
    found.push({ name: path.relative(root, dir).replace(/\.func$/, ""), dir, config });
  }
  return found;
}

/** The files a function is deployed with: its folder's own files, and `filePathMap` (function path → source in the project). */
function functionFiles(projectDir: string, dir: string, config: VcConfig): Map<string, string> {
  const files = new Map<string, string>();
  for (const [target, source] of Object.entries(config.filePathMap ?? {})) files.set(target, path.resolve(projectDir, source));
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isDirectory()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, file), file);
  }
  return files;
}

/** Unzipped size of a function as deployed (what Vercel's 250 MB limit is about): every file of its bundle, links counted once at their target's size. */
export function bundleBytes(projectDir: string, dir: string, config: VcConfig): number {
  let total = 0;
  for (const source of functionFiles(projectDir, dir, config).values()) {
    const stat = fs.lstatSync(source);
    total += stat.isSymbolicLink() ? 0 : stat.size;
  }
  return total;
}

/** Copies a function's bundle into `target` (an empty folder): only what Vercel would upload. */
function materialize(projectDir: string, dir: string, config: VcConfig, target: string): void {
  for (const [relative, source] of functionFiles(projectDir, dir, config)) {
    const destination = path.join(target, relative);
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    const stat = fs.lstatSync(source);
    if (stat.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(source), destination);
    else if (stat.isDirectory()) fs.cpSync(source, destination, { recursive: true, verbatimSymlinks: true });
    else fs.copyFileSync(source, destination);
  }
}

type Route = {
  src?: string;
  dest?: string;
  headers?: Record<string, string>;
  status?: number;
  continue?: boolean;
  check?: boolean;
  handle?: string;
  middlewarePath?: string;
  has?: Condition[];
  missing?: Condition[];
  override?: boolean;
  important?: boolean;
};
type Condition = { type: "header" | "query" | "cookie" | "host"; key?: string; value?: string };

export type Invocation = { fn: string; method: string; url: string; status: number };

export type VercelRehearsal = {
  /** http://127.0.0.1:<port>, the deployment's address. */
  url: string;
  /** Every function invocation so far, in order. */
  invocations: Invocation[];
  /** Everything the functions printed, with the function's name on each line. */
  log: () => string;
  /** Functions that exited on their own (crashed), with their exit code or signal. */
  crashes: () => string[];
  /** Resolves once every function has finished what it handed to waitUntil (and is frozen). */
  settled: () => Promise<void>;
  /** The folders the functions run from (read-only), by function name. */
  functionDirs: () => Map<string, string>;
  close: () => Promise<void>;
};

type Instance = {
  name: string;
  dir: string;
  port: number;
  child: ChildProcess;
  ready: Promise<void>;
  frozen: boolean;
  busy: Promise<void>;
};

/** Serves a `vercel build` output on a local port; functions start (on Node 24) when first asked for. */
export async function startVercel(
  build: VercelBuild,
  appEnv: Record<string, string> | ((url: string) => Record<string, string>),
): Promise<VercelRehearsal> {
  const { output, projectDir } = build;
  const { bin: node } = node24();
  const config = JSON.parse(fs.readFileSync(path.join(output, "config.json"), "utf8")) as { routes: Route[] };
  const functionsRoot = path.join(output, "functions");
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "suno-vercel-fns-"));
  const instances = new Map<string, Instance>();
  const invocations: Invocation[] = [];
  const crashes: string[] = [];
  let logText = "";
  let closing = false;
  let started = 0;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  // The environment Vercel gives a function, and the project's variables; nothing of this machine's.
  const functionEnv: NodeJS.ProcessEnv = {
    NODE_ENV: "production",
    PATH: "/usr/local/bin:/usr/bin:/bin",
    HOME: "/tmp",
    TZ: "UTC",
    LANG: "en_US.UTF-8",
    VERCEL: "1",
    VERCEL_ENV: "production",
    VERCEL_REGION: "iad1",
    VERCEL_URL: `127.0.0.1:${port}`,
    NEXT_TELEMETRY_DISABLED: "1",
    ...(typeof appEnv === "function" ? appEnv(url) : appEnv),
  };

  /** The function folder (following aliases, e.g. `x.rsc.func` → `x.func`) for a path, if any. */
  function functionFor(pathname: string): string | undefined {
    const name = pathname === "/" ? "index" : decodeURIComponent(pathname).replace(/^\/+/, "");
    const dir = path.join(functionsRoot, `${name}.func`);
    if (!dir.startsWith(functionsRoot + path.sep) || !fs.existsSync(path.join(dir, ".vc-config.json"))) return undefined;
    return path.relative(functionsRoot, fs.realpathSync(dir)).replace(/\.func$/, "");
  }

  function staticFile(pathname: string): string | undefined {
    const root = path.join(output, "static");
    const file = path.join(root, decodeURIComponent(pathname));
    if (!file.startsWith(root + path.sep)) return undefined;
    return fs.existsSync(file) && fs.statSync(file).isFile() ? file : undefined;
  }

  async function instance(name: string): Promise<Instance> {
    let found = instances.get(name);
    if (!found) {
      const source = path.join(functionsRoot, `${name}.func`);
      const vc = JSON.parse(fs.readFileSync(path.join(source, ".vc-config.json"), "utf8")) as VcConfig;
      // A new folder for each instance: one that crashed is replaced, as Vercel starts another.
      const target = path.join(workDir, `${name.replace(/[^\w.-]+/g, "_")}-${++started}`);
      fs.mkdirSync(target, { recursive: true });
      materialize(projectDir, source, vc, target);
      const fnPort = await freePort();
      const child = spawnReadOnly(target, node, [HOST_SCRIPT, target, String(fnPort)], {
        cwd: "/tmp",
        env: functionEnv,
        stdio: ["ignore", "pipe", "pipe"],
      });
      killWithTests(child);
      const prefix = `[${name}] `;
      let ready!: () => void;
      let failed!: (error: Error) => void;
      const readyPromise = new Promise<void>((resolve, reject) => {
        ready = resolve;
        failed = reject;
      });
      const append = (chunk: Buffer) => {
        const text = chunk.toString();
        if (text.includes(`[rehearsal] ready on ${fnPort}`)) ready();
        logText += text.replace(/^(?=.)/gm, prefix);
      };
      child.stdout!.on("data", append);
      child.stderr!.on("data", append);
      child.once("exit", (code, signal) => {
        instances.delete(name);
        if (!closing) crashes.push(`${name}: exited with ${signal ?? code}`);
        failed(new Error(`function ${name} exited (${signal ?? code}) before it was ready:\n${logText}`));
      });
      found = { name, dir: target, port: fnPort, child, ready: readyPromise, frozen: false, busy: Promise.resolve() };
      instances.set(name, found);
    }
    await found.ready;
    return found;
  }

  /** One invocation of a function: thaw it, pass the request, freeze it again once it is idle. */
  async function invoke(
    name: string,
    method: string,
    target: string,
    headers: http.IncomingHttpHeaders,
    body: Buffer | undefined,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    const fn = await instance(name);
    const previous = fn.busy;
    let release!: () => void;
    fn.busy = new Promise((resolve) => (release = resolve));
    await previous;
    if (fn.frozen && fn.child.pid) {
      process.kill(fn.child.pid, "SIGCONT");
      fn.frozen = false;
    }
    let answer;
    try {
      answer = await request(fn.port, method, target, headers, body);
    } catch (error) {
      release();
      // The process died mid-invocation: Vercel answers this.
      logText += `[router] ${name}: ${(error as Error).message}\n`;
      return { status: 500, headers: { "content-type": "text/plain" }, body: Buffer.from("FUNCTION_INVOCATION_FAILED") };
    }
    invocations.push({ fn: name, method, url: target, status: answer.status });
    // The client has its answer; the instance runs on until what it handed to
    // waitUntil is done, then freezes until its next invocation.
    void request(fn.port, "GET", "/__rehearsal/idle", {}, undefined)
      .then(() => {
        if (fn.child.pid && fn.child.exitCode === null && !closing) {
          process.kill(fn.child.pid, "SIGSTOP");
          fn.frozen = true;
        }
      })
      .catch(() => {})
      .finally(release);
    return answer;
  }

  /** Resolves once every function is idle (frozen, or never started): all waitUntil work is done. */
  async function settled(): Promise<void> {
    await Promise.all([...instances.values()].map((fn) => fn.busy));
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      route(req, chunks.length ? Buffer.concat(chunks) : undefined).then(
        (answer) => {
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        },
        (error: Error) => {
          logText += `[router] ${req.method} ${req.url}: ${error.stack}\n`;
          res.writeHead(502, { "content-type": "text/plain" });
          res.end(`rehearsal router: ${error.message}`);
        },
      );
    });
  });

  /** Vercel's routing for this output: the phases of config.json, reduced to what its routes use. */
  async function route(req: http.IncomingMessage, body: Buffer | undefined) {
    const original = new URL(req.url ?? "/", url);
    const headers: http.IncomingHttpHeaders = {
      ...req.headers,
      "x-forwarded-for": "203.0.113.7",
      "x-real-ip": "203.0.113.7",
      "x-forwarded-proto": "http",
      "x-forwarded-host": req.headers.host,
      "x-vercel-id": `rehearsal::${Date.now()}`,
    };
    const responseHeaders: Record<string, string | string[]> = {};
    let pathname = original.pathname;
    const query = new URLSearchParams(original.search);
    const respond = (status: number, extra: Record<string, string | string[]>, content: Buffer) => ({
      status,
      headers: { ...responseHeaders, ...extra },
      body: content,
    });

    const phases = splitPhases(config.routes);
    // Before the filesystem: headers, redirects, the middleware, header-based rewrites.
    for (const r of phases.get(null) ?? []) {
      const match = matches(r, pathname, headers, query);
      if (!match) continue;
      if (r.headers) for (const [k, v] of Object.entries(r.headers)) responseHeaders[k.toLowerCase()] = substitute(v, match);
      if (r.status && r.status >= 300 && r.status < 400 && r.headers?.Location) {
        return respond(r.status, {}, Buffer.alloc(0));
      }
      if (r.middlewarePath) {
        const mw = await invoke(
          r.middlewarePath.replace(/^\//, ""),
          req.method ?? "GET",
          original.pathname + original.search,
          headers,
          body,
        );
        if (mw.headers["x-middleware-next"] !== "1" && !mw.headers["x-middleware-rewrite"]) {
          return { status: mw.status, headers: { ...responseHeaders, ...mw.headers }, body: mw.body };
        }
        const overridden = String(mw.headers["x-middleware-override-headers"] ?? "")
          .split(",")
          .filter(Boolean);
        if (overridden.length > 0) {
          for (const name of Object.keys(headers))
            if (!overridden.includes(name) && !name.startsWith("x-forwarded") && name !== "x-real-ip" && name !== "x-vercel-id")
              delete headers[name];
          for (const name of overridden) {
            const value = mw.headers[`x-middleware-request-${name}`];
            if (value === undefined) delete headers[name];
            else headers[name] = value;
          }
        }
        for (const [k, v] of Object.entries(mw.headers)) {
          if (
            k.startsWith("x-middleware-") ||
            v === undefined ||
            ["content-length", "transfer-encoding", "connection", "date", "keep-alive"].includes(k)
          )
            continue;
          responseHeaders[k] = v;
        }
        const rewrite = mw.headers["x-middleware-rewrite"];
        if (typeof rewrite === "string") pathname = new URL(rewrite, url).pathname;
        continue;
      }
      if (r.dest) pathname = applyDest(r.dest, match, query);
      if (!r.continue) break;
    }

    // The filesystem, then the rewrites of dynamic paths (each checked against the filesystem).
    const serve = async (p: string) => {
      const file = staticFile(p);
      if (file) return respond(200, { "content-type": contentType(file) }, fs.readFileSync(file));
      const fn = functionFor(p);
      if (!fn) return undefined;
      const target = original.pathname + (query.size ? `?${query}` : "");
      const answer = await invoke(fn, req.method ?? "GET", target, headers, body);
      return { status: answer.status, headers: { ...responseHeaders, ...answer.headers }, body: answer.body };
    };
    const direct = await serve(pathname);
    if (direct) return direct;
    for (const r of phases.get("rewrite") ?? []) {
      const match = matches(r, pathname, headers, query);
      if (!match || !r.dest) continue;
      const rewritten = applyDest(r.dest, match, query);
      const answer = await serve(rewritten);
      if (answer) return answer;
    }
    const notFound = functionFor("/_not-found");
    if (notFound) {
      const answer = await invoke(notFound, req.method ?? "GET", original.pathname, headers, body);
      return { status: 404, headers: { ...responseHeaders, ...answer.headers }, body: answer.body };
    }
    return respond(404, { "content-type": "text/plain" }, Buffer.from("not found"));
  }

  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actualPort = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${actualPort}`,
    invocations,
    log: () => logText,
    crashes: () => [...crashes],
    settled,
    functionDirs: () => new Map([...instances.values()].map((fn) => [fn.name, fn.dir])),
    close: async () => {
      closing = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all(
        [...instances.values()].map(
          (fn) =>
            new Promise<void>((resolve) => {
              if (fn.child.exitCode !== null || fn.child.signalCode !== null) return resolve();
              fn.child.once("exit", () => resolve());
              fn.child.kill("SIGKILL");
            }),
        ),
      );
      removeReadOnly(workDir);
    },
  };
}

function splitPhases(routes: Route[]): Map<string | null, Route[]> {
  const phases = new Map<string | null, Route[]>();
  let phase: string | null = null;
  for (const r of routes) {
    if (r.handle) {
      phase = r.handle;
      continue;
    }
    if (!phases.has(phase)) phases.set(phase, []);
    phases.get(phase)!.push(r);
  }
  return phases;
}

type Match = { groups: Record<string, string>; numbered: string[] };

function matches(r: Route, pathname: string, headers: http.IncomingHttpHeaders, query: URLSearchParams): Match | undefined {
  if (!r.src) return undefined;
  const m = new RegExp(r.src).exec(pathname);
  if (!m) return undefined;
  const groups: Record<string, string> = { ...(m.groups ?? {}) };
  const holds = (c: Condition) => {
    const actual =
      c.type === "header"
        ? headers[c.key!.toLowerCase()]
        : c.type === "query"
          ? (query.get(c.key!) ?? undefined)
          : c.type === "host"
            ? headers.host
            : undefined;
    if (actual === undefined) return false;
    if (c.value === undefined) return true;
    const cm = new RegExp(`^${c.value}$`).exec(String(actual));
    if (cm?.groups) Object.assign(groups, cm.groups);
    return cm !== null;
  };
  if (r.has && !r.has.every(holds)) return undefined;
  if (r.missing && r.missing.some(holds)) return undefined;
  return { groups, numbered: [...m] };
}

function substitute(template: string, match: Match): string {
  return template
    .replace(/\$([A-Za-z_]\w*)/g, (_, name: string) => match.groups[name] ?? "")
    .replace(/\$(\d+)/g, (_, n: string) => match.numbered[Number(n)] ?? "");
}

function applyDest(dest: string, match: Match, query: URLSearchParams): string {
  const target = new URL(substitute(dest, match), "http://x");
  for (const [k, v] of target.searchParams) query.set(k, v);
  return target.pathname;
}

function contentType(file: string): string {
  const types: Record<string, string> = {
    ".js": "application/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".html": "text/html; charset=utf-8",
    ".woff2": "font/woff2",
    ".txt": "text/plain",
  };
  return types[path.extname(file)] ?? "application/octet-stream";
}

function request(
  port: number,
  method: string,
  target: string,
  headers: http.IncomingHttpHeaders,
  body: Buffer | undefined,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const clean: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(headers))
      if (v !== undefined && k !== "content-length" && k !== "transfer-encoding" && k !== "connection") clean[k] = v;
    if (body) clean["content-length"] = body.length;
    const req = http.request({ host: "127.0.0.1", port, method, path: target, headers: clean }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const out = { ...res.headers };
        delete out["transfer-encoding"];
        delete out["content-length"];
        delete out.connection;
        delete out["keep-alive"];
        resolve({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
