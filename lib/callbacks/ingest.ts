// The way in for callbacks: check the token, read a bounded body, check its
// signature, store the raw delivery together with what it means in one commit, then answer.
import "server-only";
import { getReplaySource } from "@/db/queries/deliveries";
import { announceWrite } from "@/db/client";
import { applyReplay, recordCallback, type RecordedDelivery } from "@/db/queries/results";
import type { TaskKind } from "@/lib/core/enums";
import { isValidCallbackToken } from "@/lib/auth/callback-token";
import { clientAddress, SOCKET_HEADER } from "@/lib/server/client-address";
import { env } from "@/lib/core/env";
import { errorJson } from "@/lib/server/route";
import { AppError, notFound } from "@/lib/core/errors";
import { noteRefusedCallback } from "@/lib/callbacks/refused";
import { parseCallback } from "@/lib/callbacks/schemas";
import type { ParsedCallback } from "@/lib/core/result";
import { checkSignature, signatureRefusal } from "@/lib/callbacks/signature";
import { afterDeliveryStored, afterResultApplied } from "@/lib/work/after-result";
import { afterCallbackRetention } from "@/lib/retention/prune";

const MAX_CALLBACK_BYTES = 1_048_576;
/**
 * How long a body may take to arrive. The provider gives up after 15 s; a
 * body still trickling in after 20 s is abandoned, or it would hold the
 * connection until Node's own limit (300 s).
 */
const BODY_DEADLINE_MS = 20_000;
const REDACTED_HEADERS = new Set(["x-callback-token", "authorization", "cookie"]);

/** Handles one POST to /api/callbacks[/kind]: every input gets a 2xx/4xx answer; only a failing database throws. */
export async function receiveCallback(request: Request, pathKind: TaskKind | null): Promise<Response> {
  // Commits due while this body arrives wait a moment to take its write along (group commit).
  const asked = announceWrite();
  // One async function, not one per step: each costs every callback its promises.
  try {
    const url = new URL(request.url);
    const remoteAddress = clientAddress(request);
    const valid = isValidCallbackToken(url.searchParams.get("token") ?? request.headers.get("x-callback-token"));
    if (!(typeof valid === "boolean" ? valid : await valid)) {
      noteRefusedCallback({ at: new Date(), path: url.pathname, remoteAddress });
      return errorJson(
        401,
        "unauthorized",
        "Missing or wrong callback token: add ?token=... to the callback URL or send X-Callback-Token.",
      );
    }

    const read = await readBody(request, MAX_CALLBACK_BYTES, BODY_DEADLINE_MS);
    if (read === "too_large") {
      return errorJson(413, "payload_too_large", `Callback bodies are limited to ${MAX_CALLBACK_BYTES} bytes.`);
    }
    if (read === "too_slow") {
      // Close: the rest of the body is never read, so the connection cannot serve another request.
      return errorJson(408, "request_timeout", `The body did not arrive within ${BODY_DEADLINE_MS / 1000} s.`, { connection: "close" });
    }
    const body = read;

    const receivedAt = new Date();
    const config = env();
    const check = checkSignature({ key: config.CALLBACK_SIGNING_KEY, headers: request.headers, body, now: receivedAt });
    const parsed = parseBody(body, pathKind);
    // A body naming two tasks is refused as such: no signature can tell which one it meant.
    const ambiguous = !parsed.ok && parsed.code === "conflicting_task_ids";
    const refusal = ambiguous ? null : signatureRefusal(check.signature, check.problem, config.CALLBACK_REQUIRE_SIGNATURE);
    url.searchParams.delete("token");
    const recording = recordCallback(
      {
        receivedAt,
        pathKind,
        body,
        headers: storedHeaders(request.headers),
        remoteAddress,
        path: url.pathname + url.search,
        signature: check.signature,
        signatureScheme: check.scheme,
      },
      // A refused callback is kept (rejected, for the inbox) but never applied to a task.
      refusal ? { ok: false, kind: parsed.ok ? parsed.result.kind : parsed.kind, error: refusal.message } : parsed,
    );
    asked();
    const recorded = await recording;
    afterDeliveryStored();
    afterCallbackRetention();
    if (refusal) return errorJson(401, refusal.code, refusal.message);
    if (recorded.verdict === "rejected") {
      return errorJson(400, (!parsed.ok && parsed.code) || "invalid_callback", recorded.error ?? "not a valid callback");
    }
    afterResultApplied(recorded);
    return Response.json({ status: "received", taskId: recorded.taskId });
  } finally {
    asked();
  }
}

/** Processes a stored delivery again, e.g. one rejected before a fix. */
export async function replayDelivery(id: number): Promise<RecordedDelivery> {
  const delivery = await getReplaySource(id);
  if (!delivery) throw notFound(`No delivery with id ${id}.`);
  if (delivery.prunedAt)
    throw new AppError(409, "delivery_pruned", `Delivery ${id} is not replayed: its body was pruned (DELIVERY_RETENTION_DAYS).`);
  // The signature cannot be checked again (its timestamp has expired), so the verdict stored on arrival stands.
  const refusal = signatureRefusal(delivery.signature ?? "unsigned", null, env().CALLBACK_REQUIRE_SIGNATURE);
  if (refusal) throw new AppError(409, refusal.code, `Delivery ${id} is not replayed: ${refusal.message}`);
  const recorded = await applyReplay(id, parseBody(delivery.body, delivery.pathKind), new Date());
  if (!recorded) throw notFound(`No delivery with id ${id}.`);
  afterResultApplied(recorded);
  return recorded;
}

function parseBody(body: string, pathKind: TaskKind | null): ParsedCallback {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : "unreadable";
    return { ok: false, kind: pathKind, error: `body: not valid JSON (${reason})` };
  }
  return parseCallback(payload, pathKind);
}

/** The body as text; "too_large" past `limit` bytes and "too_slow" past `deadlineMs`, reading no further. */
async function readBody(request: Request, limit: number, deadlineMs: number): Promise<string | "too_large" | "too_slow"> {
  const length = request.headers.get("content-length");
  if (length !== null && Number(length) > limit) return "too_large";
  if (!request.body) return "";
  return length === null ? readChunked(request.body, limit, deadlineMs) : readWhole(request, deadlineMs);
}

/**
 * A body whose announced length is allowed (Node's parser delivers exactly
 * that many bytes): read whole, which costs the least, unless too slow.
 */
async function readWhole(request: Request, deadlineMs: number): Promise<string | "too_slow"> {
  // Decoded as chunked bodies are: text() would drop a leading BOM from the raw body.
  const whole = request.arrayBuffer().then((bytes) => Buffer.from(bytes).toString("utf8"));
  whole.catch(() => {}); // abandoned when too slow: the connection closes under it
  let deadline: NodeJS.Timeout | undefined;
  const late = new Promise<"too_slow">((resolve) => (deadline = setTimeout(resolve, deadlineMs, "too_slow")));
  try {
    return await Promise.race([whole, late]);
  } finally {
    clearTimeout(deadline);
  }
}

/** A body of unannounced length, chunk by chunk, reading no further than `limit`. */
async function readChunked(
  body: ReadableStream<Uint8Array>,
  limit: number,
  deadlineMs: number,
): Promise<string | "too_large" | "too_slow"> {
  const reader = body.getReader();
  let late = false;
  // Cancelling ends the pending read() (done), whatever the client does next.
  const deadline = setTimeout(() => {
    late = true;
    reader.cancel().catch(() => {});
  }, deadlineMs);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (late) return "too_slow";
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return "too_large";
      }
      chunks.push(value);
    }
  } finally {
    clearTimeout(deadline);
  }
  return Buffer.concat(chunks, size).toString("utf8");
}

/** The headers as sent: secrets redacted, the dashboard's own internal header left out. */
function storedHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name !== SOCKET_HEADER) out[name] = REDACTED_HEADERS.has(name) ? "[redacted]" : value;
  });
  return out;
}
