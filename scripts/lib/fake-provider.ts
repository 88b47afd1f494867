// A local stand-in for the Suno API (../shared/spec/suno-api.md): the five
// endpoints with Bearer checking and the provider's rate limit, result files
// (real PNG and WAV bytes) served from here, and callbacks POSTed to the given
// callBackUrl after a delay, retried after 1, 5 and 15 minutes (scaled) when
// the answer is not 200.
//
// Outcomes are chosen per task by markers in musicTaskId / audioId (or the
// tracked taskId given to addTask):
//   fail-<code>    the task fails with that code (cover 400/408/500/501/531, WAV 400/451/500)
//   nocallback     no callback at all: only polling finds the result
//   never          stays pending for ever
//   dup-<n>        the callback is delivered n times
//   reject-<code>  the generate call itself answers that code (401, 402, 404, 422, 429, 455, 500...)
// Submitting the same music task (cover) or track (WAV) again answers the
// provider's "already exists" (cover 400 / WAV 409 with data.taskId).
//
// Test hooks: GET /__requests (every API request: time, path, headers, body),
// GET /__callbacks (every callback attempt), POST /__tasks {kind, taskId, marker?}
// (a task "submitted elsewhere", to track), POST /__control {credits?, maintenance?}.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { makePng, makeWav } from "./media";

export type FakeProviderOptions = {
  port?: number;
  host?: string;
  /** The Bearer key it accepts. */
  key?: string;
  /** Time from submission to the result (and its callback). */
  delayMs?: number;
  /** Scales the callback retry schedule of 1, 5 and 15 minutes (e.g. 0.001 → 60 ms, 300 ms, 900 ms). */
  timeScale?: number;
  /** Starting credit balance; each accepted submission costs one. */
  credits?: number;
  /** Answer "rate limited" past 20 requests in 10 s, as the provider does (default on). */
  enforceRateLimit?: boolean;
  /** Logs one line per notable thing (defaults to silence). */
  log?: (line: string) => void;
};

export type Kind = "cover" | "wav";

export type LoggedRequest = {
  /** Arrival time, ms since the epoch. */
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | null;
  contentType: string | null;
  body: unknown;
  /** The envelope code answered. */
  code: number;
};

export type CallbackAttempt = { at: number; taskId: string; url: string; attempt: number; status: number | null; error: string | null };

export type FakeTask = {
  kind: Kind;
  taskId: string;
  musicTaskId: string | null;
  audioId: string | null;
  callBackUrl: string | null;
  createdAt: number;
  completesAt: number;
  /** null = success; otherwise the failure code. */
  failCode: number | null;
  callback: boolean;
  never: boolean;
  deliveries: number;
  /** Which answer variant record-info uses (alternates between tasks). */
  variant: 0 | 1;
};

export type FakeProvider = {
  url: string;
  port: number;
  key: string;
  requests: LoggedRequest[];
  callbacks: CallbackAttempt[];
  tasks: Map<string, FakeTask>;
  /** Submits work as another client of the same account would (not logged, not rate limited); answers the envelope. */
  generate: (kind: Kind, body: { taskId: string; audioId?: string; callBackUrl: string }) => { code: number; msg: string; data?: unknown };
  /** Registers a task "submitted elsewhere" (for tracking); `marker` as in musicTaskId. */
  addTask: (input: { kind: Kind; taskId: string; marker?: string; callBackUrl?: string }) => FakeTask;
  setCredits: (credits: number) => void;
  setMaintenance: (on: boolean) => void;
  stop: () => Promise<void>;
};

const RATE_LIMIT = 20;
const RATE_WINDOW_MS = 10_000;
const RETRY_MINUTES = [1, 5, 15];
const CALLBACK_TIMEOUT_MS = 15_000;

const COVER_FAILURES: Record<number, string> = {
  400: "Validation error: request parameters invalid",
  408: "Rate limited: timeout",
  500: "Server error",
  501: "Cover generation failed",
  531: "Generation failed, credits refunded, try again",
};
const WAV_FAILURES: Record<number, string> = {
  400: "Unsupported source audio format",
  451: "Unable to download source audio file",
  500: "Internal error, try again later",
};
const REJECTIONS: Record<number, string> = {
  400: "Invalid parameters",
  401: "Unauthorized",
  402: "Insufficient credits",
  404: "Music task not found",
  405: "Rate limited",
  413: "Request too large",
  422: "Invalid parameters",
  429: "Rate limited",
  430: "Call frequency too high",
  455: "System maintenance",
  500: "Internal server error",
};

export async function startFakeProvider(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const key = options.key ?? "fake-key";
  const delayMs = options.delayMs ?? 2_000;
  const timeScale = options.timeScale ?? 0.01;
  const enforceRateLimit = options.enforceRateLimit ?? true;
  const log = options.log ?? (() => {});
  let credits = options.credits ?? 1_000;
  let maintenance = false;
  let counter = 0;

  const tasks = new Map<string, FakeTask>();
  const byWork = new Map<string, string>(); // cover:<music> / wav:<music>:<audio> → taskId
  const requests: LoggedRequest[] = [];
  const callbacks: CallbackAttempt[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const files = new Map<string, Buffer>();
  let baseUrl = "";

  let stopped = false;
  const later = (ms: number, fn: () => void) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  function createTask(
    kind: Kind,
    input: { taskId?: string; musicTaskId: string | null; audioId: string | null; callBackUrl: string | null; marker: string },
  ): FakeTask {
    const now = Date.now();
    const fail = /fail-(\d{3})/.exec(input.marker);
    const dup = /dup-(\d{1,2})/.exec(input.marker);
    const task: FakeTask = {
      kind,
      taskId: input.taskId ?? randomBytes(16).toString("hex"),
      musicTaskId: input.musicTaskId,
      audioId: input.audioId,
      callBackUrl: input.callBackUrl,
      createdAt: now,
      completesAt: now + delayMs,
      failCode: fail ? Number(fail[1]) : null,
      callback: !input.marker.includes("nocallback"),
      never: input.marker.includes("never"),
      deliveries: dup ? Number(dup[1]) : 1,
      variant: (counter++ % 2) as 0 | 1,
    };
    tasks.set(task.taskId, task);
    if (task.callback && task.callBackUrl && !task.never) {
      later(delayMs, () => {
        for (let i = 0; i < task.deliveries; i++) later(i * 100, () => void deliver(task, 0));
      });
    }
    return task;
  }

  function fileUrls(task: FakeTask): string[] {
    return task.kind === "cover" ? [0, 1].map((i) => `${baseUrl}/files/${task.taskId}/${i}.png`) : [`${baseUrl}/files/${task.taskId}.wav`];
  }

  function failureMessage(task: FakeTask): string {
    const table = task.kind === "cover" ? COVER_FAILURES : WAV_FAILURES;
    return table[task.failCode ?? 500] ?? `Failed with code ${task.failCode}`;
  }

  function callbackBody(task: FakeTask): unknown {
    const ok = task.failCode === null;
    if (task.kind === "cover") {
      return ok
        ? { code: 200, msg: "success", data: { taskId: task.taskId, images: fileUrls(task) } }
        : { code: task.failCode, msg: failureMessage(task), data: { taskId: task.taskId, images: null } };
    }
    return ok
      ? { code: 200, msg: "success", data: { audioWavUrl: fileUrls(task)[0], task_id: task.taskId } }
      : { code: task.failCode, msg: failureMessage(task), data: { audioWavUrl: null, task_id: task.taskId } };
  }

  /** One delivery; a non-200 answer (or none) is retried after 1, 5, 15 minutes × timeScale. */
  async function deliver(task: FakeTask, attempt: number): Promise<void> {
    const url = task.callBackUrl!;
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(callbackBody(task)),
        signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    callbacks.push({ at: Date.now(), taskId: task.taskId, url: redactToken(url), attempt, status, error });
    log(`callback ${task.taskId} attempt ${attempt} → ${status ?? error}`);
    const retryIn = RETRY_MINUTES[attempt];
    if (status !== 200 && retryIn !== undefined) later(retryIn * 60_000 * timeScale, () => void deliver(task, attempt + 1));
  }

  function state(task: FakeTask): "pending" | "succeeded" | "failed" {
    if (task.never || Date.now() < task.completesAt) return "pending";
    return task.failCode === null ? "succeeded" : "failed";
  }

  function coverRecord(task: FakeTask) {
    const s = state(task);
    const numeric = task.variant === 0;
    const flag = { pending: numeric ? 0 : "PENDING", succeeded: numeric ? 1 : "SUCCESS", failed: numeric ? 3 : "GENERATE_COVER_FAILED" }[s];
    return {
      taskId: task.taskId,
      parentTaskId: task.musicTaskId,
      callbackUrl: task.callBackUrl ? redactToken(task.callBackUrl) : null,
      createTime: new Date(task.createdAt).toISOString(),
      completeTime: s === "pending" ? null : new Date(task.completesAt).toISOString(),
      response: s === "succeeded" ? { images: fileUrls(task) } : null,
      successFlag: flag,
      errorCode: s === "succeeded" ? 200 : s === "failed" ? task.failCode : null,
      errorMessage: s === "succeeded" ? "" : s === "failed" ? failureMessage(task) : null,
    };
  }

  function wavRecord(task: FakeTask) {
    const s = state(task);
    const flag = { pending: "PENDING", succeeded: "SUCCESS", failed: "GENERATE_WAV_FAILED" }[s];
    const url = fileUrls(task)[0];
    // Variant 1 is the older spelling: `status` and `audio_wav_url`.
    const response = s !== "succeeded" ? null : task.variant === 0 ? { audioWavUrl: url } : { audio_wav_url: url };
    return {
      taskId: task.taskId,
      musicId: task.audioId,
      callbackUrl: task.callBackUrl ? redactToken(task.callBackUrl) : null,
      createTime: utcText(task.createdAt),
      completeTime: s === "pending" ? null : utcText(task.completesAt),
      response,
      ...(task.variant === 0 ? { successFlag: flag } : { status: flag }),
      errorCode: s === "failed" ? task.failCode : null,
      errorMessage: s === "failed" ? failureMessage(task) : null,
    };
  }

  type Answer = { http?: number; code: number; msg: string; data?: unknown };

  function generate(kind: Kind, body: unknown): Answer {
    const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    const musicTaskId = typeof b.taskId === "string" ? b.taskId : "";
    const audioId = typeof b.audioId === "string" ? b.audioId : "";
    const callBackUrl = typeof b.callBackUrl === "string" ? b.callBackUrl : "";
    if (!musicTaskId || !callBackUrl || (kind === "wav" && !audioId)) {
      return { code: 422, msg: `taskId${kind === "wav" ? ", audioId" : ""} and callBackUrl are required` };
    }
    const marker = `${musicTaskId} ${audioId}`;
    const reject = /reject-(\d{3})/.exec(marker);
    if (reject) {
      const code = Number(reject[1]);
      return { code, msg: REJECTIONS[code] ?? "Rejected" };
    }
    const work = kind === "cover" ? `cover:${musicTaskId}` : `wav:${musicTaskId}:${audioId}`;
    const existing = byWork.get(work);
    if (existing) {
      return kind === "cover"
        ? { code: 400, msg: "Cover already generated for this task", data: { taskId: existing } }
        : { code: 409, msg: "WAV record already exists", data: { taskId: existing } };
    }
    if (credits <= 0) return kind === "cover" ? { code: 402, msg: "Insufficient credits" } : { code: 429, msg: "Insufficient credits" };
    credits -= 1;
    const task = createTask(kind, { musicTaskId, audioId: kind === "wav" ? audioId : null, callBackUrl, marker });
    byWork.set(work, task.taskId);
    log(`${kind} task ${task.taskId} for ${musicTaskId}${audioId ? `/${audioId}` : ""}`);
    return { code: 200, msg: "success", data: { taskId: task.taskId } };
  }

  function recordInfo(kind: Kind, query: Record<string, string>): Answer {
    const task = tasks.get(query.taskId ?? "");
    if (!task || task.kind !== kind) return { code: 404, msg: "Task not found", data: null };
    return { code: 200, msg: "success", data: kind === "cover" ? coverRecord(task) : wavRecord(task) };
  }

  function api(method: string, path: string, query: Record<string, string>, body: unknown): Answer {
    if (method === "POST" && path === "/api/v1/suno/cover/generate") return generate("cover", body);
    if (method === "POST" && path === "/api/v1/wav/generate") return generate("wav", body);
    if (method === "GET" && path === "/api/v1/suno/cover/record-info") return recordInfo("cover", query);
    if (method === "GET" && path === "/api/v1/wav/record-info") return recordInfo("wav", query);
    if (method === "GET" && path === "/api/v1/generate/credit") return { code: 200, msg: "success", data: credits };
    return { http: 404, code: 404, msg: `No endpoint ${method} ${path}` };
  }

  function recentArrivals(now: number): number {
    let n = 0;
    for (let i = requests.length - 1; i >= 0 && requests[i]!.at > now - RATE_WINDOW_MS; i--) n++;
    return n;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = Date.now();
    const url = new URL(req.url ?? "/", "http://fake");
    const query = Object.fromEntries(url.searchParams);
    const raw = await readBody(req);
    const send = (status: number, payload: unknown, type = "application/json") => {
      const data = Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload));
      res.writeHead(status, { "content-type": type, "content-length": data.length });
      res.end(data);
    };

    if (url.pathname.startsWith("/files/")) return serveFile(url.pathname, send);
    if (url.pathname.startsWith("/__")) return control(req.method ?? "GET", url.pathname, raw, send);

    let body: unknown = null;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const entry: LoggedRequest = {
      at,
      method: req.method ?? "GET",
      path: url.pathname,
      query,
      authorization: req.headers.authorization ?? null,
      contentType: req.headers["content-type"] ?? null,
      body,
      code: 200,
    };
    const answer = ((): Answer => {
      if (entry.authorization !== `Bearer ${key}`) return { http: 401, code: 401, msg: "Unauthorized: missing or invalid API key" };
      if (enforceRateLimit && recentArrivals(at) >= RATE_LIMIT) {
        return entry.path.startsWith("/api/v1/wav/generate") ? { code: 405, msg: "Rate limited" } : { code: 429, msg: "Rate limited" };
      }
      if (maintenance) return { code: 455, msg: "System maintenance" };
      return api(entry.method, entry.path, query, body);
    })();
    entry.code = answer.code;
    requests.push(entry);
    send(answer.http ?? 200, { code: answer.code, msg: answer.msg, data: answer.data ?? null });
  }

  function serveFile(pathname: string, send: (status: number, payload: unknown, type?: string) => void) {
    const match = /^\/files\/([A-Za-z0-9_.:-]+?)(?:\/(\d)\.png|\.wav)$/.exec(pathname);
    const task = match ? tasks.get(match[1]!) : undefined;
    if (!match || !task) return send(404, { error: "no such file" });
    const cached = files.get(pathname);
    const bytes = cached ?? (match[2] !== undefined ? makePng(256, 256, Number(match[2]) + task.variant * 2) : makeWav(1.5));
    files.set(pathname, bytes);
    send(200, bytes, match[2] !== undefined ? "image/png" : "audio/wav");
  }

  function control(method: string, pathname: string, raw: string, send: (status: number, payload: unknown) => void) {
    const input = (() => {
      try {
        return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        return {};
      }
    })();
    if (pathname === "/__requests" && method === "GET") return send(200, requests);
    if (pathname === "/__requests" && method === "DELETE") return send(200, { cleared: requests.splice(0).length });
    if (pathname === "/__callbacks" && method === "GET") return send(200, callbacks);
    if (pathname === "/__tasks" && method === "GET") return send(200, [...tasks.values()]);
    if (pathname === "/__tasks" && method === "POST") {
      if ((input.kind !== "cover" && input.kind !== "wav") || typeof input.taskId !== "string") {
        return send(400, { error: "kind (cover|wav) and taskId are required" });
      }
      return send(201, provider.addTask({ kind: input.kind, taskId: input.taskId, marker: String(input.marker ?? "") }));
    }
    if (pathname === "/__control" && method === "POST") {
      if (typeof input.credits === "number") credits = input.credits;
      if (typeof input.maintenance === "boolean") maintenance = input.maintenance;
      return send(200, { credits, maintenance });
    }
    send(404, { error: "unknown control endpoint" });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      log(`error: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${options.host ?? "127.0.0.1"}:${port}`;

  const provider: FakeProvider = {
    url: baseUrl,
    port,
    key,
    requests,
    callbacks,
    tasks,
    generate,
    addTask: ({ kind, taskId, marker = "", callBackUrl }) =>
      createTask(kind, { taskId, musicTaskId: null, audioId: null, callBackUrl: callBackUrl ?? null, marker }),
    setCredits: (n) => {
      credits = n;
    },
    setMaintenance: (on) => {
      maintenance = on;
    },
    stop: async () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return provider;
}

/** `YYYY-MM-DD HH:mm:ss` in UTC, as the WAV endpoint writes times. */
function utcText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

function redactToken(url: string): string {
  return url.replace(/([?&]token=)[^&]*/, "$1[redacted]");
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
