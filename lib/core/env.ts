// Every setting of ../shared/spec/configuration.md, validated once at start-up.
// Read lazily at run time (never inlined at build time) so one build serves
// any configuration.
import { z } from "zod";

const flag = z.enum(["0", "1"], { message: "must be 0 or 1" }).transform((v) => v === "1");
const seconds = z.coerce.number({ message: "must be a number of seconds" }).int().min(0);
// The token travels in a query string: keep it to URL-safe characters.
const token = z.string().regex(/^[A-Za-z0-9._~-]{16,200}$/, "must be 16-200 characters of A-Z a-z 0-9 . _ ~ -");
// A Standard Webhooks secret is base64 after its prefix; any other key is kie.ai's HMAC key, used as written.
const signingKey = z
  .string()
  .refine((v) => !v.startsWith("whsec_") || /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(v), "must be base64 after whsec_");
const httpUrl = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" });

const EnvSchema = z.object({
  PORT: z.coerce.number({ message: "must be a port number" }).int().min(1).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .default("file:./data/suno-dashboard.db")
    .refine(
      (v) => /^(file|libsql|https?):/.test(v),
      "must be a file: path (SQLite) or a libsql://, http:// or https:// URL of a libSQL server",
    ),
  DATABASE_AUTH_TOKEN: z.string().min(1).optional(),
  STORAGE_DIR: z.string().min(1).default("./data/files"),
  STORAGE_URL: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, "must be s3://<bucket> or s3://<bucket>/<prefix>")
    .optional(),
  S3_ENDPOINT: httpUrl.optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: flag.default(false),
  FILE_URL_TTL_SECONDS: seconds.min(1).max(604_800).default(900),
  CALLBACK_TOKEN: token.optional(),
  CALLBACK_SIGNING_KEY: signingKey.optional(),
  CALLBACK_REQUIRE_SIGNATURE: flag.default(false),
  PUBLIC_BASE_URL: httpUrl.optional(),
  SUNO_API_KEY: z.string().min(1).optional(),
  SUNO_API_BASE_URL: httpUrl.default("https://api.sunoapi.org"),
  DASHBOARD_PASSWORD: z.string().min(1).optional(),
  DOWNLOAD_MAX_BYTES: z.coerce.number({ message: "must be a number of bytes" }).int().positive().default(209_715_200),
  DOWNLOAD_TIMEOUT_SECONDS: seconds.positive().default(120),
  DOWNLOAD_ALLOW_PRIVATE: flag.default(false),
  NOTIFY_ALLOW_PRIVATE: flag.default(false),
  NOTIFY_RETRY_DELAYS_SECONDS: z
    .string()
    .regex(/^\d+(,\d+){0,19}$/, "must be 1-20 comma-separated numbers of seconds, e.g. 10,60,300")
    .transform((v) => v.split(",").map((n) => Number(n) * 1000))
    .optional(),
  POLL_AFTER_SECONDS: seconds.default(120),
  POLL_INTERVAL_SECONDS: seconds.positive().default(30),
  VERCEL: z.string().optional(),
  WORKER: flag.optional(),
  CRON_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  TRUST_PROXY: flag.optional(),
  DELIVERY_RETENTION_DAYS: z.coerce.number({ message: "must be a number of days" }).int().min(0).default(0),
  FILE_RETENTION_DAYS: z.coerce.number({ message: "must be a number of days" }).int().min(0).default(0),
});

type Parsed = z.infer<typeof EnvSchema>;
export type Env = Omit<Parsed, "WORKER" | "TRUST_PROXY" | "VERCEL"> & {
  PUBLIC_BASE_URL: string;
  WORKER: boolean;
  TRUST_PROXY: boolean;
  /** Running on Vercel: no writable disk, no long-lived process. */
  VERCEL: boolean;
};

const SECRETS = new Set([
  "CALLBACK_TOKEN",
  "CALLBACK_SIGNING_KEY",
  "SUNO_API_KEY",
  "DASHBOARD_PASSWORD",
  "DATABASE_AUTH_TOKEN",
  "S3_SECRET_ACCESS_KEY",
  "CRON_SECRET",
]);

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
  const vercel = env.VERCEL === "1";
  if (vercel && env.DATABASE_URL.startsWith("file:")) {
    throw new EnvError(
      "Invalid configuration: DATABASE_URL must be a libsql:// URL on Vercel (e.g. a Turso database, with DATABASE_AUTH_TOKEN): Vercel has no lasting disk for a file: database",
    );
  }
  if (vercel && !env.STORAGE_URL) {
    throw new EnvError(
      "Invalid configuration: STORAGE_URL must be set on Vercel (s3://<bucket>, with S3_ENDPOINT and the S3_* keys): Vercel has no lasting disk for STORAGE_DIR",
    );
  }
  if (env.CALLBACK_REQUIRE_SIGNATURE && !env.CALLBACK_SIGNING_KEY) {
    throw new EnvError(
      "Invalid configuration: CALLBACK_REQUIRE_SIGNATURE cannot be 1 without CALLBACK_SIGNING_KEY: no callback could be verified, so every one would be refused",
    );
  }
  const publicBaseUrl = (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
  return {
    ...env,
    PUBLIC_BASE_URL: publicBaseUrl,
    VERCEL: vercel,
    // No long-lived process on Vercel: after() and the cron tick do the work there.
    WORKER: env.WORKER ?? !vercel,
    TRUST_PROXY: env.TRUST_PROXY ?? vercel,
  };
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
