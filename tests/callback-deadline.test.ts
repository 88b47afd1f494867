// A callback whose body stalls must not hold its connection: the provider gives
// up after 15 s, and a held socket is a free slot for anyone who can open many.
// Over a raw socket, because fetch cannot send fewer bytes than it declares.
import net from "node:net";
import { describe, expect, it } from "vitest";
import { setupServer } from "./helpers/drivers";
import { defaultDatabase, TOKEN } from "./helpers/server";

const server = setupServer(defaultDatabase(), { env: { WORKER: "0" } });

describe("callback body deadline", () => {
  it("a body that stalls after 10 of 1000 bytes is answered 408 or dropped within 25 s", async () => {
    const socket = net.connect(server().port, "127.0.0.1");
    const started = Date.now();
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (received += chunk));
    const closed = new Promise<number>((resolve) => socket.on("close", () => resolve(Date.now() - started)));
    socket.on("error", () => {}); // a reset counts as dropped
    socket.write(
      `POST /api/callbacks?token=${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:${server().port}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"code":20`,
    );
    const timeout = new Promise<"held">((resolve) => setTimeout(() => resolve("held"), 25_000));
    const outcome = await Promise.race([closed, timeout]);
    socket.destroy();

    expect(outcome, `still open after 25 s; received: ${JSON.stringify(received)}`).not.toBe("held");
    expect(outcome as number).toBeGreaterThan(15_000); // the provider's own patience is honoured
    if (received) expect(received).toMatch(/^HTTP\/1\.1 408 /);
  }, 40_000);
});
