// Small display helpers shared by server and client components.
import type { TaskKind } from "@/lib/core/enums";
import { kindName } from "@/lib/core/timeline";

/** "Cover", "WAV", "Music", "MIDI": a kind as a label (its name, capitalised unless it is an acronym). */
export function kindLabel(kind: TaskKind): string {
  const name = kindName(kind);
  return name === name.toLowerCase() ? name[0]!.toUpperCase() + name.slice(1) : name;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "—";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** "4b1f0c…9d8e" for long ids; short ids unchanged. */
export function shortId(id: string, keep = 6): string {
  return id.length <= keep * 2 + 1 ? id : `${id.slice(0, keep)}…${id.slice(-4)}`;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 31_536_000_000],
  ["month", 2_592_000_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1_000],
];
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "3 minutes ago", "in 2 days". */
export function formatRelative(iso: string, now = Date.now()): string {
  const diff = new Date(iso).getTime() - now;
  if (Math.abs(diff) < 10_000) return "just now";
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === "second") return relative.format(Math.round(diff / ms), unit);
  }
  return iso;
}

const absolute = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

export function formatAbsolute(iso: string): string {
  return `${absolute.format(new Date(iso))} UTC`;
}

/** Only http(s) URLs become links or image sources; anything else stays text. */
export function isHttpUrl(value: string | null | undefined): value is string {
  if (!value) return false;
  try {
    const { protocol } = new URL(value);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "—";
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** Pretty-prints JSON text; text that is not JSON is shown as received. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

const DAY_MS = 86_400_000;

export type Expiry = { level: "past" | "soon"; label: string } | null;

/** Warns when a task's remote files are not all stored and the provider's deletion is near or past. */
export function expiryWarning(filesExpireAt: string | null, allStored: boolean, now = Date.now()): Expiry {
  if (!filesExpireAt || allStored) return null;
  const left = new Date(filesExpireAt).getTime() - now;
  if (left <= 0) return { level: "past", label: "Remote files expired" };
  if (left < 3 * DAY_MS) return { level: "soon", label: `Remote files expire ${formatRelative(filesExpireAt, now)}` };
  return null;
}
