// "Send a test callback" on the Setup page: a sample successful cover
// callback for a fresh task id, through the real receiving path (token check,
// raw delivery stored, task and assets created, downloads woken). Signed with
// CALLBACK_SIGNING_KEY when set, as the provider would sign it.
import "server-only";
import { randomBytes } from "node:crypto";
import { callbackUrl } from "@/lib/auth/callback-token";
import { env } from "@/lib/core/env";
import { receiveCallback } from "@/lib/callbacks/ingest";
import { SAMPLE_COVERS } from "@/lib/callbacks/samples";
import { kieSignature, standardWebhooksSignature } from "@/lib/callbacks/signature";

export async function sendTestCallback(): Promise<{ taskId: string; status: number; answer: unknown }> {
  const taskId = `test-${randomBytes(8).toString("hex")}`;
  const base = env().PUBLIC_BASE_URL;
  const payload = {
    code: 200,
    msg: "success",
    data: { taskId, images: SAMPLE_COVERS.map((p) => `${base}${p}`) },
  };
  const body = JSON.stringify(payload);
  const request = new Request(await callbackUrl("cover"), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "suno-dashboard/test-callback",
      ...signatureHeaders(env().CALLBACK_SIGNING_KEY, taskId, body),
    },
    body,
  });
  const response = await receiveCallback(request, "cover");
  return { taskId, status: response.status, answer: await response.json() };
}

/** A `whsec_…` key signs by Standard Webhooks, any other by kie.ai's scheme. */
function signatureHeaders(key: string | undefined, taskId: string, body: string): Record<string, string> {
  if (!key) return {};
  const timestamp = String(Math.floor(Date.now() / 1000));
  if (key.startsWith("whsec_")) {
    const id = `msg_${taskId}`;
    return {
      "webhook-id": id,
      "webhook-timestamp": timestamp,
      "webhook-signature": `v1,${standardWebhooksSignature(key, id, timestamp, body)}`,
    };
  }
  return { "x-webhook-timestamp": timestamp, "x-webhook-signature": kieSignature(key, taskId, timestamp) };
}
