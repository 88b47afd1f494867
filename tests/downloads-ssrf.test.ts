// With DOWNLOAD_ALLOW_PRIVATE=0 (the default) no download may reach the
// machine itself or a private network: such URLs end failed as refused, and
// the local file servers (IPv4 and IPv6 loopback) never see a request.
// Only loopback is ever contacted by this test.
import { afterAll, beforeAll, expect, it } from "vitest";
import { makePng, makeWav } from "../scripts/lib/media";
import { settled, waitForAssets } from "./helpers/assets";
import { coverSuccess, wavSuccess } from "./helpers/callbacks";
import { bytes, startFileServer, type FileServer } from "./helpers/file-server";
import { uniqueTaskId } from "./helpers/ids";
import { startServer, type TestServer } from "./helpers/server";

let server: TestServer;
let v4: FileServer;
let v6: FileServer | null;

beforeAll(async () => {
  v4 = await startFileServer("127.0.0.1");
  v6 = await startFileServer("::1").catch(() => null); // hosts without IPv6 loopback still test the rest
  for (const files of [v4, v6]) {
    files?.route("/a.png", bytes(makePng(), "image/png"));
    files?.route("/redirect", (_req, res) => res.writeHead(302, { location: "/a.png" }).end());
  }
  v4.route("/a.wav", bytes(makeWav(1), "audio/wav"));
  server = await startServer({ env: { DOWNLOAD_ALLOW_PRIVATE: "0" } });
});

afterAll(async () => {
  await server?.stop();
  await v4?.close();
  await v6?.close();
});

it("refuses loopback, link-local, private and names that resolve to them, without requesting them", async () => {
  const refused = [
    `${v4.url}/a.png`,
    `http://127.0.0.2:${v4.port}/a.png`,
    `http://[::1]:${v6?.port ?? v4.port}/a.png`,
    `http://[::ffff:127.0.0.1]:${v4.port}/a.png`,
    `http://localhost:${v4.port}/a.png`,
    `http://localhost:${v4.port}/redirect`,
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://10.0.0.1/a.png",
    "http://192.168.1.1/a.png",
    "http://100.64.0.1/a.png",
    "http://0.0.0.0/a.png",
    `http://2130706433:${v4.port}/a.png`, // 127.0.0.1 as a decimal number
    "http://[fe80::1]/a.png",
    "http://[fd00::1]/a.png",
  ];
  const taskId = uniqueTaskId("ssrf");
  const res = await server.callback(coverSuccess(taskId, refused));
  expect(res.status).toBe(200);

  const { assets, events } = await waitForAssets(server, taskId, settled);
  for (const asset of assets) {
    expect(asset.status, asset.remoteUrl).toBe("failed");
    expect(asset.error, asset.remoteUrl).toMatch(
      /^refused address \S+( \(localhost resolves to it\))?: loopback, private, link-local and reserved addresses are not downloaded$/,
    );
    expect(asset.attempts).toBe(1);
  }
  expect(assets.find((a) => a.remoteUrl.includes("169.254.169.254"))!.error).toContain("refused address 169.254.169.254");
  expect(assets.find((a) => a.remoteUrl.includes("localhost"))!.error).toContain("(localhost resolves to it)");
  expect(events.filter((e) => e.type === "download_failed")).toHaveLength(refused.length);
  expect(v4.hits()).toBe(0);
  expect(v6?.hits() ?? 0).toBe(0);
});

it("refuses URLs that are not http(s) or not URLs at all", async () => {
  const taskId = uniqueTaskId("scheme");
  await server.callback(
    coverSuccess(taskId, ["file:///etc/passwd", "ftp://example.com/a.png", "not a url", `http://user:pw@127.0.0.1:${v4.port}/a.png`]),
  );
  const { assets } = await waitForAssets(server, taskId, settled);
  expect(assets.map((a) => a.error)).toEqual([
    "invalid URL: only http and https are downloaded, not file",
    "invalid URL: only http and https are downloaded, not ftp",
    'invalid URL: "not a url"',
    "invalid URL: URLs with credentials are not downloaded",
  ]);
  expect(v4.hits()).toBe(0);
});

it("refuses a WAV URL on loopback too", async () => {
  const taskId = uniqueTaskId("ssrfwav");
  await server.callback(wavSuccess(taskId, `${v4.url}/a.wav`));
  const { assets } = await waitForAssets(server, taskId, settled);
  expect(assets[0]).toMatchObject({ status: "failed", error: expect.stringMatching(/^refused address 127\.0\.0\.1:/) });
  expect(v4.hits()).toBe(0);
});
