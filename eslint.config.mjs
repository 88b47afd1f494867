import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const NOT_FROM_APP = { group: ["@/app/*"], message: "lib/, db/ and components/ never import from app/: move the shared code into lib/." };

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    // Drizzle's transaction() with an async callback on better-sqlite3 throws yet keeps what it
    // awaited committed, and libSQL over HTTP wants batches: atomic writes go
    // through atomic() / planWrite() in db/client.ts, the one place that may
    // open a (synchronous) transaction (and the migrator beside it).
    ignores: ["db/client.ts", "db/migrate.ts"],
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
    files: ["db/client.ts", "db/migrate.ts"],
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
  {
    // The import graph only points one way (routes → lib → db → lib/core), so
    // modules load in a known order and each folder of lib/ can be read on its own.
    files: ["**/*.ts", "**/*.tsx"],
    rules: { "import/no-cycle": "error" },
  },
  {
    files: ["lib/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [NOT_FROM_APP] }],
    },
  },
  {
    // Components run in the browser too: db/ would bring Drizzle's table code
    // into the page. The enums they need are in lib/core/enums.ts.
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            NOT_FROM_APP,
            {
              group: ["@/db/*"],
              message: "components/ never import db/: take the enums from lib/core/enums.ts, API shapes as types from lib/ui.",
            },
          ],
        },
      ],
    },
  },
  {
    // db/ sits under lib/ (whose folders import it) and over lib/core/ only.
    files: ["db/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [{ regex: "^@/(?!db/|lib/core/)", message: "db/ imports only db/ and lib/core/: move what it needs into lib/core/." }],
        },
      ],
    },
  },
  {
    // lib/core/ is the leaf every layer may import: it imports nothing of the project outside itself.
    files: ["lib/core/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^@/(?!lib/core/)", message: "lib/core/ imports nothing of the project outside lib/core/." },
            { regex: "^\\.\\./", message: "lib/core/ imports nothing of the project outside lib/core/." },
          ],
        },
      ],
    },
  },
  {
    // Migrations run from the bundle (db/migrations/bundle.ts): a deployed build
    // (a Vercel function, the standalone server) has no migrations folder to read.
    files: ["app/**", "lib/**", "db/**", "components/**", "proxy.ts", "instrumentation.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["drizzle-orm/migrator", "drizzle-orm/*/migrator"],
              allowTypeImports: true,
              message: "Apply migrations with db/migrate.ts: the folder is not there at run time.",
            },
          ],
        },
      ],
    },
  },
  globalIgnores(["**/.next/**", "**/next-env.d.ts", "node_modules/**", "test-results/**", "playwright-report/**", "data/**"]),
]);
