// Every setting of ../shared/spec/configuration.md, validated once at start-up.
// Read lazily at run time (never inlined at build time) so one build serves
// any configuration.
import { z } from "zod";

const flag = z.enum(["0", "1"], { message: "must be 0 or 1" }).transform((v) => v === "1");
const seconds = z.coerce.number({ message: "must be a number of seconds" }).int().min(0);
// The token travels in a query string: keep it to URL-safe characters.
const token = z.string().regex(/^[A-Za-z0-9._~-]{16,200}$/, "must be 16-200 characters of A-Z a-z 0-9 . _ ~ -");

const EnvSchema = z.object({
  PORT: z.coerce.number({ message: "must be a port number" }).int().min(1).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .default("file:./data/suno-dashboard.db")
    .refine((v) => v.startsWith("file:"), "only file: URLs (SQLite) are supported by this version"),
  STORAGE_DIR: z.string().min(1).default("./data/files"),
  CALLBACK_TOKEN: token.optional(),
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).optional(),
  SUNO_API_KEY: z.string().min(1).optional(),
  SUNO_API_BASE_URL: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).default("https://api.sunoapi.org"),
  DASHBOARD_PASSWORD: z.string().min(1).optional(),
  DOWNLOAD_MAX_BYTES: z.coerce.number({ message: "must be a number of bytes" }).int().positive().default(209_715_200),
  DOWNLOAD_TIMEOUT_SECONDS: seconds.positive().default(120),
  DOWNLOAD_ALLOW_PRIVATE: flag.default(false),
  POLL_AFTER_SECONDS: seconds.default(120),
  POLL_INTERVAL_SECONDS: seconds.positive().default(30),
  WORKER: flag.default(true),
});

export type Env = z.infer<typeof EnvSchema> & { PUBLIC_BASE_URL: string };

const SECRETS = new Set(["CALLBACK_TOKEN", "SUNO_API_KEY", "DASHBOARD_PASSWORD"]);

export class EnvError extends Error {}

/** Parses an environment; empty values count as unset. Throws one line naming the variable. */
function parseEnv(source: Record<string, string | undefined>): Env {
  const input = Object.fromEntries(Object.keys(EnvSchema.shape).map((key) => [key, source[key]?.trim() || undefined]));
  const result = EnvSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue?.path[0] ?? "environment");
    const shown = SECRETS.has(name) ? "" : ` (got ${JSON.stringify(source[name] ?? "")})`;
    throw new EnvError(`Invalid configuration: ${name} ${issue?.message ?? "is invalid"}${shown}`);
  }
  const env = result.data;
  const publicBaseUrl = (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
  return { ...env, PUBLIC_BASE_URL: publicBaseUrl };
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
