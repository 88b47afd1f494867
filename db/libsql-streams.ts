// Server-side streams kept open from one request to the next.
// @libsql/client runs each execute() and batch() on a Hrana stream it opens
// and closes in the same request. For each, the server opens a SQLite
// connection, reads the whole schema (≈70 tables, indexes and triggers here),
// runs the statements and closes the connection again: three quarters of
// sqld's CPU per request (1.3 ms against 0.32 ms on an open stream, measured
// on loopback). The transport leaves such a stream open instead, and sends
// the next such request on it with its baton: the server reuses its
// connection, and the client reads an answer saying the stream was closed, as
// it asked. The wire format is the Hrana-over-HTTP JSON pipeline (v2).
// Only a stream no transaction is left open on is kept: its requests all
// succeeded, or a batch failed and ended with its ROLLBACK done (a guarded
// write refused, a unique key taken). It is used
// again within REUSE_MS only (the server expires idle streams after 10 s); one
// the server no longer knows (expired, or the server restarted) is refused
// before anything runs, and the request then goes on a new stream.
import "server-only";

/** Sends one pipeline request and reads its whole answer. */
export type Send = (url: URL, headers: Record<string, string>, body: string) => Promise<Answer>;
export type Answer = { status: number; statusText: string; headers: Headers; body: string };

type Idle = { baton: string; url: URL; headers: Record<string, string>; since: number };

/** Well within the server's expiry of idle streams (10 s in sqld), so that a kept stream is still open when the next request reaches it. */
const REUSE_MS = 5_000;
/** Idle streams kept per server and credentials; a stream beyond them is closed. */
const MAX_IDLE = 8;

const OPEN = '{"requests":[';
const CLOSE_TAIL = ',{"type":"close"}]}';
const CLOSED_RESULT = '{"type":"ok","response":{"type":"close"}}';
const FREED_RESULT = '{"type":"ok","response":{"type":"close_sql"}}';
/** A store_sql or close_sql request; quotes inside SQL texts and values are escaped, so this matches requests only. */
const SQL_REQUEST = /\{"type":"(store_sql|close_sql)","sql_id":(\d+)/g;
/** The head of sqld's answer (serde writes the fields in this order); anything else is parsed. */
const ANSWER_HEAD = /^\{"baton":(null|"[^"\\]*"),"base_url":(null|"[^"\\]*"),"results":\[/;
/** An error object in sqld's answer (a failed request, or a failed step of a batch); never in a value, whose quotes are escaped. */
const ERROR_OBJECT = '{"message":';

/** A request that opens a stream and closes it, what @libsql/client sends for execute() and batch(). */
export function isOneShot(body: string): boolean {
  return body.startsWith(OPEN) && body.endsWith(CLOSE_TAIL);
}

export class StreamPool {
  private readonly idle = new Map<string, Idle[]>();

  constructor(private readonly send: Send) {}

  /** Sends a one-shot pipeline (isOneShot) on a kept stream, or on a new one it keeps afterwards. */
  async oneShot(url: URL, headers: Record<string, string>, body: string): Promise<Answer> {
    const key = `${url.href}\n${headers.authorization ?? ""}`;
    // SQL texts the pipeline leaves stored on the stream are freed at its end: the next user numbers its own from 1.
    const freed = storedSqlIds(body);
    const requests = body.slice(0, -CLOSE_TAIL.length) + freed.map((id) => `,{"type":"close_sql","sql_id":${id}}`).join("") + "]}";
    const kept = this.take(key);
    if (kept) {
      const answer = await this.send(kept.url, headers, `{"baton":${JSON.stringify(kept.baton)},${requests.slice(1)}`);
      if (!isUnknownStream(answer)) return this.finish(key, kept.url, headers, answer, freed.length);
      // The server ran nothing; it has likely lost the other kept streams too (expired, or it restarted).
      this.idle.delete(key);
    }
    return this.finish(key, url, headers, await this.send(url, headers, requests), freed.length);
  }

  /** Closes the idle streams (the database handle is closing). */
  async closeAll(): Promise<void> {
    const streams = [...this.idle.values()].flat();
    this.idle.clear();
    await Promise.all(streams.map((s) => this.close(s.url, s.headers, s.baton)));
  }

  private take(key: string): Idle | undefined {
    const streams = this.idle.get(key);
    const now = Date.now();
    for (let s = streams?.pop(); s; s = streams?.pop()) if (now - s.since < REUSE_MS) return s;
    return undefined;
  }

  /** Keeps the stream the answer names if no transaction is left open on it (else closes it), and answers as if it was closed. */
  private finish(key: string, url: URL, headers: Record<string, string>, answer: Answer, freed: number): Answer {
    if (answer.status !== 200) return answer;
    const { body, baton, baseUrl, leftOpen } = asClosed(answer.body, freed);
    if (baton !== null) {
      const next = baseUrl === null ? url : new URL(url.pathname.replace(/^.*\/(?=v\d)/, ""), baseUrl);
      const streams = this.idle.get(key) ?? [];
      this.idle.set(key, streams);
      if (!leftOpen && streams.length < MAX_IDLE) streams.push({ baton, url: next, headers, since: Date.now() });
      else void this.close(next, headers, baton);
    }
    return { ...answer, body };
  }

  private close(url: URL, headers: Record<string, string>, baton: string): Promise<void> {
    return this.send(url, headers, JSON.stringify({ baton, requests: [{ type: "close" }] })).then(
      () => undefined,
      () => undefined, // It expires on the server anyway.
    );
  }
}

/** SQL ids the pipeline stores and does not free. */
function storedSqlIds(body: string): number[] {
  const stored = new Set<number>();
  for (const [, type, id] of body.matchAll(SQL_REQUEST)) {
    if (type === "store_sql") stored.add(Number(id));
    else stored.delete(Number(id));
  }
  return [...stored];
}

/** sqld refuses a baton of a stream that expired (500, STREAM_EXPIRED) or that it does not know (400, invalid baton). */
function isUnknownStream(answer: Answer): boolean {
  return answer.status !== 200 && /baton|STREAM_EXPIRED/i.test(answer.body);
}

type PipelineAnswer = { baton?: string | null; base_url?: string | null; results: PipelineResult[] };
type PipelineResult = { type: string; response?: { type: string; result?: { step_results?: unknown[]; step_errors?: unknown[] } } };

/**
 * The answer as the client expects it from the pipeline it sent: the results
 * of the close_sql requests added for it removed, one for its close request
 * added, and no baton. Also tells the stream's baton and base URL, and
 * whether a transaction may be left open on it (leavesOpen).
 */
export function asClosed(text: string, freed: number): { body: string; baton: string | null; baseUrl: string | null; leftOpen: boolean } {
  const head = ANSWER_HEAD.exec(text);
  const tail = `,${FREED_RESULT}`.repeat(freed) + "]}";
  if (head && text.endsWith(tail) && text.length - tail.length > head[0].length) {
    return {
      body: `{"baton":null,"base_url":${head[2]},"results":[${text.slice(head[0].length, -tail.length)},${CLOSED_RESULT}]}`,
      baton: head[1] === "null" ? null : (JSON.parse(head[1]!) as string),
      baseUrl: head[2] === "null" ? null : (JSON.parse(head[2]!) as string),
      // Read whole only when something failed.
      leftOpen: text.includes(ERROR_OBJECT) && (JSON.parse(text) as PipelineAnswer).results.some(leavesOpen),
    };
  }
  // Another server's layout: read it as JSON.
  const answer = JSON.parse(text) as PipelineAnswer;
  const results = answer.results.slice(0, answer.results.length - freed);
  return {
    body: JSON.stringify({ ...answer, baton: null, results: [...results, JSON.parse(CLOSED_RESULT)] }),
    baton: answer.baton ?? null,
    baseUrl: answer.base_url ?? null,
    leftOpen: answer.results.some(leavesOpen),
  };
}

/**
 * Whether a request may leave its stream inside a transaction: one that
 * failed outright, or a batch with a failed step whose last two steps did not
 * run. Batches end with COMMIT and then a ROLLBACK run only when the COMMIT
 * did not (@libsql/client's and db/client.ts's alike): when either ran, no
 * transaction is left. A group's COMMIT runs after a step that failed when
 * that step was a write's guard refusing it.
 */
function leavesOpen(result: PipelineResult): boolean {
  if (result.type !== "ok") return true;
  const batch = result.response?.result;
  if (!batch?.step_errors?.some((e) => e !== null)) return false;
  const ran = batch.step_results ?? [];
  return ran.at(-1) == null && ran.at(-2) == null;
}
