// JSON over HTTP for the tests: the one way to send a request to the app (or
// any server) and read its JSON answer, and the task detail most tests read.
import type { TaskDetail } from "@/db/queries/dto";

export type JsonRequest = {
  /** Default GET, or POST when there is a body. */
  method?: string;
  /** Sent as JSON; a string is sent as it is (e.g. a body that is not JSON). */
  body?: unknown;
  headers?: Record<string, string>;
};

export type JsonAnswer<T> = { status: number; headers: Headers; body: T };

/** Where a request goes: a test server (anything with a `url`) or a base URL. */
export type Base = { url: string } | string;

/** Requests `path` on `base`; the answer's body is parsed as JSON (null when empty). */
export async function requestJson<T = unknown>(base: Base, path: string, request: JsonRequest = {}): Promise<JsonAnswer<T>> {
  const { body, headers = {} } = request;
  const method = request.method ?? (body === undefined ? "GET" : "POST");
  const res = await fetch(new URL(path, typeof base === "string" ? base : base.url), {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  try {
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
  } catch {
    throw new Error(`${method} ${path} answered ${res.status} with a body that is not JSON: ${text.slice(0, 500)}`);
  }
}

/** GET /api/tasks/{id}; throws unless it answers 200. */
export async function taskDetail(base: Base, taskId: string, headers?: Record<string, string>): Promise<TaskDetail> {
  const res = await requestJson<TaskDetail>(base, `/api/tasks/${encodeURIComponent(taskId)}`, { headers });
  if (res.status !== 200) throw new Error(`GET task ${taskId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Logs in through the form as a browser does; answers the `suno_session=…` cookie pair (a fresh session each call). */
export async function loginCookie(base: Base, password: string): Promise<string> {
  const res = await fetch(new URL("/api/auth/login", typeof base === "string" ? base : base.url), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ password, next: "/" }),
    redirect: "manual",
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("suno_session="));
  if (!cookie) throw new Error(`login answered ${res.status} without a session`);
  return cookie.split(";")[0]!;
}
