// Presentational building blocks (no state): one look for every page.
import type { ReactNode } from "react";
import { KindIcon } from "@/components/kind-icon";
import { TASK_KINDS, type TaskKind } from "@/lib/core/enums";
import { kindName } from "@/lib/core/timeline";
import { isHttpUrl } from "@/lib/ui/format";

type Tone = "green" | "red" | "amber" | "blue" | "gray" | "violet" | "fuchsia" | "teal" | "indigo" | "orange" | "pink";

const TONES: Record<Tone, string> = {
  green: "bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/25",
  red: "bg-red-50 text-red-700 ring-red-600/20 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-400/25",
  amber: "bg-amber-50 text-amber-800 ring-amber-600/25 dark:bg-amber-400/10 dark:text-amber-300 dark:ring-amber-400/25",
  blue: "bg-sky-50 text-sky-700 ring-sky-600/20 dark:bg-sky-400/10 dark:text-sky-300 dark:ring-sky-400/25",
  gray: "bg-zinc-100 text-zinc-700 ring-zinc-500/20 dark:bg-zinc-400/10 dark:text-zinc-300 dark:ring-zinc-400/20",
  violet: "bg-violet-50 text-violet-700 ring-violet-600/20 dark:bg-violet-400/10 dark:text-violet-300 dark:ring-violet-400/25",
  fuchsia: "bg-fuchsia-50 text-fuchsia-700 ring-fuchsia-600/20 dark:bg-fuchsia-400/10 dark:text-fuchsia-300 dark:ring-fuchsia-400/25",
  teal: "bg-teal-50 text-teal-700 ring-teal-600/20 dark:bg-teal-400/10 dark:text-teal-300 dark:ring-teal-400/25",
  indigo: "bg-indigo-50 text-indigo-700 ring-indigo-600/20 dark:bg-indigo-400/10 dark:text-indigo-300 dark:ring-indigo-400/25",
  orange: "bg-orange-50 text-orange-800 ring-orange-600/20 dark:bg-orange-400/10 dark:text-orange-300 dark:ring-orange-400/25",
  pink: "bg-pink-50 text-pink-700 ring-pink-600/20 dark:bg-pink-400/10 dark:text-pink-300 dark:ring-pink-400/25",
};

/** Each kind's colour, wherever a kind is shown (badges, filter chips). */
export const KIND_TONES: Record<TaskKind, Tone> = {
  cover: "violet",
  wav: "blue",
  music: "fuchsia",
  lyrics: "teal",
  separation: "indigo",
  midi: "orange",
  video: "pink",
  other: "gray",
};

export const isTaskKind = (value: string): value is TaskKind => (TASK_KINDS as readonly string[]).includes(value);

const STATUS_TONES: Record<string, Tone> = {
  succeeded: "green",
  stored: "green",
  accepted: "green",
  failed: "red",
  rejected: "red",
  pending: "amber",
  downloading: "blue",
  duplicate: "gray",
};

export function Badge({ tone, children, dot = false }: { tone: Tone; children: ReactNode; dot?: boolean }) {
  return (
    <span
      className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}
    >
      {dot && <span aria-hidden className="size-1.5 rounded-full bg-current" />}
      {children}
    </span>
  );
}

/** A task/asset/delivery state as a coloured badge. */
export function StatusBadge({ status }: { status: string }) {
  const tone = STATUS_TONES[status] ?? "gray";
  return (
    <Badge tone={tone} dot>
      {status}
    </Badge>
  );
}

/** A task's (or a delivery's) kind: its icon, colour and name. */
export function KindBadge({ kind }: { kind: string | null }) {
  if (!kind || !isTaskKind(kind)) return <Badge tone="gray">{kind ?? "unknown"}</Badge>;
  return (
    <span data-kind={kind} className="inline-flex">
      <Badge tone={KIND_TONES[kind]}>
        <KindIcon kind={kind} className="size-3" />
        {kindName(kind)}
      </Badge>
    </span>
  );
}

export function Card({ children, className = "" }: { children: ReactNode; className?: string }) {
  return (
    <section className={`rounded-xl border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900/60 ${className}`}>
      {children}
    </section>
  );
}

export function CardHeader({
  title,
  description,
  actions,
  id,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  id?: string;
}) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-200 px-4 py-3 sm:px-5 dark:border-zinc-800">
      <div className="min-w-0">
        <h2 id={id} className="text-sm font-semibold">
          {title}
        </h2>
        {description && <p className="mt-0.5 text-sm text-zinc-500 dark:text-zinc-400">{description}</p>}
      </div>
      {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
    </div>
  );
}

export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div className="min-w-0">
        <h1 className="text-xl font-semibold tracking-tight sm:text-2xl">{title}</h1>
        {description && <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">{description}</p>}
      </div>
      {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
    </div>
  );
}

export function EmptyState({ title, children, icon }: { title: string; children?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="flex flex-col items-center px-6 py-12 text-center">
      {icon && <div className="mb-3 text-zinc-400 dark:text-zinc-500">{icon}</div>}
      <h3 className="text-sm font-semibold">{title}</h3>
      {children && <div className="mt-2 max-w-xl text-sm text-zinc-500 dark:text-zinc-400">{children}</div>}
    </div>
  );
}

export function Skeleton({ className = "" }: { className?: string }) {
  return <div aria-hidden className={`animate-pulse rounded-md bg-zinc-200/80 dark:bg-zinc-800 ${className}`} />;
}

export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      className="h-1.5 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
    >
      <div className="h-full rounded-full bg-sky-500 transition-[width] duration-500" style={{ width: `${pct}%` }} />
    </div>
  );
}

const BUTTON_BASE =
  "inline-flex items-center justify-center gap-1.5 whitespace-nowrap rounded-lg text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-violet-500 disabled:cursor-not-allowed disabled:opacity-60";

export const BUTTON = {
  primary: `${BUTTON_BASE} h-9 px-3.5 bg-zinc-900 text-white hover:bg-zinc-700 dark:bg-white dark:text-zinc-900 dark:hover:bg-zinc-200`,
  secondary: `${BUTTON_BASE} h-9 px-3.5 border border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800`,
  small: `${BUTTON_BASE} h-7 px-2.5 text-xs border border-zinc-300 bg-white text-zinc-700 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800`,
  ghost: `${BUTTON_BASE} h-7 px-2 text-xs text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100`,
};

export const INPUT =
  "h-9 w-full rounded-lg border border-zinc-300 bg-white px-3 text-sm text-zinc-900 placeholder:text-zinc-400 focus-visible:border-violet-500 focus-visible:outline-2 focus-visible:outline-violet-500/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-500";

export function Spinner({ className = "size-3.5" }: { className?: string }) {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className={`animate-spin ${className}`} fill="none">
      <circle cx="12" cy="12" r="10" stroke="currentColor" strokeOpacity="0.25" strokeWidth="4" />
      <path d="M22 12a10 10 0 0 0-10-10" stroke="currentColor" strokeWidth="4" strokeLinecap="round" />
    </svg>
  );
}

/** An http(s) URL as a link; anything else as plain text (never a javascript: link). */
export function SafeLink({ href, children, className = "" }: { href: string | null; children?: ReactNode; className?: string }) {
  const text = children ?? href;
  if (!isHttpUrl(href)) return <span className={`break-all ${className}`}>{text}</span>;
  return (
    <a
      href={href}
      target="_blank"
      rel="noreferrer noopener"
      referrerPolicy="no-referrer"
      className={`break-all text-violet-700 underline-offset-2 hover:underline dark:text-violet-300 ${className}`}
    >
      {text}
    </a>
  );
}

/** The footer of a keyset-paginated list: shown while there is a next page. */
export function LoadMore({ loading, onLoad }: { loading: boolean; onLoad: () => void }) {
  return (
    <div className="flex justify-center border-t border-zinc-200 p-3 dark:border-zinc-800">
      <button type="button" className={BUTTON.secondary} disabled={loading} onClick={onLoad}>
        {loading && <Spinner />}
        Load more
      </button>
    </div>
  );
}
