// A local notification receiver: every POST is recorded with its headers and
// body; a path may be given a script of answers (status codes, "hang" to
// never answer, or `{ stream: status }` to answer that status at once with a
// body that never ends) and a Standard Webhooks secret, with which each
// request is verified by the `standardwebhooks` package.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export type Received = {
  path: string;
  at: number;
  headers: Record<string, string>;
  body: string;
  json: unknown;
  /** null without a secret for the path; else whether the signature verified. */
  verified: boolean | null;
};

export type Answer = number | "hang" | { stream: number };

export type Receiver = {
  url: string;
  received: (path?: string) => Received[];
  /** Answers for the next requests to `path` (then 200). */
  script: (path: string, answers: Answer[]) => void;
  secret: (path: string, secret: string) => void;
  close: () => Promise<void>;
};

export async function startReceiver(): Promise<Receiver> {
  const log: Received[] = [];
  const scripts = new Map<string, Answer[]>();
  const secrets = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
      const secret = secrets.get(path);
      let verified: boolean | null = null;
      if (secret) {
        try {
          new Webhook(secret).verify(body, headers);
          verified = true;
        } catch {
          verified = false;
        }
      }
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        // recorded as text
      }
      log.push({ path, at: Date.now(), headers, body, json, verified });
      const answer = scripts.get(path)?.shift() ?? 200;
      if (answer === "hang") return;
      if (typeof answer === "object") {
        res.writeHead(answer.stream, { "content-type": "text/plain" });
        const chunk = `${"streaming ".repeat(100)}\n`;
        const timer = setInterval(() => res.write(chunk), 20);
        res.on("close", () => clearInterval(timer));
        return;
      }
      res.writeHead(answer, { "content-type": "text/plain" }).end(answer === 200 ? "ok" : "receiver says no");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: (path) => log.filter((r) => !path || r.path === path),
    script: (path, answers) => scripts.set(path, [...answers]),
    secret: (path, secret) => secrets.set(path, secret),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
