// What the container image holds, without a container engine: the Dockerfile
// is read (its build stage's ENV, its final stage's WORKDIR, ENV, COPY
// --from=build, CMD and HEALTHCHECK), the project is built as its build stage
// builds it, and the final stage's files are assembled into an empty folder.
// better-sqlite3's addon is the one built for Node 24 (the image's `npm ci`
// runs on Node 24); everything else is the build's own output.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { copyProject } from "./artifacts";
import { betterSqlite3ForNode24 } from "./node24";
import { ROOT } from "./ports";

export type Stage = {
  workdir: string;
  env: Record<string, string>;
  copies: { from: string; to: string }[];
  cmd: string[];
  healthcheck: string[];
  volumes: string[];
};

/** The Dockerfile's stages, reduced to what the rehearsal needs. Throws on instructions it does not know, so the two cannot drift apart silently. */
export function readDockerfile(file = path.join(ROOT, "Dockerfile")): { build: Stage; runtime: Stage } {
  const lines = fs
    .readFileSync(file, "utf8")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, instruction, rest] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (!instruction || rest === undefined) throw new Error(`Dockerfile: cannot read ${JSON.stringify(line)}`);
    const stage = stages.at(-1);
    switch (instruction.toUpperCase()) {
      case "FROM":
        stages.push({ workdir: "/", env: {}, copies: [], cmd: [], healthcheck: [], volumes: [] });
        break;
      case "WORKDIR":
        stage!.workdir = rest;
        break;
      case "ENV": {
        const [, key, value] = /^(\w+)=(.*)$/.exec(rest) ?? [];
        if (!key) throw new Error(`Dockerfile: ENV must be KEY=value: ${line}`);
        stage!.env[key] = value!;
        break;
      }
      case "COPY": {
        const from = /^--from=\w+\s+(\S+)\s+(\S+)$/.exec(rest);
        if (from) stage!.copies.push({ from: from[1]!, to: from[2]! });
        break;
      }
      case "CMD":
        stage!.cmd = JSON.parse(rest) as string[];
        break;
      case "HEALTHCHECK":
        stage!.healthcheck = JSON.parse(/\bCMD\s+(\[.*\])$/.exec(rest)?.[1] ?? "[]") as string[];
        break;
      case "VOLUME":
        stage!.volumes.push(rest);
        break;
      case "RUN":
      case "USER":
      case "EXPOSE":
        break;
      default:
        throw new Error(`Dockerfile: the rehearsal does not know ${instruction}`);
    }
  }
  if (stages.length !== 2) throw new Error(`Dockerfile: expected a build stage and a runtime stage, found ${stages.length}`);
  return { build: stages[0]!, runtime: stages[1]! };
}

export type Image = {
  /** The image's WORKDIR, assembled: every file the runtime stage copies, nothing else. */
  appDir: string;
  runtime: Stage;
  remove: () => void;
};

/** Builds the project as the build stage does (on a copy) and assembles the runtime stage's files into an empty folder. */
export function assembleImage(): Image {
  const { build, runtime } = readDockerfile();
  const projectDir = copyProject("suno-image-build-");
  try {
    execFileSync(process.execPath, [path.join(projectDir, "node_modules", "next", "dist", "bin", "next"), "build"], {
      cwd: projectDir,
      env: { ...process.env, ...build.env },
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 << 20,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    fs.rmSync(projectDir, { recursive: true, force: true });
    throw new Error(`The image's build failed:\n${stdout ?? ""}\n${stderr ?? ""}`);
  }
  const appDir = fs.mkdtempSync(path.join(os.tmpdir(), "suno-image-app-"));
  const inBuild = (p: string) => path.join(projectDir, path.posix.relative(build.workdir, p));
  const inApp = (p: string) => path.join(appDir, path.posix.relative(runtime.workdir, path.posix.resolve(runtime.workdir, p)));
  for (const { from, to } of runtime.copies) {
    const source = inBuild(from);
    if (!fs.existsSync(source)) throw new Error(`Dockerfile copies ${from}, which the build did not make`);
    fs.cpSync(source, inApp(to), { recursive: true, verbatimSymlinks: true });
  }
  fs.rmSync(projectDir, { recursive: true, force: true });
  const addon = path.join(appDir, "node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node");
  if (!fs.existsSync(addon)) throw new Error("The standalone server holds no better-sqlite3 addon");
  // A new file, never a write through a link that might reach the installed package.
  fs.rmSync(addon);
  fs.copyFileSync(betterSqlite3ForNode24(), addon);
  return { appDir, runtime, remove: () => fs.rmSync(appDir, { recursive: true, force: true }) };
}
