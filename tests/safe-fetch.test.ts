// The SSRF-safe GET on its own, against a loopback server: schemes, refused
// addresses never contacted, names pinned to the checked address, redirects.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FetchRefused, safeGet } from "@/lib/files/safe-fetch";
import { startFileServer, type FileServer } from "./helpers/file-server";

let files: FileServer;
let lastHost: string | undefined;

beforeAll(async () => {
  files = await startFileServer();
  files.route("/ok", (req, res) => {
    lastHost = req.headers.host;
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
  for (let n = 1; n <= 6; n++)
    files.route(`/hop/${n}`, (_req, res) => res.writeHead(307, { location: n === 1 ? "/ok" : `/hop/${n - 1}` }).end());
  files.route("/to-file", (_req, res) => res.writeHead(302, { location: "file:///etc/passwd" }).end());
  files.route("/no-location", (_req, res) => res.writeHead(302).end());
});
afterAll(() => files?.close());

const get = (url: string, allowPrivate: boolean) => safeGet(url, { signal: AbortSignal.timeout(5_000), allowPrivate });

async function text(url: string, allowPrivate = true) {
  const { response, url: final } = await get(url, allowPrivate);
  let body = "";
  for await (const chunk of response) body += chunk;
  return { status: response.statusCode, body, final: final.href };
}

describe("safeGet", () => {
  it("fetches an allowed URL, keeping the host name for Host", async () => {
    expect(await text(`${files.url}/ok`)).toMatchObject({ status: 200, body: "ok" });
    await text(`http://localhost:${files.port}/ok`);
    expect(lastHost).toBe(`localhost:${files.port}`);
  });

  it("refuses loopback names and addresses without contacting them", async () => {
    const before = files.hits();
    for (const url of [
      `${files.url}/ok`,
      `http://localhost:${files.port}/ok`,
      `http://[::ffff:127.0.0.1]:${files.port}/ok`,
      `http://0x7f000001:${files.port}/ok`,
    ]) {
      await expect(get(url, false), url).rejects.toThrow(/^refused address /);
    }
    await expect(get("http://169.254.169.254/latest/meta-data/", false)).rejects.toBeInstanceOf(FetchRefused);
    expect(files.hits()).toBe(before);
  });

  it("refuses non-http(s) URLs and credentials", async () => {
    await expect(get("file:///etc/passwd", true)).rejects.toThrow("invalid URL: only http and https are downloaded, not file");
    await expect(get("gopher://127.0.0.1:70/", true)).rejects.toThrow(/not gopher/);
    await expect(get("http://a:b@127.0.0.1/", true)).rejects.toThrow(/credentials/);
    await expect(get("::::", true)).rejects.toThrow(/invalid URL/);
  });

  it("follows up to 5 redirects and checks every hop", async () => {
    expect(await text(`${files.url}/hop/5`)).toMatchObject({ status: 200, body: "ok", final: `${files.url}/ok` });
    await expect(get(`${files.url}/hop/6`, true)).rejects.toThrow("more than 5 redirects");
    await expect(get(`${files.url}/to-file`, true)).rejects.toThrow(/only http and https/);
    await expect(get(`${files.url}/no-location`, true)).rejects.toThrow("HTTP 302 redirect without a Location header");
  });
});
