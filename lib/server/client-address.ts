// The address a request came from, for rate limits and the delivery log.
// `next start` exposes no socket address to route handlers, and fills
// X-Forwarded-For only when the client did not send one, so that header is
// the client's to forge. A shim stamps the socket's address on every request
// instead (replacing any such header the client sent); with TRUST_PROXY=1 the
// last X-Forwarded-For entry is used: the one our own proxy appended.
import "server-only";
import http from "node:http";
import { env } from "@/lib/core/env";

const SOCKET_HEADER = "x-dashboard-socket-address";
const marker = Symbol.for("suno.socketAddressShim");

/** Installs the stamp once per process (called at start-up). */
export function installSocketAddressShim(): void {
  const proto = http.Server.prototype as http.Server & { [marker]?: true };
  if (proto[marker]) return;
  proto[marker] = true;
  const emit = proto.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      request.headers[SOCKET_HEADER] = request.socket?.remoteAddress ?? "";
    }
    return emit.call(this, event, ...args);
  };
}

/** The client's address, or null when unknown. */
export function clientAddress(request: Request): string | null {
  if (env().TRUST_PROXY) {
    const last = request.headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (last) return last;
  }
  return request.headers.get(SOCKET_HEADER) || null;
}
