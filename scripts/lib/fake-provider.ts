// A local stand-in for the Suno API (../shared/spec/suno-api.md and
// suno-api-kinds.md): the submit and record-info endpoints of every kind (cover,
// WAV, music, lyrics, stem separation, MIDI, music video) and the credits, with
// Bearer checking and the provider's rate limit; result files (real PNG, WAV,
// MP3 and MP4 bytes) served from here; and callbacks POSTed to the given
// callBackUrl after a delay (music: text, first, then complete), each retried
// after 1, 5 and 15 minutes (scaled) when the answer is not 200. What each
// kind says is in ./fake-kinds.ts.
//
// Outcomes are chosen per task by markers in what was submitted (musicTaskId /
// audioId, a music or lyrics prompt) or in the tracked taskId given to addTask:
//   fail-<code>    the task fails with that code (e.g. cover 501/531, WAV 451, music 400, MIDI 500)
//   nocallback     no callback at all: only polling finds the result
//   never          stays pending for ever
//   halt-first     music that sends text and first, then stays at its first track for ever
//   dup-<n>        the (final) callback is delivered n times
//   reject-<code>  the submit call itself answers that code (401, 402, 404, 422, 429, 455, 500...)
// Submitting the same music task (cover) or track (WAV) again answers the
// provider's "already exists" (cover 400 / WAV 409 with data.taskId).
//
// Test hooks: GET /__requests (every API request: time, path, headers, body),
// GET /__callbacks (every callback attempt), POST /__tasks {kind, taskId, marker?,
// musicTaskId?, audioId?} (a task "submitted elsewhere", to track),
// POST /__control {credits?, maintenance?}.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { callbackStages, isKind, KINDS, newTracks, recordInfo, type FakeTask, type Kind, type Stage } from "./fake-kinds";
import { makeMp3, makePng, makeWav } from "./media";
import { makeMp4 } from "./mp4";

export { KINDS, type FakeTask, type Kind } from "./fake-kinds";

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

export type CallbackAttempt = {
  at: number;
  taskId: string;
  /** Which callback: complete or error, or music's text and first. */
  stage: string;
  url: string;
  attempt: number;
  status: number | null;
  error: string | null;
};

export type FakeProvider = {
  url: string;
  port: number;
  key: string;
  requests: LoggedRequest[];
  callbacks: CallbackAttempt[];
  tasks: Map<string, FakeTask>;
  /**
   * Submits work as another client of the same account would (not logged, not
   * rate limited), with the body its submit endpoint takes (cover `{taskId}`,
   * WAV `{taskId, audioId}`, music `{prompt}`, lyrics `{prompt}`, separation
   * `{taskId, audioId, type?}`, MIDI `{taskId, audioId?}`, video `{taskId, audioId}`,
   * each with `callBackUrl`); answers the envelope.
   */
  generate: (kind: Kind, body: Record<string, unknown>) => { code: number; msg: string; data?: unknown };
  /** Registers a task "submitted elsewhere" (for tracking); `marker` as in musicTaskId. */
  addTask: (input: {
    kind: Kind;
    taskId: string;
    marker?: string;
    callBackUrl?: string;
    musicTaskId?: string;
    audioId?: string;
    prompt?: string;
  }) => FakeTask;
  setCredits: (credits: number) => void;
  setMaintenance: (on: boolean) => void;
  stop: () => Promise<void>;
};

const RATE_LIMIT = 20;
const RATE_WINDOW_MS = 10_000;
const RETRY_MINUTES = [1, 5, 15];
const CALLBACK_TIMEOUT_MS = 15_000;

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

  type NewTask = {
    taskId?: string;
    musicTaskId: string | null;
    audioId: string | null;
    callBackUrl: string | null;
    marker: string;
    prompt?: string | null;
    separationType?: FakeTask["separationType"];
  };

  function createTask(kind: Kind, input: NewTask): FakeTask {
    const now = Date.now();
    const fail = /fail-(\d{3})/.exec(input.marker);
    const dup = /dup-(\d{1,2})/.exec(input.marker);
    const prompt = input.prompt ?? null;
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
      haltsAtFirst: kind === "music" && input.marker.includes("halt-first"),
      deliveries: dup ? Number(dup[1]) : 1,
      variant: (counter++ % 2) as 0 | 1,
      tracks: kind === "music" || kind === "lyrics" ? newTracks(prompt) : [],
      prompt,
      separationType: input.separationType ?? "separate_vocal",
    };
    tasks.set(task.taskId, task);
    if (task.callback && task.callBackUrl && !task.never) {
      const stages = callbackStages(task, baseUrl);
      stages.forEach((stage, i) => {
        // dup-<n> repeats the final callback; the stages before it come once.
        const times = i === stages.length - 1 ? task.deliveries : 1;
        later(stage.afterMs, () => {
          for (let n = 0; n < times; n++) later(n * 100, () => void deliver(task, stage, 0));
        });
      });
    }
    return task;
  }

  /** One delivery; a non-200 answer (or none) is retried after 1, 5, 15 minutes × timeScale. */
  async function deliver(task: FakeTask, stage: Stage, attempt: number): Promise<void> {
    const url = task.callBackUrl!;
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(stage.body),
        signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    callbacks.push({ at: Date.now(), taskId: task.taskId, stage: stage.name, url: redactToken(url), attempt, status, error });
    log(`callback ${task.kind} ${task.taskId} ${stage.name} attempt ${attempt} → ${status ?? error}`);
    const retryIn = RETRY_MINUTES[attempt];
    if (status !== 200 && retryIn !== undefined) later(retryIn * 60_000 * timeScale, () => void deliver(task, stage, attempt + 1));
  }

  function state(task: FakeTask): "pending" | "succeeded" | "failed" {
    if (task.never || task.haltsAtFirst || Date.now() < task.completesAt) return "pending";
    return task.failCode === null ? "succeeded" : "failed";
  }

  type Answer = { http?: number; code: number; msg: string; data?: unknown };

  /** What each kind's submit call requires beside callBackUrl. */
  const REQUIRED: Record<Kind, string[]> = {
    cover: ["taskId"],
    wav: ["taskId", "audioId"],
    music: [],
    lyrics: ["prompt"],
    separation: ["taskId", "audioId"],
    midi: ["taskId"],
    video: ["taskId", "audioId"],
  };

  function generate(kind: Kind, body: unknown): Answer {
    const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    const text = (key: string) => (typeof b[key] === "string" ? (b[key] as string) : "");
    const musicTaskId = text("taskId");
    const audioId = text("audioId");
    const callBackUrl = text("callBackUrl");
    const prompt = text("prompt") || text("title");
    const missing = [...REQUIRED[kind], "callBackUrl"].filter((key) => !text(key));
    if (missing.length > 0) return { code: 422, msg: `${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} required` };
    const marker = `${musicTaskId} ${audioId} ${prompt}`;
    const reject = /reject-(\d{3})/.exec(marker);
    if (reject) {
      const code = Number(reject[1]);
      return { code, msg: REJECTIONS[code] ?? "Rejected" };
    }
    const work = kind === "cover" ? `cover:${musicTaskId}` : kind === "wav" ? `wav:${musicTaskId}:${audioId}` : null;
    const existing = work ? byWork.get(work) : undefined;
    if (existing) {
      return kind === "cover"
        ? { code: 400, msg: "Cover already generated for this task", data: { taskId: existing } }
        : { code: 409, msg: "WAV record already exists", data: { taskId: existing } };
    }
    if (credits <= 0) return kind === "wav" ? { code: 429, msg: "Insufficient credits" } : { code: 402, msg: "Insufficient credits" };
    credits -= 1;
    const task = createTask(kind, {
      musicTaskId: musicTaskId || null,
      audioId: audioId || null,
      callBackUrl,
      marker,
      prompt: prompt || null,
      separationType: text("type") === "split_stem" ? "split_stem" : "separate_vocal",
    });
    if (work) byWork.set(work, task.taskId);
    log(`${kind} task ${task.taskId}${musicTaskId ? ` for ${musicTaskId}` : ""}${audioId ? `/${audioId}` : ""}`);
    return { code: 200, msg: "success", data: { taskId: task.taskId } };
  }

  function recordAnswer(kind: Kind, query: Record<string, string>): Answer {
    const task = tasks.get(query.taskId ?? "");
    if (!task || task.kind !== kind) return { code: 404, msg: "Task not found", data: null };
    return { code: 200, msg: "success", data: recordInfo(task, state(task), Date.now(), baseUrl, redactToken) };
  }

  /** Each kind's submit and record-info paths. */
  const PATHS: Record<Kind, { submit: string; record: string }> = {
    cover: { submit: "/api/v1/suno/cover/generate", record: "/api/v1/suno/cover/record-info" },
    wav: { submit: "/api/v1/wav/generate", record: "/api/v1/wav/record-info" },
    music: { submit: "/api/v1/generate", record: "/api/v1/generate/record-info" },
    lyrics: { submit: "/api/v1/lyrics", record: "/api/v1/lyrics/record-info" },
    separation: { submit: "/api/v1/vocal-removal/generate", record: "/api/v1/vocal-removal/record-info" },
    midi: { submit: "/api/v1/midi/generate", record: "/api/v1/midi/record-info" },
    video: { submit: "/api/v1/mp4/generate", record: "/api/v1/mp4/record-info" },
  };

  function api(method: string, path: string, query: Record<string, string>, body: unknown): Answer {
    for (const kind of KINDS) {
      if (method === "POST" && path === PATHS[kind].submit) return generate(kind, body);
      if (method === "GET" && path === PATHS[kind].record) return recordAnswer(kind, query);
    }
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
    const match = /^\/files\/([A-Za-z0-9_.:-]+?)(?:\/([a-z0-9_-]+)\.(png|mp3)|\.(wav|mp4))$/.exec(pathname);
    const task = match ? tasks.get(match[1]!) : undefined;
    if (!match || !task) return send(404, { error: "no such file" });
    const [name, ext] = [match[2] ?? "", match[3] ?? match[4]!];
    const made = ((): [Buffer, string] => {
      const track = /^track-(\d)$/.exec(name);
      if (ext === "wav") return [makeWav(1.5), "audio/wav"];
      if (ext === "mp4") return [makeMp4({ seed: task.variant + (task.failCode ?? 0) }), "video/mp4"];
      if (ext === "mp3") return [makeMp3(2, track ? task.tracks[Number(track[1])]?.title : name), "audio/mpeg"];
      const seed = track ? Number(track[1]) + 5 : Number(name) + task.variant * 2;
      return [makePng(256, 256, seed), "image/png"];
    })();
    const bytes = files.get(pathname) ?? made[0];
    files.set(pathname, bytes);
    send(200, bytes, made[1]);
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
      if (!isKind(input.kind) || typeof input.taskId !== "string") {
        return send(400, { error: `kind (${KINDS.join("|")}) and taskId are required` });
      }
      const optional = (key: string) => (typeof input[key] === "string" ? (input[key] as string) : undefined);
      return send(
        201,
        provider.addTask({
          kind: input.kind,
          taskId: input.taskId,
          marker: String(input.marker ?? ""),
          musicTaskId: optional("musicTaskId"),
          audioId: optional("audioId"),
          prompt: optional("prompt"),
        }),
      );
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
    addTask: ({ kind, taskId, marker = "", callBackUrl, musicTaskId, audioId, prompt }) =>
      createTask(kind, {
        taskId,
        musicTaskId: musicTaskId ?? null,
        audioId: audioId ?? null,
        callBackUrl: callBackUrl ?? null,
        marker,
        prompt: prompt ?? marker,
      }),
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
