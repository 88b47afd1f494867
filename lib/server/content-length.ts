// Next.js 16 drops Content-Length from every route handler response
// (FORBIDDEN_HEADERS in next/dist/server/send-response.js, because fetch may
// have decoded a proxied body), and offers no way to keep it. Stored files need
// it: download progress, players, and the HTTP contract. A file response sends
// its exact length as FILE_LENGTH_HEADER; the server turns it back into
// Content-Length here, by the one patch left on Node's prototypes.
// tests/unit/next-content-length.test.ts fails the day Next.js keeps the header
// itself: then this goes.
import "server-only";
import http from "node:http";

export const FILE_LENGTH_HEADER = "x-suno-file-length";

const marker = Symbol.for("suno.contentLengthShim");

/** Installs the translation once per process (called at start-up). */
export function installContentLengthShim(): void {
  const proto = http.ServerResponse.prototype as http.ServerResponse & { [marker]?: true };
  if (proto[marker]) return;
  proto[marker] = true;
  const setHeader = proto.setHeader;
  proto.setHeader = function (this: http.ServerResponse, name: string, value: number | string | readonly string[]) {
    if (name.toLowerCase() === FILE_LENGTH_HEADER && typeof value === "string" && /^\d+$/.test(value)) {
      return setHeader.call(this, "content-length", value);
    }
    return setHeader.call(this, name, value);
  };
}
