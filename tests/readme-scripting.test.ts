// The README's "Scripting" examples run exactly as printed: its bash blocks,
// with only DASHBOARD_URL and DASHBOARD_TOKEN set to a test server's address
// and a token made there, against a server behind DASHBOARD_PASSWORD.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestJson } from "./helpers/http";
import { FIXTURES, ROOT, startServer, type TestServer } from "./helpers/server";

const PASSWORD = "scripting password 0123";

/** The ```bash blocks of the README's "## Scripting" section, in order. */
function scriptingBlocks(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("\n## Scripting\n");
  expect(start, "README.md has a Scripting section").toBeGreaterThan(0);
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end);
  return [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, "callbacks", name), "utf8");

describe("README: Scripting", () => {
  let server: TestServer;
  let token = "";
  let workDir = "";
  const blocks = scriptingBlocks();

  beforeAll(async () => {
    server = await startServer({ env: { DASHBOARD_PASSWORD: PASSWORD, WORKER: "0" } });
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "suno-scripting-"));
    // What the examples look for: the task of the archive example, a failed task, a rejected delivery.
    for (const name of ["cover-success.json", "cover-failed-501.json", "not-a-callback.json"]) await server.callback(fixture(name));
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      body: new URLSearchParams({ password: PASSWORD, next: "/" }),
      redirect: "manual",
    });
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith("suno_session="))!
      .split(";")[0]!;
    const made = await requestJson<{ token: string }>(server, "/api/tokens", {
      body: { name: "README", scope: "write" },
      headers: { cookie },
    });
    expect(made.status).toBe(201);
    token = made.body.token;
  });
  afterAll(async () => {
    await server?.close();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  /** Runs the variables block (its two values replaced, nothing else) then `block`, in bash, in a fresh folder. */
  function run(block: string): string {
    const variables = blocks[0]!;
    const set = variables
      .replace(/^export DASHBOARD_URL=.*$/m, `export DASHBOARD_URL=${server.url}`)
      .replace(/^export DASHBOARD_TOKEN=.*$/m, `export DASHBOARD_TOKEN=${token}`);
    expect(set.split("\n").filter((line, i) => line !== variables.split("\n")[i])).toHaveLength(2);
    return execFileSync("bash", ["-euo", "pipefail", "-c", `${set}\n${block}`], { cwd: workDir, encoding: "utf8", timeout: 30_000 });
  }

  const block = (marker: string) => {
    const found = blocks.filter((b) => b.includes(marker));
    expect(found, `one block with ${marker}`).toHaveLength(1);
    return found[0]!;
  };

  it("has the variables block and one example each for listing, archives and replays", () => {
    expect(blocks[0]).toMatch(/^export DASHBOARD_URL=\S+\nexport DASHBOARD_TOKEN=\S+\n$/);
    expect(blocks).toHaveLength(4);
  });

  it("lists the failed tasks", () => {
    const answer = JSON.parse(run(block("status=failed"))) as { items: { taskId: string; status: string }[] };
    const failed = JSON.parse(fixture("cover-failed-501.json")) as { data: { taskId: string } };
    expect(answer.items.map((t) => t.taskId)).toContain(failed.data.taskId);
    expect(answer.items.every((t) => t.status === "failed")).toBe(true);
  });

  it("downloads a task's archive", () => {
    const example = block("/archive");
    const output = run(example);
    const taskId = /^TASK_ID=(\S+)$/m.exec(example)![1]!;
    expect(taskId).toBe((JSON.parse(fixture("cover-success.json")) as { data: { taskId: string } }).data.taskId);
    const zip = fs.readFileSync(path.join(workDir, `${taskId}.zip`));
    expect(zip.subarray(0, 2).toString()).toBe("PK");
    expect(output).toContain("metadata.json");
    expect(output).toContain("SHA256SUMS");
  });

  it("replays the rejected deliveries", () => {
    const answer = JSON.parse(run(block("/api/deliveries/replay"))) as { replayed: number; rejected: number };
    expect(answer.replayed).toBeGreaterThanOrEqual(1);
    expect(answer.rejected).toBeGreaterThanOrEqual(1);
  });
});
