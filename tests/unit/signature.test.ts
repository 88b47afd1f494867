// The pure signature check (lib/callbacks/signature.ts), signed here by
// independent implementations: the standardwebhooks package and node:crypto.
import { createHmac, randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { checkSignature, signatureRefusal } from "@/lib/callbacks/signature";

const NOW = new Date("2025-06-01T12:00:00Z");
const nowSeconds = NOW.getTime() / 1000;
const WHSEC = `whsec_${randomBytes(24).toString("base64")}`;
const KIE_KEY = "kie-hmac-key-0123456789";

const coverBody = JSON.stringify({ code: 200, msg: "success", data: { taskId: "cover-1", images: ["https://x/1.png"] } });
const wavBody = JSON.stringify({ code: 200, msg: "success", data: { task_id: "wav-1", audioWavUrl: "https://x/1.wav" } });

function standardHeaders(body: string, at = nowSeconds, secret = WHSEC, id = "msg_1"): Headers {
  const signature = new Webhook(secret).sign(id, new Date(at * 1000), body);
  return new Headers({ "webhook-id": id, "webhook-timestamp": String(at), "webhook-signature": signature });
}

function kieHeaders(taskId: string, at = nowSeconds, key = KIE_KEY): Headers {
  const signature = createHmac("sha256", key).update(`${taskId}.${at}`).digest("base64");
  return new Headers({ "X-Webhook-Timestamp": String(at), "X-Webhook-Signature": signature });
}

const check = (headers: Headers, body: string, key = WHSEC) => checkSignature({ key, headers, body, now: NOW });

describe("Standard Webhooks", () => {
  it("verifies a signature made by the reference library", () => {
    expect(check(standardHeaders(coverBody), coverBody)).toEqual({ signature: "verified", scheme: "standard-webhooks", problem: null });
  });

  it("accepts any matching v1 entry among several (key rotation)", () => {
    const headers = standardHeaders(coverBody);
    const other = new Webhook(`whsec_${randomBytes(24).toString("base64")}`).sign("msg_1", NOW, coverBody);
    headers.set("webhook-signature", `v1a,zzz ${other} ${headers.get("webhook-signature")}`);
    expect(check(headers, coverBody).signature).toBe("verified");
  });

  it("refuses another key, a changed body, a changed id", () => {
    const wrongKey = `whsec_${randomBytes(24).toString("base64")}`;
    expect(check(standardHeaders(coverBody, nowSeconds, wrongKey), coverBody)).toMatchObject({
      signature: "invalid",
      problem: "signature does not match",
    });
    expect(check(standardHeaders(coverBody), coverBody.replace("cover-1", "cover-2")).signature).toBe("invalid");
    const headers = standardHeaders(coverBody);
    headers.set("webhook-id", "msg_2");
    expect(check(headers, coverBody).signature).toBe("invalid");
  });

  it("allows 300 s either way, not 301", () => {
    for (const offset of [-300, -299, 299, 300]) {
      expect(check(standardHeaders(coverBody, nowSeconds + offset), coverBody).signature).toBe("verified");
    }
    for (const offset of [-301, 301]) {
      const result = check(standardHeaders(coverBody, nowSeconds + offset), coverBody);
      expect(result).toMatchObject({ signature: "invalid", scheme: "standard-webhooks" });
      expect(result.problem).toContain("301 s from now");
    }
  });

  it("calls incomplete or malformed headers invalid, not unsigned", () => {
    const noId = standardHeaders(coverBody);
    noId.delete("webhook-id");
    expect(check(noId, coverBody).problem).toContain("webhook-id");
    const noV1 = standardHeaders(coverBody);
    noV1.set("webhook-signature", "v2,abc");
    expect(check(noV1, coverBody).problem).toContain("no v1");
    const badTime = standardHeaders(coverBody);
    badTime.set("webhook-timestamp", "soon");
    expect(check(badTime, coverBody).problem).toContain("not Unix seconds");
  });
});

describe("kie.ai", () => {
  it("verifies data.taskId (cover) and data.task_id (WAV)", () => {
    expect(check(kieHeaders("cover-1"), coverBody, KIE_KEY)).toEqual({ signature: "verified", scheme: "kie", problem: null });
    expect(check(kieHeaders("wav-1"), wavBody, KIE_KEY)).toEqual({ signature: "verified", scheme: "kie", problem: null });
  });

  it("refuses another key, another task id, a stale or future timestamp", () => {
    expect(check(kieHeaders("cover-1", nowSeconds, "other-key"), coverBody, KIE_KEY).problem).toBe("signature does not match");
    expect(check(kieHeaders("wav-1"), coverBody, KIE_KEY).signature).toBe("invalid");
    expect(check(kieHeaders("cover-1", nowSeconds - 301), coverBody, KIE_KEY).signature).toBe("invalid");
    expect(check(kieHeaders("cover-1", nowSeconds + 301), coverBody, KIE_KEY).signature).toBe("invalid");
    expect(check(kieHeaders("cover-1", nowSeconds - 299), coverBody, KIE_KEY).signature).toBe("verified");
  });

  it("is invalid when the payload names no task id or the timestamp is missing", () => {
    expect(check(kieHeaders("x"), "not json", KIE_KEY).problem).toContain("data.taskId");
    expect(check(kieHeaders("x"), '{"data":{"taskId":7}}', KIE_KEY).problem).toContain("data.taskId");
    const headers = kieHeaders("cover-1");
    headers.delete("x-webhook-timestamp");
    expect(check(headers, coverBody, KIE_KEY).problem).toContain("X-Webhook-Timestamp");
  });
});

describe("kie.ai, a body naming two task ids", () => {
  const body = JSON.stringify({ code: 200, data: { task_id: "victim", taskId: "signed", audioWavUrl: "https://x/1.wav" } });

  it("is invalid whichever of the two the signature was made for", () => {
    for (const id of ["signed", "victim"]) {
      expect(check(kieHeaders(id), body, KIE_KEY)).toEqual({
        signature: "invalid",
        scheme: "kie",
        problem: 'data.taskId ("signed") and data.task_id ("victim") name different tasks',
      });
    }
  });

  it("is verified when both spellings name the same task", () => {
    const same = JSON.stringify({ code: 200, data: { task_id: "wav-1", taskId: "wav-1", audioWavUrl: "https://x/1.wav" } });
    expect(check(kieHeaders("wav-1"), same, KIE_KEY).signature).toBe("verified");
  });
});

describe("kie.ai, every kind's task id", () => {
  const bodies: [kind: string, taskId: string, body: unknown][] = [
    ["music (data.task_id)", "music-1", { code: 200, data: { callbackType: "complete", task_id: "music-1", data: [] } }],
    ["lyrics (data.taskId)", "lyrics-1", { code: 200, data: { callbackType: "complete", taskId: "lyrics-1", data: [] } }],
    ["separation (data.task_id)", "sep-1", { code: 200, data: { task_id: "sep-1", vocal_removal_info: null } }],
    ["MIDI (top-level task_id)", "midi-1", { task_id: "midi-1", code: 200, msg: "success", data: { state: "complete", instruments: [] } }],
    ["video (data.task_id)", "video-1", { code: 200, data: { task_id: "video-1", video_url: null } }],
    ["a kind not known here (top-level taskId)", "voice-1", { code: 200, taskId: "voice-1" }],
  ];

  it.each(bodies)("%s is verified against the id the parsers apply, and only that one", (_, taskId, payload) => {
    const body = JSON.stringify(payload);
    expect(check(kieHeaders(taskId), body, KIE_KEY)).toEqual({ signature: "verified", scheme: "kie", problem: null });
    expect(check(kieHeaders(`${taskId}-other`), body, KIE_KEY)).toMatchObject({
      signature: "invalid",
      problem: "signature does not match",
    });
  });

  it("a MIDI body whose top-level task_id and data.task_id differ names no task: never verified", () => {
    const body = JSON.stringify({ task_id: "signed", code: 200, data: { task_id: "victim", state: "complete", instruments: [] } });
    for (const id of ["signed", "victim"]) {
      expect(check(kieHeaders(id), body, KIE_KEY)).toEqual({
        signature: "invalid",
        scheme: "kie",
        problem: 'data.task_id ("victim") and task_id ("signed") name different tasks',
      });
    }
  });
});

describe("without signature headers, or without a key", () => {
  it("is unsigned", () => {
    expect(check(new Headers(), coverBody)).toEqual({ signature: "unsigned", scheme: null, problem: null });
    const noKey = checkSignature({ key: undefined, headers: standardHeaders(coverBody), body: coverBody, now: NOW });
    expect(noKey).toEqual({ signature: "unsigned", scheme: null, problem: null });
  });
});

describe("signatureRefusal", () => {
  it("refuses invalid always, unsigned only when signatures are required", () => {
    expect(signatureRefusal("verified", null, true)).toBeNull();
    expect(signatureRefusal("unsigned", null, false)).toBeNull();
    expect(signatureRefusal("unsigned", null, true)?.code).toBe("signature_required");
    expect(signatureRefusal("invalid", "signature does not match", false)).toEqual({
      code: "invalid_signature",
      message: "Invalid callback signature: signature does not match.",
    });
  });
});
