import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "@": path.resolve(import.meta.dirname), "server-only": path.resolve(import.meta.dirname, "tests/helpers/server-only.ts") },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    // Every answer of an app's API that a test reads is checked against the OpenAPI document.
    setupFiles: ["tests/helpers/answers-recorder.ts"],
    // Each file starts its own production server; run them one at a time so
    // concurrency tests measure the server, not their neighbours.
    fileParallelism: false,
    // Child processes, not worker threads (the default, pinned): vitest ends each
    // fork with SIGTERM, on which tests/helpers/children.ts kills any server a failed
    // file left running (app, sqld, s3rver); a terminated thread would leave them.
    pool: "forks",
    // A stray `.only` would silently skip the rest of the suite.
    allowOnly: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
