// GET /api/health against a real bucket (s3rver): plain health, open to
// anyone, tests the write path at most once a minute per process (a PUT and a
// DELETE each time are billable calls); the doctor (?verbose=1, behind the
// session when a password is set) writes every time it is asked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3, type S3Server } from "./helpers/s3";
import { startServer, type TestServer } from "./helpers/server";

/**
 * The write tests s3rver answered since `mark`: its log has a line per answer,
 * with the method cut off; the SDK's `x-id` query names the operation.
 */
function writeTests(s3: S3Server, mark: number): { puts: number; deletes: number } {
  const lines = s3.log().slice(mark).split("\n");
  const count = (operation: string) => lines.filter((l) => new RegExp(`\\.health-\\w+\\?x-id=${operation} 20\\d `).test(l)).length;
  return { puts: count("PutObject"), deletes: count("DeleteObject") };
}

describe("GET /api/health on S3 storage", () => {
  let s3: S3Server;
  let server: TestServer;

  beforeAll(async () => {
    s3 = await startS3();
    server = await startServer({ env: s3.env });
  });
  afterAll(async () => {
    await server?.close();
    await s3?.stop();
  });

  it("writes to the bucket at most once a minute, however many times and however concurrently it is asked", async () => {
    const mark = s3.log().length;
    const concurrent = await Promise.all(Array.from({ length: 50 }, () => server.getJson<{ ok: boolean }>("/api/health")));
    const sequential = [];
    for (let i = 0; i < 50; i++) sequential.push(await server.getJson<{ ok: boolean; storage: { ok: boolean } }>("/api/health"));
    for (const { status, body } of [...concurrent, ...sequential]) {
      expect(status).toBe(200);
      expect(body.ok).toBe(true);
    }
    // The start-up wait already asked once, less than a minute ago: that verdict still stands.
    const { puts, deletes } = writeTests(s3, mark);
    expect(puts).toBeLessThanOrEqual(1);
    expect(deletes).toBe(puts);
  });

  it("the doctor (?verbose=1) tests the write path every time", async () => {
    const mark = s3.log().length;
    for (let i = 0; i < 3; i++) {
      const { status, body } = await server.getJson<{ checks: { id: string; verdict: string }[] }>("/api/health?verbose=1");
      expect(status).toBe(200);
      expect(body.checks.find((c) => c.id === "storage")!.verdict).toBe("ok");
    }
    expect(writeTests(s3, mark)).toEqual({ puts: 3, deletes: 3 });
  });

  it("a failed write test the doctor ran is what plain health answers next", async () => {
    await s3.stop();
    const doctor = await server.getJson<{ ok: boolean; storage: { ok: boolean } }>("/api/health?verbose=1");
    expect(doctor.status).toBe(503);
    expect(doctor.body.storage.ok).toBe(false);
    const plain = await server.getJson<{ ok: boolean; storage: { ok: boolean; error: string } }>("/api/health");
    expect(plain.status).toBe(503);
    expect(plain.body.storage).toMatchObject({ ok: false, error: "the storage bucket is not writable" });
  });
});
