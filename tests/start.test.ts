// `npm start` (scripts/start.mjs) prints the callback URL once the server
// answers: with the token, or behind a password a pointer to /setup. Runs the
// script itself on the existing build (it rebuilds only when sources changed).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { killWithTests } from "./helpers/children";
import { freePort, ROOT } from "./helpers/ports";

type Started = { line: string; port: number; dataDir: string };

/** Runs `node scripts/start.mjs` until it prints its callback line, then stops it (SIGTERM, forwarded to the server). */
async function startAndReadLine(env: Record<string, string>): Promise<Started> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "suno-start-"));
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, "scripts", "start.mjs"), "--hostname", "127.0.0.1"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: `file:${path.join(dataDir, "start.db")}`,
      STORAGE_DIR: path.join(dataDir, "files"),
      WORKER: "0",
      NEXT_TELEMETRY_DISABLED: "1",
      CALLBACK_TOKEN: "",
      PUBLIC_BASE_URL: "",
      DASHBOARD_PASSWORD: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  killWithTests(child);
  let output = "";
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no callback line within 45 s:\n${output}`)), 45_000);
      const read = (chunk: Buffer) => {
        output += chunk;
        if (/rebuilding|No build yet/.test(output)) reject(new Error("the build is stale: run `npx next build` first"));
        const match = /^Callback URL: .*$/m.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[0]);
        }
      };
      child.stdout!.on("data", read);
      child.stderr!.on("data", read);
      child.once("exit", (code) => reject(new Error(`start.mjs exited with ${code}:\n${output}`)));
    });
    return { line, port, dataDir };
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
  }
}

describe("npm start", () => {
  it("prints the callback URL with the generated token once the server is ready", async () => {
    const { line, port, dataDir } = await startAndReadLine({});
    const db = new Database(path.join(dataDir, "start.db"), { readonly: true });
    const { value } = db.prepare("select value from settings where key = 'callback_token'").get() as { value: string };
    db.close();
    expect(line).toBe(`Callback URL: http://localhost:${port}/api/callbacks?token=${value}`);
  });

  it("with CALLBACK_TOKEN and PUBLIC_BASE_URL, prints those", async () => {
    const { line } = await startAndReadLine({ CALLBACK_TOKEN: "start-token-0123456789", PUBLIC_BASE_URL: "https://dash.example.com/" });
    expect(line).toBe("Callback URL: https://dash.example.com/api/callbacks?token=start-token-0123456789");
  });

  it("behind a password, points to /setup instead of printing the token", async () => {
    const { line, port } = await startAndReadLine({ DASHBOARD_PASSWORD: "start-password-123" });
    expect(line).toBe(`Callback URL: log in at http://localhost:${port}/setup to see it with its token.`);
  });
});
