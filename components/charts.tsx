// Small SVG charts, drawn by hand (no chart library: a few hundred bytes of
// JS instead of a hundred kB). Each is one role="img" whose aria-label says
// what it shows in words; the shapes are only for the eye. Colours come from
// Tailwind classes, so light and dark themes follow prefers-color-scheme.
import type { Bin } from "@/lib/ui/insights";

const GRID = "stroke-zinc-200 dark:stroke-zinc-800";

/** Columns over time: one per bin, zero bins drawn as empty slots. */
export function ColumnChart({
  bins,
  format,
  label,
  testId,
  tone = "fill-violet-500 dark:fill-violet-400",
}: {
  bins: Bin[];
  format: (value: number) => string;
  label: string;
  testId?: string;
  tone?: string;
}) {
  const max = Math.max(0, ...bins.map((b) => b.value));
  const total = bins.reduce((sum, b) => sum + b.value, 0);
  const n = Math.max(1, bins.length);
  // A tiny non-zero value still shows as a sliver.
  const height = (v: number) => (max === 0 || v === 0 ? 0 : Math.max(1.5, (v / max) * 100));
  const gap = n > 60 ? 0.1 : 0.2;
  return (
    <figure role="img" aria-label={label} data-testid={testId} data-total={total} data-max={max} data-bins={bins.length} className="m-0">
      <div className="flex items-baseline justify-between text-[11px] text-zinc-500 tabular-nums dark:text-zinc-400" aria-hidden>
        <span>{max > 0 ? `max ${format(max)}` : "nothing yet"}</span>
      </div>
      <svg viewBox={`0 0 ${n} 100`} preserveAspectRatio="none" className="mt-1 h-32 w-full overflow-visible sm:h-40" aria-hidden>
        {[0, 50, 100].map((y) => (
          <line key={y} x1={0} x2={n} y1={y} y2={y} className={GRID} vectorEffect="non-scaling-stroke" strokeWidth={1} />
        ))}
        {bins.map((b, i) => {
          const h = height(b.value);
          return (
            <rect key={b.start} x={i + gap / 2} width={1 - gap} y={100 - h} height={h} className={tone} rx={0}>
              <title>{`${b.label}: ${format(b.value)}`}</title>
            </rect>
          );
        })}
      </svg>
      <div className="mt-1 flex justify-between gap-2 text-[11px] text-zinc-500 dark:text-zinc-400" aria-hidden>
        <span>{bins[0]?.label}</span>
        {bins.length > 2 && <span className="hidden sm:inline">{bins[Math.floor(bins.length / 2)]?.label}</span>}
        <span>{bins.at(-1)?.label}</span>
      </div>
    </figure>
  );
}

export type BarRow = { key: string; label: string; value: number; display: string; tone?: string };

/** Horizontal bars on one shared scale, label and figure beside each. */
export function BarList({ rows, label, testId, max }: { rows: BarRow[]; label: string; testId?: string; max?: number }) {
  const top = max ?? Math.max(0, ...rows.map((r) => r.value));
  return (
    <figure role="img" aria-label={label} data-testid={testId} className="m-0">
      <ul className="space-y-2.5" aria-hidden>
        {rows.map((r) => (
          <li key={r.key} data-key={r.key} data-value={r.value} className="grid grid-cols-[6.5rem_1fr_auto] items-center gap-2 text-sm">
            <span className="truncate text-zinc-600 dark:text-zinc-300">{r.label}</span>
            <svg viewBox="0 0 100 10" preserveAspectRatio="none" className="h-3 w-full">
              <rect x={0} y={0} width={100} height={10} rx={2} className="fill-zinc-100 dark:fill-zinc-800" />
              {r.value > 0 && top > 0 && (
                <rect
                  x={0}
                  y={0}
                  width={Math.max(1, (r.value / top) * 100)}
                  height={10}
                  rx={2}
                  className={r.tone ?? "fill-violet-500 dark:fill-violet-400"}
                />
              )}
            </svg>
            <span className="text-right font-medium tabular-nums">{r.display}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** Two parts of one whole as a single split bar, with a legend. */
export function SplitBar({
  parts,
  label,
  testId,
}: {
  parts: { key: string; label: string; value: number; tone: string; swatch: string }[];
  label: string;
  testId?: string;
}) {
  const total = parts.reduce((sum, p) => sum + p.value, 0);
  let x = 0;
  return (
    <figure role="img" aria-label={label} data-testid={testId} className="m-0">
      <svg viewBox="0 0 100 10" preserveAspectRatio="none" className="h-4 w-full" aria-hidden>
        <rect x={0} y={0} width={100} height={10} rx={2} className="fill-zinc-100 dark:fill-zinc-800" />
        {total > 0 &&
          parts.map((p) => {
            const w = (p.value / total) * 100;
            const rect = <rect key={p.key} x={x} y={0} width={w} height={10} className={p.tone} />;
            x += w;
            return rect;
          })}
      </svg>
      <ul className="mt-3 flex flex-wrap gap-x-5 gap-y-1 text-sm" aria-hidden>
        {parts.map((p) => (
          <li key={p.key} data-key={p.key} data-value={p.value} className="flex items-center gap-1.5">
            <span className={`size-2.5 rounded-sm ${p.swatch}`} />
            <span className="text-zinc-600 dark:text-zinc-300">{p.label}</span>
            <span className="font-medium tabular-nums">{p.value.toLocaleString("en")}</span>
            {total > 0 && <span className="text-zinc-500 tabular-nums dark:text-zinc-400">({Math.round((p.value / total) * 100)}%)</span>}
          </li>
        ))}
      </ul>
    </figure>
  );
}
