import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * Every write goes through the write path of db/client.ts: write() or
 * writeReturning() for one statement, atomic() / planWrite() with step()s for
 * a unit. An insert, update or delete built on the database handle and run
 * directly (awaited, returned, or ended with .then/.all/.get/.run) goes out on
 * libSQL's read client: no limit of writes in flight, no SQLITE_BUSY retry.
 * Building one to hand over (step(db.insert(…)), a prepared statement for
 * bound()) is fine, and so is the callback of writeReturning (it is given the writer).
 */
const noDirectWrite = {
  meta: {
    type: "problem",
    messages: {
      direct:
        "Run a write through db/client.ts: write() or writeReturning() for one statement, atomic()/planWrite() with step() for several.",
    },
    schema: [],
  },
  create(context) {
    const onDatabase = (node) =>
      (node.type === "Identifier" && node.name === "db") ||
      (node.type === "CallExpression" && node.callee.type === "Identifier" && node.callee.name === "getDb");
    const givenTheWriter = (fn) =>
      fn.parent.type === "CallExpression" && fn.parent.callee.type === "Identifier" && fn.parent.callee.name === "writeReturning";
    return {
      "CallExpression > MemberExpression.callee[property.name=/^(insert|update|delete)$/]"(member) {
        if (!onDatabase(member.object)) return;
        // Up the chain (db.update(t).set(…).where(…)…) to the whole expression.
        let chain = member.parent;
        let runs = false;
        for (;;) {
          const up = chain.parent;
          if (up.type === "MemberExpression" && up.object === chain) {
            if (["then", "all", "get", "run", "execute"].includes(up.property.name)) runs = true;
            chain = up;
          } else if (up.type === "CallExpression" && up.callee === chain) chain = up;
          else break;
        }
        const at = chain.parent;
        if (at.type === "AwaitExpression") runs = true;
        if (at.type === "ArrowFunctionExpression" && at.body === chain && !givenTheWriter(at)) runs = true;
        if (at.type === "ReturnStatement") {
          const fn = context.sourceCode.getAncestors(at).findLast((n) => n.type.includes("Function"));
          if (!fn || !givenTheWriter(fn)) runs = true;
        }
        if (runs) context.report({ node: member, messageId: "direct" });
      },
    };
  },
};

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
    files: ["app/**", "lib/**", "db/**", "scripts/**", "proxy.ts", "instrumentation.ts"],
    ignores: ["db/client.ts", "db/migrate.ts"],
    plugins: { "write-path": { rules: { "no-direct-write": noDirectWrite } } },
    rules: { "write-path/no-direct-write": "error" },
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
