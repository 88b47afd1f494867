import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    // Drizzle's transaction() with an async callback on better-sqlite3 throws yet keeps what it
    // awaited committed, and libSQL over HTTP wants batches: atomic writes go
    // through atomic() / planWrite() in db/client.ts, the one place that may
    // open a (synchronous) transaction.
    ignores: ["db/client.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name='transaction']",
          message: "Use atomic() or planWrite() from db/client.ts: transactions do not roll back awaited work on better-sqlite3.",
        },
      ],
    },
  },
  {
    files: ["db/client.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "CallExpression[callee.property.name='transaction'] > :matches(ArrowFunctionExpression, FunctionExpression)[async=true]",
          message: "A transaction callback must be synchronous: better-sqlite3 commits when it returns.",
        },
      ],
    },
  },
  globalIgnores([".next/**", "node_modules/**", "test-results/**", "playwright-report/**", "data/**", "next-env.d.ts"]),
]);
