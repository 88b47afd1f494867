// Signed callbacks (http-api.md "Signed callbacks"): checks a callback's
// signature against CALLBACK_SIGNING_KEY, by the kie.ai scheme (over the task
// id the parsers apply, whichever kind: data.taskId, data.task_id, MIDI's
// top-level task_id) or by Standard Webhooks. Pure: no I/O, the clock is passed in.
import { createHmac } from "node:crypto";
import type { SignatureScheme, SignatureVerdict } from "@/lib/core/enums";
import { safeEqual } from "@/lib/auth/safe-equal";
import { namedTaskId, type NamedTaskId } from "@/lib/callbacks/schemas";

/** How far a signed timestamp may be from now, either way. */
export const TOLERANCE_SECONDS = 300;

const WHSEC_PREFIX = "whsec_";

export type SignatureCheck = {
  signature: SignatureVerdict;
  /** The scheme whose headers were checked; null when unsigned. */
  scheme: SignatureScheme | null;
  /** Why an invalid signature is invalid. */
  problem: string | null;
};

export type SignatureRefusal = { code: "invalid_signature" | "signature_required"; message: string };

const UNSIGNED: SignatureCheck = { signature: "unsigned", scheme: null, problem: null };

/**
 * Checks one callback. Without a key nothing can be verified, so every callback
 * is unsigned. The scheme is told by its signature header; a callback carrying
 * one with its companions missing is invalid, not unsigned.
 */
export function checkSignature(input: { key: string | undefined; headers: Headers; body: string; now: Date }): SignatureCheck {
  const { key, headers, body, now } = input;
  if (!key) return UNSIGNED;
  const standard = headers.get("webhook-signature");
  if (standard !== null) {
    return checkStandardWebhooks(key, headers.get("webhook-id"), headers.get("webhook-timestamp"), standard, body, now);
  }
  const kie = headers.get("x-webhook-signature");
  if (kie !== null) return checkKie(key, headers.get("x-webhook-timestamp"), kie, body, now);
  return UNSIGNED;
}

/** Whether a callback (or a stored delivery, on replay) must be refused for its signature. */
export function signatureRefusal(signature: SignatureVerdict, problem: string | null, requireSignature: boolean): SignatureRefusal | null {
  if (signature === "invalid") {
    return { code: "invalid_signature", message: `Invalid callback signature: ${problem ?? "refused on arrival"}.` };
  }
  if (signature === "unsigned" && requireSignature) {
    return {
      code: "signature_required",
      message: "Unsigned callback: this dashboard accepts only signed callbacks (CALLBACK_REQUIRE_SIGNATURE=1).",
    };
  }
  return null;
}

/** kie.ai: base64(HMAC-SHA256(key, `<taskId>.<timestamp>`)), the key used as written. */
export function kieSignature(key: string, taskId: string, timestamp: string): string {
  return createHmac("sha256", key).update(`${taskId}.${timestamp}`).digest("base64");
}

/** Standard Webhooks: base64(HMAC-SHA256(secret, `<id>.<timestamp>.<body>`)), without the `v1,` prefix. */
export function standardWebhooksSignature(key: string, id: string, timestamp: string, body: string): string {
  return createHmac("sha256", standardWebhooksKey(key)).update(`${id}.${timestamp}.${body}`).digest("base64");
}

/** A `whsec_…` secret is base64 after its prefix; a bare key is taken as base64 too, as the reference library does. */
function standardWebhooksKey(key: string): Buffer {
  return Buffer.from(key.startsWith(WHSEC_PREFIX) ? key.slice(WHSEC_PREFIX.length) : key, "base64");
}

function checkStandardWebhooks(
  key: string,
  id: string | null,
  timestamp: string | null,
  header: string,
  body: string,
  now: Date,
): SignatureCheck {
  const invalid = (problem: string): SignatureCheck => ({ signature: "invalid", scheme: "standard-webhooks", problem });
  if (!id || timestamp === null) return invalid("webhook-signature needs webhook-id and webhook-timestamp");
  const stale = timestampProblem(timestamp, now);
  if (stale) return invalid(stale);
  // The body is checked as the text stored; bytes that are not UTF-8 would not round-trip, and then fail here.
  const expected = standardWebhooksSignature(key, id, timestamp, body);
  const candidates = header
    .split(" ")
    .filter((entry) => entry.startsWith("v1,"))
    .map((entry) => entry.slice(3));
  if (candidates.length === 0) return invalid("webhook-signature has no v1 signature");
  if (!candidates.some((candidate) => safeEqual(candidate, expected))) return invalid("signature does not match");
  return { signature: "verified", scheme: "standard-webhooks", problem: null };
}

function checkKie(key: string, timestamp: string | null, header: string, body: string, now: Date): SignatureCheck {
  const invalid = (problem: string): SignatureCheck => ({ signature: "invalid", scheme: "kie", problem });
  if (timestamp === null) return invalid("X-Webhook-Signature needs X-Webhook-Timestamp");
  const stale = timestampProblem(timestamp, now);
  if (stale) return invalid(stale);
  const named = signedTaskId(body);
  if (!named.ok) return invalid(named.problem);
  const taskId = named.taskId;
  if (taskId === null) return invalid("no data.taskId, data.task_id or task_id in the payload to check the signature against");
  if (!safeEqual(header.trim(), kieSignature(key, taskId, timestamp))) return invalid("signature does not match");
  return { signature: "verified", scheme: "kie", problem: null };
}

/** Null when `timestamp` is Unix seconds within the tolerance of `now`. */
function timestampProblem(timestamp: string, now: Date): string | null {
  if (!/^\d{1,12}$/.test(timestamp)) return `timestamp ${JSON.stringify(timestamp.slice(0, 40))} is not Unix seconds`;
  const away = Math.abs(Number(timestamp) * 1000 - now.getTime()) / 1000;
  if (away > TOLERANCE_SECONDS) return `timestamp is ${Math.ceil(away)} s from now (at most ${TOLERANCE_SECONDS} s)`;
  return null;
}

/** The task id a kie.ai signature covers: the one the parsers apply (a body naming two is never verified). */
function signedTaskId(body: string): NamedTaskId {
  try {
    return namedTaskId(JSON.parse(body));
  } catch {
    return { ok: true, taskId: null };
  }
}
