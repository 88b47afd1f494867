// Standard Webhooks (https://www.standardwebhooks.com) signing, by hand with
// node:crypto: the secret is `whsec_` + base64 key bytes, and each request
// carries webhook-id, webhook-timestamp (seconds) and webhook-signature
// `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`.
import "server-only";
import { createHmac, randomBytes } from "node:crypto";

const PREFIX = "whsec_";

/** A new secret: 32 random bytes. */
export function newWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString("base64");
}

/** The three headers of one request; signed at send time, so a retry carries a fresh timestamp (receivers refuse old ones). */
export function signWebhook(secret: string, messageId: string, body: string, at: Date): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, "base64");
  const signature = createHmac("sha256", key).update(`${messageId}.${timestamp}.${body}`).digest("base64");
  return { "webhook-id": messageId, "webhook-timestamp": timestamp, "webhook-signature": `v1,${signature}` };
}
