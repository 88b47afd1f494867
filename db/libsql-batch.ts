// A batch in the Hrana-over-HTTP JSON pipeline (the protocol sqld and Turso
// speak), built and read here for the batches db/client.ts sends itself: a
// group of guessed writes. @libsql/client's batch() throws away the results of
// a batch that failed, and going through its protocol client costs a Request,
// two web streams and an object per step and per value on every request; this
// writes the JSON at once and reads the answer with one JSON.parse. Values are
// encoded as that client encodes them and decoded as it does with
// intMode "number", so the rows Drizzle maps are the same.
import "server-only";
import { sendPipeline } from "./libsql-fetch";

type Value =
  | { type: "null" }
  | { type: "integer"; value: string }
  | { type: "float"; value: number }
  | { type: "text"; value: string }
  | { type: "blob"; base64: string };
/** When a step runs: after steps that went well (`ok`), failed (`error`), and combinations. sqld counts a skipped step as failed. */
export type Condition =
  { type: "ok" | "error"; step: number } | { type: "not"; cond: Condition } | { type: "and" | "or"; conds: Condition[] };
type Step = { condition?: Condition; stmt: { sql: string; args: Value[]; want_rows: boolean } };
type StepResult = { cols: unknown[]; rows: Value[][]; affected_row_count: number; last_insert_rowid: string | null };
type StepError = { message: string; code?: string | null };

/** An error the server answered, with its code (SQLITE_BUSY, SQLITE_CONSTRAINT…) as @libsql/client gives it. */
export class LibsqlError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** What became of one step: its rows and counts, its error, or nothing when its condition did not hold. */
export type Outcome =
  | { status: "ok"; rows: unknown[][]; changes: number; lastInsertRowid: number }
  | { status: "failed"; error: LibsqlError }
  | { status: "skipped" };

/** Where a server's pipeline requests go, and with which headers: made once per database. */
export type Endpoint = { url: URL; headers: Record<string, string> };

export function pipelineEndpoint(baseUrl: URL, authToken: string | undefined): Endpoint {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (authToken) headers.authorization = `Bearer ${authToken}`;
  return { url: new URL("v2/pipeline", baseUrl), headers };
}

export class Batch {
  private readonly steps: Step[] = [];

  /** Adds a statement; answers its step's index, for conditions and outcomes. */
  add(sql: string, args: readonly unknown[], options: { rows?: boolean; when?: Condition } = {}): number {
    this.steps.push({
      ...(options.when ? { condition: options.when } : {}),
      stmt: { sql, args: args.map(encode), want_rows: options.rows ?? false },
    });
    return this.steps.length - 1;
  }

  /** Sends the batch on its own stream (kept for the next request when no transaction is left on it) and answers each step's outcome. */
  async send(to: Endpoint): Promise<Outcome[]> {
    const body = JSON.stringify({ requests: [{ type: "batch", batch: { steps: this.steps } }, { type: "close" }] });
    const answer = await sendPipeline(to.url, to.headers, body);
    if (answer.status !== 200) throw serverError(answer.status, answer.body);
    const [result] = (
      JSON.parse(answer.body) as {
        results: {
          type: string;
          error?: StepError;
          response?: { result: { step_results: (StepResult | null)[]; step_errors: (StepError | null)[] } };
        }[];
      }
    ).results;
    if (result?.type !== "ok" || !result.response)
      throw asError(result?.error ?? { message: "the server answered no result for the batch" });
    const { step_results: results, step_errors: errors } = result.response.result;
    return this.steps.map((_, i): Outcome => {
      const error = errors[i];
      if (error) return { status: "failed", error: asError(error) };
      const ran = results[i];
      if (!ran) return { status: "skipped" };
      return {
        status: "ok",
        rows: ran.rows.map((row) => row.map(decode)),
        changes: ran.affected_row_count,
        lastInsertRowid: Number(ran.last_insert_rowid ?? 0),
      };
    });
  }
}

const asError = (error: StepError) => new LibsqlError(error.message, error.code ?? "UNKNOWN");

function serverError(status: number, body: string): LibsqlError {
  try {
    const parsed = JSON.parse(body) as Partial<StepError>;
    if (typeof parsed.message === "string") return new LibsqlError(parsed.message, parsed.code ?? `HTTP_${status}`);
  } catch {
    // Not JSON: the status and the text say it.
  }
  return new LibsqlError(`the libSQL server answered ${status}: ${body.slice(0, 200)}`, `HTTP_${status}`);
}

/** A statement's argument as @libsql/client sends it: numbers as floats (SQLite's column affinity stores whole ones as integers), booleans and bigints as integers, dates as epoch ms. */
function encode(value: unknown): Value {
  if (value === null) return { type: "null" };
  if (typeof value === "string") return { type: "text", value };
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError("Only finite numbers (not Infinity or NaN) can be passed as arguments");
    return { type: "float", value };
  }
  if (typeof value === "bigint") return { type: "integer", value: String(value) };
  if (typeof value === "boolean") return { type: "integer", value: value ? "1" : "0" };
  if (value instanceof Date) return { type: "float", value: value.valueOf() };
  if (value instanceof ArrayBuffer || value instanceof Uint8Array)
    return { type: "blob", base64: Buffer.from(value as Uint8Array).toString("base64") };
  if (typeof value === "object") return { type: "text", value: String(value) };
  throw new TypeError(`Unsupported type of value: ${typeof value}`);
}

/** A value of a row as @libsql/client reads it with intMode "number". */
function decode(value: Value): unknown {
  switch (value.type) {
    case "null":
      return null;
    case "integer": {
      const n = Number(value.value);
      if (!Number.isSafeInteger(n))
        throw new RangeError("Received integer which is too large to be safely represented as a JavaScript number");
      return n;
    }
    case "float":
    case "text":
      return value.value;
    case "blob": {
      const bytes = Buffer.from(value.base64, "base64");
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    }
  }
}
