// The address a request came from, for rate limits and the delivery log.
// `next start` gives route handlers no socket, and fills X-Forwarded-For only
// when the client did not send one (next/dist/server/base-server.js), so that
// header is the client's to forge. Node publishes every request it parses on
// the diagnostics channel "http.server.request.start", with its socket, before
// the server's "request" event: the socket's address is stamped on the request
// there (replacing any such header the client sent). With TRUST_PROXY=1 the
// last X-Forwarded-For entry is used instead: the one our own proxy appended.
import "server-only";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { env } from "@/lib/core/env";
import { processSingleton } from "@/lib/core/registry";

/** Ours, never the client's: left out wherever a request's headers are kept. */
export const SOCKET_HEADER = "x-dashboard-socket-address";

/** Stamps each request with its socket's address, from start-up on (once per process). */
export function stampSocketAddresses(): void {
  processSingleton("socket-address-stamp", () => {
    subscribe("http.server.request.start", (message) => {
      const { request, socket } = message as { request: IncomingMessage; socket: Socket };
      request.headers[SOCKET_HEADER] = socket.remoteAddress ?? "";
    });
    return true;
  });
}

/** The client's address, or null when unknown. */
export function clientAddress(request: Request): string | null {
  if (env().TRUST_PROXY) {
    const last = request.headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (last) return last;
  }
  return request.headers.get(SOCKET_HEADER) || null;
}
