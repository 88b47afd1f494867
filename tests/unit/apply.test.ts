// The state machine's rules, one transition at a time.
import { describe, expect, it } from "vitest";
import { decide, REMOTE_RETENTION_MS } from "@/lib/tasks/apply";
import type { ProviderResult } from "@/lib/tasks/result";

const now = new Date("2026-01-01T00:00:00Z");
const success: ProviderResult = {
  kind: "cover",
  taskId: "t",
  state: "succeeded",
  code: 200,
  message: "success",
  urls: ["https://a/0.png"],
};
const failure: ProviderResult = { kind: "cover", taskId: "t", state: "failed", code: 501, message: "Cover generation failed", urls: [] };
const pending: ProviderResult = { kind: "cover", taskId: "t", state: "pending", code: null, message: null, urls: [] };
const task = (status: "pending" | "succeeded" | "failed", code: number | null = null, message: string | null = null) => ({
  status,
  code,
  message,
});

describe("decide", () => {
  it("pending → succeeded records the files and their expiry", () => {
    const d = decide(task("pending"), success, "callback", now);
    expect(d.verdict).toBe("accepted");
    expect(d.update).toMatchObject({ status: "succeeded", code: 200, completedAt: now, lastSource: "callback" });
    expect(d.update?.filesExpireAt?.getTime()).toBe(now.getTime() + REMOTE_RETENTION_MS.cover);
    expect(d.urls).toEqual(success.urls);
  });

  it("expiry counts from when the provider made the task, when known", () => {
    const made = new Date("2025-12-30T00:00:00Z");
    const d = decide(undefined, { ...success, kind: "wav", remoteCreatedAt: made }, "poll", now);
    expect(d.update?.filesExpireAt?.getTime()).toBe(made.getTime() + REMOTE_RETENTION_MS.wav);
  });

  it("succeeded is final", () => {
    for (const result of [failure, success, pending]) {
      const d = decide(task("succeeded", 200, "success"), result, "callback", now);
      expect(d).toMatchObject({ verdict: "duplicate", update: null, urls: [] });
    }
  });

  it("failed → succeeded", () => {
    expect(decide(task("failed", 531, "x"), success, "callback", now).update?.status).toBe("succeeded");
  });

  it("the same failure twice is a duplicate; a different failure updates", () => {
    expect(decide(task("failed", 501, "Cover generation failed"), failure, "callback", now).verdict).toBe("duplicate");
    expect(decide(task("failed", 500, "server error"), failure, "callback", now).update).toMatchObject({ status: "failed", code: 501 });
  });

  it("a pending poll changes nothing", () => {
    expect(decide(task("pending"), pending, "poll", now).update).toBeNull();
  });
});
