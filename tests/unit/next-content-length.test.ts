// lib/server/content-length.ts patches http.ServerResponse.prototype.setHeader
// because the pinned Next.js drops Content-Length from a route handler's
// response and has no supported way to keep it. This runs the code Next.js
// sends route handler responses with (app-route's sendResponse) on a real HTTP
// server: the day it keeps Content-Length, the first test fails and the patch
// can go. The second shows the patch restoring the header there.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { NodeNextRequest, NodeNextResponse } from "next/dist/server/base-http/node";
import { sendResponse } from "next/dist/server/send-response";
import { beforeAll, describe, expect, it } from "vitest";

const BODY = "a stored file's bytes";

/** The headers a client receives for `headers` on a route handler's Response. */
async function sentHeaders(headers: Record<string, string>): Promise<http.IncomingHttpHeaders> {
  const server = http.createServer((req, res) => {
    void sendResponse(new NodeNextRequest(req), new NodeNextResponse(res), new Response(BODY, { headers }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise((resolve, reject) =>
      http
        .get({ host: "127.0.0.1", port, agent: false }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.headers));
        })
        .on("error", reject),
    );
  } finally {
    server.close();
  }
}

describe("Content-Length of route handler responses", () => {
  it("the pinned Next.js drops it (when this fails, delete lib/server/content-length.ts and send Content-Length)", async () => {
    const headers = await sentHeaders({ "content-length": String(Buffer.byteLength(BODY)) });
    expect(headers["content-length"]).toBeUndefined();
    expect(headers["transfer-encoding"]).toBe("chunked");
  });

  describe("with the patch", () => {
    // Installed for the rest of this test file's process (a fork of its own).
    beforeAll(async () => {
      const { installContentLengthShim } = await import("@/lib/server/content-length");
      installContentLengthShim();
    });

    it("a file response's length header comes out as Content-Length", async () => {
      const { FILE_LENGTH_HEADER } = await import("@/lib/server/content-length");
      const headers = await sentHeaders({ [FILE_LENGTH_HEADER]: String(Buffer.byteLength(BODY)) });
      expect(headers["content-length"]).toBe(String(Buffer.byteLength(BODY)));
      expect(headers["transfer-encoding"]).toBeUndefined();
      expect(headers[FILE_LENGTH_HEADER]).toBeUndefined();
    });
  });
});
