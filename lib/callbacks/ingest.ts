// The way in for callbacks: authenticate, read a bounded body, store the raw
// delivery together with what it means in one commit, then answer.
import "server-only";
import { NextResponse } from "next/server";
import { getDelivery } from "@/db/queries/deliveries";
import { applyReplay, recordCallback, type RecordedDelivery } from "@/db/queries/results";
import { recordUnauthorized } from "@/db/queries/settings";
import type { TaskKind } from "@/db/schema";
import { isValidCallbackToken } from "@/lib/auth/callback-token";
import { clientAddress } from "@/lib/server/client-address";
import { errorJson, notFound } from "@/lib/server/errors";
import { parseCallback, type ParsedCallback } from "@/lib/callbacks/schemas";
import { afterResultApplied } from "@/lib/files/downloads";

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
  const url = new URL(request.url);
  const remoteAddress = clientAddress(request);
  if (!(await isValidCallbackToken(url.searchParams.get("token") ?? request.headers.get("x-callback-token")))) {
    await recordUnauthorized({ at: new Date(), path: url.pathname, remoteAddress });
    return errorJson(401, "unauthorized", "Missing or wrong callback token: add ?token=... to the callback URL or send X-Callback-Token.");
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

  const parsed = parseBody(body, pathKind);
  url.searchParams.delete("token");
  const recorded = await recordCallback(
    {
      receivedAt: new Date(),
      kind: pathKind,
      body,
      headers: storedHeaders(request.headers),
      remoteAddress,
      path: url.pathname + url.search,
    },
    parsed,
  );
  if (recorded.verdict === "rejected") return errorJson(400, "invalid_callback", recorded.error ?? "not a valid callback");
  afterResultApplied(recorded);
  return NextResponse.json({ status: "received", taskId: recorded.taskId });
}

/** Processes a stored delivery again, e.g. one rejected before a fix. */
export async function replayDelivery(id: number): Promise<RecordedDelivery> {
  const delivery = await getDelivery(id);
  if (!delivery) throw notFound(`No delivery with id ${id}.`);
  const recorded = await applyReplay(id, parseBody(delivery.body, kindOfPath(delivery.path)), new Date());
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

function kindOfPath(path: string): TaskKind | null {
  const match = /^\/api\/callbacks\/(cover|wav)(?:[/?]|$)/.exec(path);
  return match ? (match[1] as TaskKind) : null;
}

/** The body as text; "too_large" past `limit` bytes and "too_slow" past `deadlineMs`, reading no further. */
async function readBody(request: Request, limit: number, deadlineMs: number): Promise<string | "too_large" | "too_slow"> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) return "too_large";
  if (!request.body) return "";
  const reader = request.body.getReader();
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

function storedHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = REDACTED_HEADERS.has(name) ? "[redacted]" : value;
  });
  return out;
}
