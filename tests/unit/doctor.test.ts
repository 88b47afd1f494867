// The setup doctor's rules (lib/server/doctor.ts), one fact changed at a time
// from a healthy install.
import { describe, expect, it } from "vitest";
import { formatAge, overall, runChecks, type CheckId, type DoctorFacts, type Verdict } from "@/lib/server/doctor";

const now = new Date("2026-06-01T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const MIN = 60_000;
const HOUR = 60 * MIN;
const GB = 1024 ** 3;

function healthy(): DoctorFacts {
  return {
    now,
    publicBaseUrl: "https://dash.example.com",
    tokenSource: "generated",
    storage: { driver: "local", location: "/srv/data/files", writable: true, freeBytes: 50 * GB, totalBytes: 100 * GB },
    database: { driver: "better-sqlite3", location: "/srv/data/db", answers: true, bytes: 10_000_000, walBytes: 4_000_000 },
    callbacks: { lastReceivedAt: ago(5 * MIN), refused: { count: 0, lastAt: null }, lastRejected: null },
    provider: { configured: true, credits: 500, error: null },
    worker: { mode: "in-process", cronSecretSet: false, lastRunAt: ago(30_000) },
    files: { atRisk: 0, soonestExpiry: null },
  };
}

type Patch = { [K in keyof DoctorFacts]?: DoctorFacts[K] extends object ? Partial<DoctorFacts[K]> : DoctorFacts[K] };

function verdictOf(id: CheckId, patch: Patch = {}) {
  const base = healthy();
  const facts = Object.fromEntries(
    Object.entries(base).map(([k, v]) => {
      const p = patch[k as keyof DoctorFacts];
      if (p === undefined) return [k, v];
      return [k, v && typeof v === "object" && !(v instanceof Date) ? { ...v, ...(p as object) } : p];
    }),
  ) as DoctorFacts;
  const check = runChecks(facts).find((c) => c.id === id)!;
  return check;
}

describe("the doctor", () => {
  it("finds a healthy install healthy, every check once", () => {
    const checks = runChecks(healthy());
    expect(checks.map((c) => c.id)).toEqual([
      "public-url",
      "callback-token",
      "storage",
      "database",
      "last-callback",
      "refused-callbacks",
      "rejected-callbacks",
      "provider",
      "worker",
      "files-at-risk",
    ]);
    expect(checks.filter((c) => c.verdict !== "ok")).toEqual([]);
    expect(checks.every((c) => c.fix === null)).toBe(true);
    expect(overall(checks)).toBe("ok");
  });

  it.each<[string, string, Verdict]>([
    ["https public host", "https://dash.example.com", "ok"],
    ["plain http", "http://dash.example.com", "warn"],
    ["localhost", "http://localhost:3000", "fail"],
    ["loopback", "https://127.0.0.1:3000", "fail"],
    ["private LAN", "http://192.168.1.20:3000", "fail"],
    ["private 172.16/12", "https://172.20.0.5", "fail"],
    ["IPv6 loopback", "http://[::1]:3000", "fail"],
    ["public 172.32", "https://172.32.0.5", "ok"],
  ])("public address: %s → %s", (_, url, verdict) => {
    const check = verdictOf("public-url", { publicBaseUrl: url });
    expect(check.verdict).toBe(verdict);
    expect(check.fix === null).toBe(verdict === "ok");
  });

  it("names where the token comes from", () => {
    expect(verdictOf("callback-token", { tokenSource: "env" }).detail).toContain("CALLBACK_TOKEN");
    expect(verdictOf("callback-token", { tokenSource: "generated" }).detail).toContain("Generated");
  });

  it("judges storage by writes and free space", () => {
    expect(verdictOf("storage", { storage: { writable: false } })).toMatchObject({
      verdict: "fail",
      fix: expect.stringContaining("writable"),
    });
    expect(verdictOf("storage", { storage: { freeBytes: 100 * 1024 ** 2 } }).verdict).toBe("fail");
    expect(verdictOf("storage", { storage: { freeBytes: 2 * GB } })).toMatchObject({
      verdict: "warn",
      detail: expect.stringContaining("2.0 GB free of 100.0 GB"),
    });
    expect(verdictOf("storage", { storage: { driver: "s3", location: "s3://b", freeBytes: null, totalBytes: null } }).verdict).toBe("ok");
    expect(verdictOf("storage", { storage: { driver: "s3", location: "s3://b", writable: false } })).toMatchObject({
      verdict: "fail",
      fix: expect.stringContaining("STORAGE_URL"),
    });
  });

  it("reports the database's size and WAL, or that it is remote", () => {
    expect(verdictOf("database").detail).toMatch(/SQLite 9\.5 MB, WAL 3\.8 MB/);
    expect(verdictOf("database", { database: { walBytes: 300 * 1024 ** 2 } }).verdict).toBe("warn");
    expect(
      verdictOf("database", { database: { driver: "libsql", location: "https://db.example", bytes: null, walBytes: null } }),
    ).toMatchObject({
      verdict: "ok",
      detail: expect.stringContaining("remote"),
    });
    expect(verdictOf("database", { database: { answers: false } }).verdict).toBe("fail");
  });

  it("warns until a first callback came, then tells when", () => {
    expect(verdictOf("last-callback", { callbacks: { lastReceivedAt: null } })).toMatchObject({
      verdict: "warn",
      fix: expect.stringContaining("test callback"),
    });
    expect(verdictOf("last-callback").detail).toBe("Received 5 min ago.");
  });

  it("warns about refusals and rejections of the last 24 h only", () => {
    expect(verdictOf("refused-callbacks", { callbacks: { refused: { count: 3, lastAt: ago(HOUR) } } })).toMatchObject({
      verdict: "warn",
      detail: "3 callbacks were refused for a missing or wrong token, the last 1 h ago.",
    });
    expect(verdictOf("refused-callbacks", { callbacks: { refused: { count: 1, lastAt: ago(3 * 24 * HOUR) } } }).verdict).toBe("ok");
    expect(
      verdictOf("rejected-callbacks", { callbacks: { lastRejected: { at: ago(2 * MIN), error: "not a cover or WAV callback" } } }),
    ).toMatchObject({
      verdict: "warn",
      detail: "The last rejected callback came 2 min ago: not a cover or WAV callback.",
    });
    expect(verdictOf("rejected-callbacks", { callbacks: { lastRejected: { at: ago(48 * HOUR), error: null } } }).verdict).toBe("ok");
  });

  it.each<[string, Partial<DoctorFacts["provider"]>, Verdict]>([
    ["plenty of credits", { credits: 500 }, "ok"],
    ["credits low", { credits: 5 }, "warn"],
    ["no credits", { credits: 0 }, "fail"],
    ["no key", { configured: false, credits: null }, "warn"],
    ["key refused", { credits: null, error: { code: "provider_unauthorized", message: "The provider refused the key." } }, "fail"],
    ["provider down", { credits: null, error: { code: "provider_unreachable", message: "Could not reach it." } }, "warn"],
  ])("provider: %s → %s", (_, provider, verdict) => {
    expect(verdictOf("provider", { provider }).verdict).toBe(verdict);
  });

  it.each<[string, Partial<DoctorFacts["worker"]>, Verdict]>([
    ["worker ran 30 s ago", {}, "ok"],
    ["worker never ran", { lastRunAt: null }, "warn"],
    ["worker stale", { lastRunAt: ago(10 * MIN) }, "fail"],
    ["cron without a secret", { mode: "cron", cronSecretSet: false }, "fail"],
    ["cron never ticked", { mode: "cron", cronSecretSet: true, lastRunAt: null }, "warn"],
    ["cron ticked 20 h ago", { mode: "cron", cronSecretSet: true, lastRunAt: ago(20 * HOUR) }, "ok"],
    ["cron ticked 2 days ago", { mode: "cron", cronSecretSet: true, lastRunAt: ago(48 * HOUR) }, "warn"],
  ])("worker: %s → %s", (_, worker, verdict) => {
    expect(verdictOf("worker", { worker }).verdict).toBe(verdict);
  });

  it("warns about files not stored whose remote copy expires within 48 h", () => {
    const check = verdictOf("files-at-risk", { files: { atRisk: 3, soonestExpiry: new Date(now.getTime() + 5 * HOUR) } });
    expect(check).toMatchObject({
      verdict: "warn",
      detail: expect.stringContaining("3 files are not stored yet"),
      fix: expect.stringContaining("Re-download"),
    });
    expect(check.detail).toContain("in 5 h");
  });

  it("the overall verdict is the worst one", () => {
    const facts = healthy();
    facts.provider = { configured: false, credits: null, error: null };
    expect(overall(runChecks(facts))).toBe("warn");
    facts.storage = { ...facts.storage, writable: false };
    expect(overall(runChecks(facts))).toBe("fail");
  });

  it("formats ages", () => {
    expect(formatAge(ago(3_000), now)).toBe("just now");
    expect(formatAge(ago(45_000), now)).toBe("45 s ago");
    expect(formatAge(ago(90 * MIN), now)).toBe("2 h ago");
    expect(formatAge(ago(72 * HOUR), now)).toBe("3 days ago");
    expect(formatAge(new Date(now.getTime() + 30 * MIN), now)).toBe("in 30 min");
  });
});
