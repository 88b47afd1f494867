// The setup doctor's judgement: facts in (gathered by lib/server/doctor-facts.ts),
// one verdict per check out, each with what to do about it. Pure: no I/O, the
// clock is a fact, so every rule is unit-tested with made-up facts.

export type Verdict = "ok" | "warn" | "fail";

export type CheckId =
  | "public-url"
  | "callback-token"
  | "storage"
  | "database"
  | "last-callback"
  | "refused-callbacks"
  | "rejected-callbacks"
  | "provider"
  | "worker"
  | "files-at-risk";

export type Check = { id: CheckId; title: string; verdict: Verdict; detail: string; fix: string | null };

export type DoctorFacts = {
  now: Date;
  publicBaseUrl: string;
  tokenSource: "env" | "generated";
  storage: { driver: "local" | "s3"; location: string; writable: boolean; freeBytes: number | null; totalBytes: number | null };
  database: {
    driver: "better-sqlite3" | "libsql";
    location: string;
    answers: boolean;
    /** File and WAL sizes (file: databases only). */
    bytes: number | null;
    walBytes: number | null;
  };
  callbacks: {
    lastReceivedAt: Date | null;
    refused: { count: number; lastAt: Date | null };
    lastRejected: { at: Date; error: string | null } | null;
  };
  provider: { configured: boolean; credits: number | null; error: { code: string; message: string } | null };
  worker: { mode: "in-process" | "cron"; cronSecretSet: boolean; lastRunAt: Date | null };
  files: { atRisk: number; soonestExpiry: Date | null };
};

const MB = 1024 * 1024;
const GB = 1024 * MB;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Below this the next WAV (up to DOWNLOAD_MAX_BYTES, 200 MiB by default) may not fit. */
export const FREE_FAIL_BYTES = 500 * MB;
export const FREE_WARN_BYTES = 5 * GB;
/** A WAL this large means checkpoints cannot finish (a reader that never lets go). */
export const WAL_WARN_BYTES = 256 * MB;
export const LOW_CREDITS = 20;
/** The worker writes its heartbeat at most once a minute while it runs every second. */
export const WORKER_STALE_MS = 5 * MINUTE;
/** Vercel Hobby ticks once a day, at any minute of its hour. */
export const CRON_STALE_MS = 26 * HOUR;
/** Refusals this recent are worth a look. */
export const RECENT_MS = 24 * HOUR;

export function runChecks(f: DoctorFacts): Check[] {
  return [
    publicUrl(f),
    callbackToken(f),
    storage(f),
    database(f),
    lastCallback(f),
    refused(f),
    rejected(f),
    provider(f),
    worker(f),
    filesAtRisk(f),
  ];
}

/** The worst verdict: fail beats warn beats ok. */
export function overall(checks: Check[]): Verdict {
  if (checks.some((c) => c.verdict === "fail")) return "fail";
  return checks.some((c) => c.verdict === "warn") ? "warn" : "ok";
}

const check = (id: CheckId, title: string, verdict: Verdict, detail: string, fix: string | null = null): Check => ({
  id,
  title,
  verdict,
  detail,
  fix,
});

/** "just now", "45 s ago", "12 min ago", "3 h ago", "2 days ago" (or "in …" for the future). */
export function formatAge(at: Date, now: Date): string {
  const diff = now.getTime() - at.getTime();
  const abs = Math.abs(diff);
  const text =
    abs < 10_000
      ? null
      : abs < MINUTE
        ? `${Math.round(abs / 1000)} s`
        : abs < HOUR
          ? `${Math.round(abs / MINUTE)} min`
          : abs < 48 * HOUR
            ? `${Math.round(abs / HOUR)} h`
            : `${Math.round(abs / (24 * HOUR))} days`;
  if (!text) return "just now";
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MB) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < GB) return `${(bytes / MB).toFixed(1)} MB`;
  return `${(bytes / GB).toFixed(1)} GB`;
}

const PRIVATE_HOST =
  /^(localhost|.*\.localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|\[::1?\]|\[f[cd][0-9a-f:]*\])$/i;

function publicUrl(f: DoctorFacts): Check {
  const title = "Public address";
  let url: URL;
  try {
    url = new URL(f.publicBaseUrl);
  } catch {
    return check(
      "public-url",
      title,
      "fail",
      `PUBLIC_BASE_URL is not a URL (${f.publicBaseUrl}).`,
      "Set PUBLIC_BASE_URL to https://<your host>.",
    );
  }
  if (PRIVATE_HOST.test(url.hostname)) {
    return check(
      "public-url",
      title,
      "fail",
      `${url.origin} is a local or private address: the provider cannot call it back.`,
      "Set PUBLIC_BASE_URL to this dashboard's public https address (e.g. https://dashboard.example.com) and restart.",
    );
  }
  if (url.protocol !== "https:") {
    return check(
      "public-url",
      title,
      "warn",
      `${url.origin} is plain http: callbacks, and the token in their URL, travel unencrypted.`,
      "Put HTTPS in front (Caddy does it by itself) and set PUBLIC_BASE_URL to the https:// address.",
    );
  }
  return check("public-url", title, "ok", `Callbacks are sent to ${url.origin}.`);
}

function callbackToken(f: DoctorFacts): Check {
  return f.tokenSource === "env"
    ? check("callback-token", "Callback token", "ok", "CALLBACK_TOKEN from the environment.")
    : check(
        "callback-token",
        "Callback token",
        "ok",
        "Generated on first start and kept in the database (every instance on this database uses it). Set CALLBACK_TOKEN to choose your own.",
      );
}

function storage(f: DoctorFacts): Check {
  const s = f.storage;
  const title = "Storage";
  if (!s.writable) {
    return check(
      "storage",
      title,
      "fail",
      `${s.driver === "s3" ? "The bucket" : "The folder"} ${s.location} does not take a write: result files cannot be kept.`,
      s.driver === "s3"
        ? "Check STORAGE_URL, S3_ENDPOINT and that the S3 key may write to the bucket; the server log has the error."
        : "Make the folder writable by the user running the dashboard (systemd: add it to ReadWritePaths=), or set STORAGE_DIR.",
    );
  }
  if (s.driver === "s3" || s.freeBytes === null) {
    return check("storage", title, "ok", `${s.location} takes writes.`);
  }
  const free = `${formatSize(s.freeBytes)} free${s.totalBytes ? ` of ${formatSize(s.totalBytes)}` : ""}`;
  if (s.freeBytes < FREE_FAIL_BYTES) {
    return check(
      "storage",
      title,
      "fail",
      `${s.location}: only ${free}; the next WAV may not fit.`,
      "Free disk space, or move STORAGE_DIR to a larger disk.",
    );
  }
  if (s.freeBytes < FREE_WARN_BYTES) {
    return check("storage", title, "warn", `${s.location}: ${free}.`, "Free disk space soon, or move STORAGE_DIR to a larger disk.");
  }
  return check("storage", title, "ok", `${s.location} takes writes; ${free}.`);
}

function database(f: DoctorFacts): Check {
  const d = f.database;
  const title = "Database";
  if (!d.answers) {
    return check(
      "database",
      title,
      "fail",
      `${d.location} does not answer.`,
      d.driver === "libsql"
        ? "Check DATABASE_URL, DATABASE_AUTH_TOKEN and that the libSQL server is up."
        : "Check the disk and the server log.",
    );
  }
  if (d.driver === "libsql")
    return check("database", title, "ok", `A remote libSQL server (${d.location}); its size is not measured from here.`);
  const size = d.bytes === null ? "size unknown" : formatSize(d.bytes);
  const wal = d.walBytes === null ? "" : `, WAL ${formatSize(d.walBytes)}`;
  if (d.walBytes !== null && d.walBytes > WAL_WARN_BYTES) {
    return check(
      "database",
      title,
      "warn",
      `SQLite ${size}${wal}: the write-ahead log is not being checkpointed.`,
      "Look for a process holding the database open for reading (a backup, a sqlite3 shell) and restart the dashboard.",
    );
  }
  return check("database", title, "ok", `SQLite ${size}${wal}.`);
}

function lastCallback(f: DoctorFacts): Check {
  const at = f.callbacks.lastReceivedAt;
  return at
    ? check("last-callback", "Last callback", "ok", `Received ${formatAge(at, f.now)}.`)
    : check(
        "last-callback",
        "Last callback",
        "warn",
        "No callback received yet.",
        "Use a callback URL above as the callBackUrl of your requests, or press Send a test callback to check the path.",
      );
}

function refused(f: DoctorFacts): Check {
  const { count, lastAt } = f.callbacks.refused;
  const title = "Wrong token";
  if (count === 0) return check("refused-callbacks", title, "ok", "No callback was refused for its token.");
  const text = `${count} callback${count === 1 ? " was" : "s were"} refused for a missing or wrong token${lastAt ? `, the last ${formatAge(lastAt, f.now)}` : ""}.`;
  if (lastAt && f.now.getTime() - lastAt.getTime() < RECENT_MS) {
    return check(
      "refused-callbacks",
      title,
      "warn",
      text,
      "Make sure the callBackUrl your requests send carries the token shown above (it changes only with CALLBACK_TOKEN).",
    );
  }
  return check("refused-callbacks", title, "ok", text);
}

function rejected(f: DoctorFacts): Check {
  const last = f.callbacks.lastRejected;
  const title = "Rejected callbacks";
  if (!last) return check("rejected-callbacks", title, "ok", "No callback was rejected for its payload or signature.");
  const text = `The last rejected callback came ${formatAge(last.at, f.now)}${last.error ? `: ${last.error}` : ""}.`;
  if (f.now.getTime() - last.at.getTime() < RECENT_MS) {
    return check(
      "rejected-callbacks",
      title,
      "warn",
      text,
      "Open the Inbox, filter on rejected, and compare the body with a cover or WAV callback (or the signature settings).",
    );
  }
  return check("rejected-callbacks", title, "ok", text);
}

function provider(f: DoctorFacts): Check {
  const p = f.provider;
  const title = "Provider key";
  if (!p.configured) {
    return check(
      "provider",
      title,
      "warn",
      "SUNO_API_KEY is not set: callbacks are received, but nothing is submitted or polled (tasks whose callback never comes stay pending).",
      "Set SUNO_API_KEY to your key from sunoapi.org and restart.",
    );
  }
  if (p.error) {
    const unauthorized = p.error.code === "provider_unauthorized";
    return check(
      "provider",
      title,
      unauthorized ? "fail" : "warn",
      p.error.message,
      unauthorized
        ? "Check SUNO_API_KEY: the provider refuses it."
        : "Try again in a minute; if it persists, check SUNO_API_BASE_URL and the server log.",
    );
  }
  if (p.credits !== null && p.credits <= 0) {
    return check("provider", title, "fail", "The key works but has no credits left: submissions fail.", "Top up the account's credits.");
  }
  if (p.credits !== null && p.credits < LOW_CREDITS) {
    return check("provider", title, "warn", `The key works; ${p.credits} credits left.`, "Top up the account's credits soon.");
  }
  return check("provider", title, "ok", `The key works${p.credits !== null ? `; ${p.credits} credits left` : ""}.`);
}

function worker(f: DoctorFacts): Check {
  const w = f.worker;
  const title = w.mode === "in-process" ? "Background worker" : "Cron tick";
  const last = w.lastRunAt;
  const age = last ? f.now.getTime() - last.getTime() : null;
  if (w.mode === "in-process") {
    if (age === null) {
      return check(
        "worker",
        title,
        "warn",
        "The worker has not reported a run yet.",
        "If this lasts beyond a minute after start, the server log says why.",
      );
    }
    if (age > WORKER_STALE_MS) {
      return check(
        "worker",
        title,
        "fail",
        `The worker last ran ${formatAge(last!, f.now)}: downloads and polls are not progressing.`,
        "Restart the dashboard; the server log has the error.",
      );
    }
    return check("worker", title, "ok", `Last ran ${formatAge(last!, f.now)}.`);
  }
  if (!w.cronSecretSet) {
    return check(
      "worker",
      title,
      "fail",
      "WORKER=0 and CRON_SECRET is unset: nothing retries downloads or polls tasks whose callback never came.",
      "Set CRON_SECRET and call GET /api/cron/tick on a schedule (vercel.json, a crontab line, cron-job.org).",
    );
  }
  if (age === null) {
    return check(
      "worker",
      title,
      "warn",
      "GET /api/cron/tick has not run yet.",
      "Schedule it: Authorization: Bearer <CRON_SECRET>, once a minute if you can.",
    );
  }
  if (age > CRON_STALE_MS) {
    return check(
      "worker",
      title,
      "warn",
      `The cron tick last ran ${formatAge(last!, f.now)}.`,
      "Check the scheduler calling GET /api/cron/tick and the secret it sends.",
    );
  }
  return check("worker", title, "ok", `The cron tick last ran ${formatAge(last!, f.now)}.`);
}

function filesAtRisk(f: DoctorFacts): Check {
  const { atRisk, soonestExpiry } = f.files;
  const title = "Files at risk";
  if (atRisk === 0) return check("files-at-risk", title, "ok", "No file waiting to be stored expires at the provider within 48 h.");
  return check(
    "files-at-risk",
    title,
    "warn",
    `${atRisk} file${atRisk === 1 ? " is" : "s are"} not stored yet and the provider deletes ${atRisk === 1 ? "it" : "them"}${soonestExpiry ? ` (the first ${formatAge(soonestExpiry, f.now)})` : " within 48 h"}.`,
    "Open the tasks with an expiry badge and press Re-download; check Storage above if downloads keep failing.",
  );
}
