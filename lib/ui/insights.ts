// Turning /api/insights' sparse buckets into evenly spaced chart bins, and the
// words the charts use. Pure: shared by the page and its tests.

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export type Bin = { start: number; label: string; value: number };

/** Callbacks are drawn per hour up to a week, per 6 hours up to a month, per day beyond. */
export function deliveryBinHours(days: number): number {
  return days <= 7 ? 1 : days <= 31 ? 6 : 24;
}

// hourCycle, not hour12: false, which V8 resolves to h24 ("24:00") on Node 20
// and to h23 ("00:00") in newer engines and browsers: server and browser must
// print the same text, or hydration fails (React error #418).
const hourLabel = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", hour: "2-digit", hourCycle: "h23", timeZone: "UTC" });
const dayLabel = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });

export const formatHour = (ms: number) => `${hourLabel.format(ms)}:00 UTC`;
export const formatDay = (ms: number) => dayLabel.format(ms);

/**
 * Zero-filled bins of `sizeMs` from the bin holding `sinceMs` to the one
 * holding `nowMs`; each point lands in the bin containing its time.
 */
export function binSeries(
  points: { at: number; value: number }[],
  sinceMs: number,
  nowMs: number,
  sizeMs: number,
  label: (start: number) => string,
): Bin[] {
  const first = Math.floor(sinceMs / sizeMs) * sizeMs;
  const count = Math.floor(nowMs / sizeMs) - first / sizeMs + 1;
  const bins: Bin[] = Array.from({ length: Math.max(0, count) }, (_, i) => {
    const start = first + i * sizeMs;
    return { start, label: label(start), value: 0 };
  });
  for (const p of points) {
    const bin = bins[Math.floor((p.at - first) / sizeMs)];
    if (bin) bin.value += p.value;
  }
  return bins;
}

export function deliveryBins(perHour: { hour: string; count: number }[], since: string, days: number, nowMs: number): Bin[] {
  const hours = deliveryBinHours(days);
  return binSeries(
    perHour.map((h) => ({ at: Date.parse(h.hour), value: h.count })),
    Date.parse(since),
    nowMs,
    hours * HOUR_MS,
    hours === 24 ? formatDay : formatHour,
  );
}

export function storedBins(perDay: { day: string; bytes: number }[], since: string, nowMs: number): Bin[] {
  return binSeries(
    perDay.map((d) => ({ at: Date.parse(`${d.day}T00:00:00Z`), value: d.bytes })),
    Date.parse(since),
    nowMs,
    DAY_MS,
    formatDay,
  );
}

/** "45 s", "3 min 20 s", "2 h 5 min": turnaround at a glance. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  if (seconds < 60) return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ""}`;
}
