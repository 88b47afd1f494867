// What the browser downloads (the production build's .next/static, which
// npm test builds first) carries no Drizzle code: the notification form once
// took its enums from db/schema.ts and shipped the table definitions with them.
// Components take them from lib/core/enums.ts (the linter keeps db/ out of components/).
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { ROOT } from "./helpers/ports";

/** Every file under `dir`, recursively. */
function files(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

it("no script the browser loads holds Drizzle's table code", () => {
  const build = path.join(ROOT, ".next");
  if (!fs.existsSync(path.join(build, "BUILD_ID"))) throw new Error("No production build: run `npm run build` first (npm test does it).");
  const scripts = files(path.join(build, "static")).filter((f) => f.endsWith(".js"));
  expect(scripts.length).toBeGreaterThan(0);
  // Drizzle's entities carry Symbol.for("drizzle:Name"), "drizzle:Columns", …: a minifier keeps those strings.
  const withDrizzle = scripts.filter((f) => fs.readFileSync(f, "utf8").includes('"drizzle:')).map((f) => path.relative(build, f));
  expect(withDrizzle).toEqual([]);
});
