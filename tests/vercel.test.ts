// The Vercel rehearsal: what `vercel build` makes of the project, run the way
// Vercel runs it (tests/helpers/vercel/rehearsal.ts): each function alone in a
// read-only folder on Node 24, one invocation at a time, frozen between
// invocations, the middleware asked first; against a fresh sqld nothing has
// migrated and an s3rver bucket, with the variables the README's Vercel guide
// sets (VERCEL=1, no WORKER, DASHBOARD_PASSWORD). Nothing is skipped: a failed
// build or function fails the file.
import { createClient, type Client } from "@libsql/client/http";
import { parseMidi } from "midi-file";
import type { Health } from "@/lib/server/health";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeMp3, makePng, makeWavFile } from "../scripts/lib/media";
import { sha256 } from "./helpers/assets";
import { coverSuccess, wavSuccess } from "./helpers/callbacks";
import { bytes, startFileServer, type FileServer } from "./helpers/file-server";
import { requestJson, taskDetail } from "./helpers/http";
import { uniqueTaskId } from "./helpers/ids";
import { startS3, type S3Server } from "./helpers/s3";
import { fixture, TOKEN } from "./helpers/server";
import { startSqld, type Sqld } from "./helpers/sqld";
import { waitFor } from "./helpers/wait";
import {
  buildForVercel,
  bundleBytes,
  listFunctions,
  startVercel,
  type VercelBuild,
  type VercelRehearsal,
} from "./helpers/vercel/rehearsal";

const CRON_SECRET = "rehearsal-cron-secret-0123456789";
const PASSWORD = "rehearsal password 0123";
const MB = 1_000_000;

let build: VercelBuild;
let sqld: Sqld;
let s3: S3Server;
let files: FileServer;
let app: VercelRehearsal;
let db: Client;
/** The session cookie the login gives (set by the login test). */
let session = "";

beforeAll(async () => {
  build = buildForVercel();
  [sqld, s3, files] = await Promise.all([startSqld(), startS3({ bucket: "suno-dashboard" }), startFileServer()]);
  db = createClient({ url: sqld.url });
  app = await startVercel(build, (url) => ({
    DATABASE_URL: sqld.url,
    ...s3.env,
    CRON_SECRET,
    PUBLIC_BASE_URL: url,
    DASHBOARD_PASSWORD: PASSWORD,
    CALLBACK_TOKEN: TOKEN,
    // The provider's file host is the local file server.
    DOWNLOAD_ALLOW_PRIVATE: "1",
  }));
}, 600_000);

afterAll(async () => {
  db?.close();
  await app?.close();
  await Promise.all([sqld?.stop(), s3?.stop(), files?.close()]);
  build?.remove();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(new URL(path, app.url), { redirect: "manual", headers: { ...sessionHeaders(), ...headers } });

const sessionHeaders = (): Record<string, string> => (session ? { cookie: session } : {});

const callback = (body: unknown, query = `?token=${TOKEN}`) =>
  fetch(new URL(`/api/callbacks${query}`, app.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

/** Asset rows of a task, read from the database directly (invoking no function). */
async function assetRows(taskId: string) {
  const result = await db.execute({
    sql: "select id, type, status, storage_path from assets where task_id = ? order by position",
    args: [taskId],
  });
  return result.rows.map((r) => ({
    id: Number(r.id),
    type: String(r.type),
    status: String(r.status),
    storagePath: r.storage_path as string | null,
  }));
}

describe("the Vercel build", () => {
  it("has a function per route and the middleware, every bundle under 250 MB unzipped", () => {
    const functions = listFunctions(build.output);
    const names = functions.map((f) => f.name);
    for (const name of ["_middleware", "index", "api/health", "api/callbacks", "api/cron/tick", "tasks/[taskId]", "setup"])
      expect(names).toContain(name);
    expect(functions.find((f) => f.name === "_middleware")?.config.useWebApi).toBe(true);
    for (const f of functions) {
      expect(f.config.runtime, f.name).toBe("nodejs24.x");
      expect(bundleBytes(build.projectDir, f.dir, f.config), f.name).toBeLessThan(250 * MB);
    }
  });

  it("health names libsql, s3 and cron, with nothing set up beforehand", async () => {
    const health = await requestJson<Health>(app, "/api/health", { headers: sessionHeaders() });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      ok: true,
      database: { ok: true, driver: "libsql" },
      storage: { ok: true, driver: "s3" },
      worker: "cron",
    });
  });

  it("a callback refused for its token is counted by its own invocation (after()), before the function is frozen", async () => {
    const refused = async () => {
      const { rows } = await db.execute("select value from settings where key = 'unauthorized_callbacks'");
      return Number(rows[0]?.value ?? 0);
    };
    const before = await refused();
    expect((await callback(coverSuccess(uniqueTaskId("refused")), "?token=wrong-token")).status).toBe(401);
    await app.settled();
    expect(app.invocations.at(-1)).toMatchObject({ fn: "api/callbacks", status: 401 });
    expect(await refused()).toBe(before + 1);
  });

  it("behind DASHBOARD_PASSWORD, the middleware sends pages to /login and refuses the API", async () => {
    const page = await get("/insights");
    expect([307, 308]).toContain(page.status);
    expect(new URL(page.headers.get("location")!, app.url).pathname).toBe("/login");
    expect(new URL(page.headers.get("location")!, app.url).searchParams.get("next")).toBe("/insights");
    const api = await get("/api/tasks");
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    const login = await get("/login");
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('type="password"');
  });

  it("the login form gives a session that opens / and /api/tasks", async () => {
    const wrong = await fetch(new URL("/api/auth/login", app.url), {
      method: "POST",
      body: new URLSearchParams({ password: "nope", next: "/" }),
      redirect: "manual",
    });
    expect(wrong.status).toBe(303);
    expect(wrong.headers.get("location")).toMatch(/^\/login\?error=wrong/);

    const res = await fetch(new URL("/api/auth/login", app.url), {
      method: "POST",
      body: new URLSearchParams({ password: PASSWORD, next: "/" }),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
    const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0]!);
    expect(cookies.some((c) => c.startsWith("suno_session="))).toBe(true);
    session = cookies.join("; ");

    const home = await get("/");
    expect(home.status).toBe(200);
    expect(home.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-/);
    const tasks = await get("/api/tasks");
    expect(tasks.status).toBe(200);
  });

  it("an API token opens /api/tasks through the middleware without a session; revoked, it stops at once", async () => {
    const made = await fetch(new URL("/api/tokens", app.url), {
      method: "POST",
      headers: { ...sessionHeaders(), "content-type": "application/json" },
      body: JSON.stringify({ name: "rehearsal script", scope: "read" }),
    });
    expect(made.status).toBe(201);
    const { id, token } = (await made.json()) as { id: number; token: string };
    const withToken = (value: string) => fetch(new URL("/api/tasks", app.url), { headers: { authorization: `Bearer ${value}` } });
    const tasks = await withToken(token);
    expect(tasks.status).toBe(200);
    expect(await tasks.json()).toMatchObject({ items: expect.any(Array) });
    expect((await withToken(`${token.slice(0, -4)}AAAA`)).status).toBe(401);
    const revoked = await fetch(new URL(`/api/tokens/${id}`, app.url), { method: "DELETE", headers: sessionHeaders() });
    expect(revoked.status).toBe(204);
    expect((await withToken(token)).status).toBe(401);
  });

  let coverTask = "";
  const png = [makePng(64, 48, 1), makePng(48, 64, 2)];

  it("a cover callback needs only its token, and stores both images in the bucket from its own invocation (after())", async () => {
    coverTask = uniqueTaskId("vercel-cover");
    const paths = [0, 1].map((i) => `/${coverTask}/${i}.png`);
    paths.forEach((p, i) => files.route(p, bytes(png[i]!, "image/png")));
    expect(
      (
        await callback(
          coverSuccess(
            coverTask,
            paths.map((p) => files.url + p),
          ),
          "?token=wrong-token",
        )
      ).status,
    ).toBe(401);

    const before = app.invocations.length;
    const res = await callback(
      coverSuccess(
        coverTask,
        paths.map((p) => files.url + p),
      ),
    );
    expect(res.status).toBe(200);
    const rows = await waitFor(
      () => assetRows(coverTask),
      (r) => r.length === 2 && r.every((a) => a.status === "stored"),
      { timeoutMs: 30_000, what: () => `both covers stored:\n${app.log().slice(-3000)}` },
    );
    expect(
      rows.map((r) => r.status),
      app.log().slice(-3000),
    ).toEqual(["stored", "stored"]);
    // Nothing but the callback itself ran: its after() did the downloads.
    expect(app.invocations.slice(before).map((i) => i.fn)).toEqual(["api/callbacks"]);
    for (const p of paths) expect(files.hits(p)).toBe(1);
    const keys = await s3.keys();
    for (const row of rows) expect(keys).toContain(row.storagePath);
  });

  it("the file route redirects (302) to a signed URL of the bucket that serves the image", async () => {
    const detail = await taskDetail(app, coverTask, sessionHeaders());
    const image = detail.assets.find((a) => a.position === 0)!;
    const res = await get(`/api/assets/${image.id}/file`);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(location.origin).toBe(s3.endpoint);
    expect(location.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    const served = Buffer.from(await (await fetch(location)).arrayBuffer());
    expect(sha256(served)).toBe(sha256(png[0]!));
  });

  it("thumbnails and waveforms answer", async () => {
    const detail = await taskDetail(app, coverTask, sessionHeaders());
    const thumb = await get(`/api/assets/${detail.assets[0]!.id}/thumbnail`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toMatch(/^image\//);
    expect((await thumb.arrayBuffer()).byteLength).toBeGreaterThan(0);

    const wavTask = uniqueTaskId("vercel-wav");
    files.route(`/${wavTask}.wav`, bytes(makeWavFile({ seconds: 2 }), "audio/wav"));
    expect((await callback(wavSuccess(wavTask, `${files.url}/${wavTask}.wav`))).status).toBe(200);
    const rows = await waitFor(
      () => assetRows(wavTask),
      (r) => r.length === 1 && r[0]!.status === "stored",
      { timeoutMs: 30_000, what: () => `the WAV stored:\n${app.log().slice(-3000)}` },
    );
    expect(rows[0]!.status).toBe("stored");
    const waveform = await get(`/api/assets/${rows[0]!.id}/waveform`);
    expect(waveform.status).toBe(200);
    const body = (await waveform.json()) as { peaks: number[]; durationSeconds: number };
    expect(body.peaks.length).toBeGreaterThan(10);
    expect(body.durationSeconds).toBeCloseTo(2, 1);
  });

  it("a music callback at /api/callbacks/music stores each track's MP3 and art in the bucket from its own invocation", async () => {
    const musicTask = uniqueTaskId("vercel-music");
    const mp3 = [makeMp3(1, "one"), makeMp3(1.5, "two")];
    const tracks = [0, 1].map((i) => {
      files.route(`/${musicTask}/${i}.mp3`, bytes(mp3[i]!, "audio/mpeg"));
      files.route(`/${musicTask}/${i}.png`, bytes(png[i]!, "image/png"));
      return {
        id: `trk-${i}`,
        audio_url: `${files.url}/${musicTask}/${i}.mp3`,
        image_url: `${files.url}/${musicTask}/${i}.png`,
        title: `Song ${i}`,
      };
    });
    const before = app.invocations.length;
    const res = await callback(
      { code: 200, msg: "ok", data: { callbackType: "complete", task_id: musicTask, data: tracks } },
      `/music?token=${TOKEN}`,
    );
    expect(res.status).toBe(200);
    const rows = await waitFor(
      () => assetRows(musicTask),
      (r) => r.length === 4 && r.every((a) => a.status === "stored"),
      { timeoutMs: 30_000, what: () => `the tracks' files stored:\n${app.log().slice(-3000)}` },
    );
    expect(app.invocations.slice(before).map((i) => i.fn)).toEqual(["api/callbacks/[kind]"]);
    const keys = await s3.keys();
    for (const row of rows) expect(keys).toContain(row.storagePath);
    const detail = await taskDetail(app, musicTask, sessionHeaders());
    expect(detail.task).toMatchObject({ kind: "music", status: "succeeded", stage: "complete" });
    expect(detail.tracks.map((t) => t.title)).toEqual(["Song 0", "Song 1"]);
    expect(detail.assets.map((a) => [a.role, a.trackId]).sort()).toEqual([
      ["track", "trk-0"],
      ["track", "trk-1"],
      ["track-art", "trk-0"],
      ["track-art", "trk-1"],
    ]);
  });

  it("a MIDI task's .mid is built by its own function, every note there", async () => {
    const midiTask = uniqueTaskId("vercel-midi");
    const body = { ...(JSON.parse(fixture("callbacks/midi-complete.json")) as Record<string, unknown>), task_id: midiTask };
    expect((await callback(body)).status).toBe(200);
    const res = await get(`/api/tasks/${midiTask}/midi`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/midi");
    const midi = parseMidi(new Uint8Array(await res.arrayBuffer()));
    const notes = midi.tracks.flat().filter((e) => e.type === "noteOn" && e.velocity > 0);
    // The fixture's 3 drum notes and 2 bass notes.
    expect(notes).toHaveLength(5);
    expect(app.invocations.at(-1)).toMatchObject({ fn: "api/tasks/[taskId]/midi", status: 200 });
  });

  it("the pages render: /, /tasks/{id}, /insights, /deliveries, /setup", async () => {
    const pages: [string, string][] = [
      ["/", coverTask],
      [`/tasks/${coverTask}`, coverTask],
      ["/insights", "Insights"],
      ["/deliveries", coverTask],
      ["/setup", `/api/callbacks?token=${TOKEN}`],
    ];
    for (const [path, text] of pages) {
      const res = await get(path);
      const html = await res.text();
      expect(res.status, `${path}: ${html.slice(0, 500)}`).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(html, path).toContain(text);
    }
  });

  it("the cron tick answers 401 without its bearer and 200 with it", async () => {
    expect((await get("/api/cron/tick")).status).toBe(401);
    expect((await get("/api/cron/tick", { authorization: "Bearer wrong-secret-0123456789" })).status).toBe(401);
    const res = await get("/api/cron/tick", { authorization: `Bearer ${CRON_SECRET}` });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ downloads: expect.any(Object), polls: expect.any(Object), tookMs: expect.any(Number) });
  });

  it("no function logged EROFS or an unhandled error, and none crashed", async () => {
    await app.settled();
    expect(app.crashes()).toEqual([]);
    expect(app.log()).not.toMatch(/EROFS|read-only file system/i);
    expect(app.log()).not.toMatch(
      /unhandled|uncaught|FUNCTION_INVOCATION_FAILED|\[rehearsal\] (the invocation threw|a waitUntil promise rejected)/i,
    );
    // Every function the checks above reached ran from its own read-only folder.
    expect(app.functionDirs().size).toBeGreaterThanOrEqual(10);
  });
});
