// "Send a test callback" on the Setup page: a sample successful cover
// callback for a fresh task id, through the real receiving path (token check,
// raw delivery stored, task and assets created, downloads woken).
import "server-only";
import { randomBytes } from "node:crypto";
import { callbackUrl } from "@/lib/auth/callback-token";
import { env } from "@/lib/server/env";
import { receiveCallback } from "@/lib/callbacks/ingest";
import { SAMPLE_COVERS } from "@/lib/callbacks/samples";

export async function sendTestCallback(): Promise<{ taskId: string; status: number; answer: unknown }> {
  const taskId = `test-${randomBytes(8).toString("hex")}`;
  const base = env().PUBLIC_BASE_URL;
  const payload = {
    code: 200,
    msg: "success",
    data: { taskId, images: SAMPLE_COVERS.map((p) => `${base}${p}`) },
  };
  const request = new Request(await callbackUrl("cover"), {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "suno-dashboard/test-callback" },
    body: JSON.stringify(payload),
  });
  const response = await receiveCallback(request, "cover");
  return { taskId, status: response.status, answer: await response.json() };
}
