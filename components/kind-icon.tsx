// One small line icon per kind of task (16 px grid, the current text colour),
// drawn inline: no icon font, nothing fetched.
import type { ReactNode } from "react";
import type { TaskKind } from "@/lib/core/enums";

const PATHS: Record<TaskKind, ReactNode> = {
  // A picture: frame, sun, hill.
  cover: (
    <>
      <rect x="2" y="2.5" width="12" height="11" rx="1.5" />
      <circle cx="6" cy="6.5" r="1.25" />
      <path d="M2.5 12l3.5-3.5 2.5 2.5 2-2 3 3" />
    </>
  ),
  // A waveform.
  wav: <path d="M2 8h1M4.5 5.5v5M7 3v10M9.5 5v6M12 6.5v3M14 8h0" />,
  // Two quavers.
  music: (
    <>
      <path d="M6 12V3.5l7.5-1.5V10.5" />
      <circle cx="4.25" cy="12" r="1.75" />
      <circle cx="11.75" cy="10.5" r="1.75" />
    </>
  ),
  // Lines of text, the last one short.
  lyrics: <path d="M2.5 3.5h11M2.5 6.5h11M2.5 9.5h11M2.5 12.5h6.5" />,
  // Three faders of a mixing desk.
  separation: (
    <>
      <path d="M4 2v12M8 2v12M12 2v12" />
      <rect x="2.5" y="9" width="3" height="2" rx="0.5" />
      <rect x="6.5" y="4" width="3" height="2" rx="0.5" />
      <rect x="10.5" y="7" width="3" height="2" rx="0.5" />
    </>
  ),
  // Piano keys.
  midi: (
    <>
      <rect x="2" y="2.5" width="12" height="11" rx="1.5" />
      <path d="M6 13.5V9M10 13.5V9M5 2.5v6.5h2V2.5M9 2.5v6.5h2V2.5" />
    </>
  ),
  // A screen with a play mark.
  video: (
    <>
      <rect x="1.5" y="3" width="13" height="10" rx="1.5" />
      <path d="M6.5 6v4l3.5-2z" />
    </>
  ),
  // Braces: a body kept as it came.
  other: (
    <path d="M5.5 2.5c-1.5 0-2 .6-2 2v1.75c0 .9-.5 1.5-1.5 1.75 1 .25 1.5.85 1.5 1.75v1.75c0 1.4.5 2 2 2M10.5 2.5c1.5 0 2 .6 2 2v1.75c0 .9.5 1.5 1.5 1.75-1 .25-1.5.85-1.5 1.75v1.75c0 1.4-.5 2-2 2" />
  ),
};

export function KindIcon({ kind, className = "size-3.5" }: { kind: TaskKind; className?: string }) {
  return (
    <svg
      aria-hidden
      viewBox="0 0 16 16"
      className={`shrink-0 ${className}`}
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      data-kind-icon={kind}
    >
      {PATHS[kind]}
    </svg>
  );
}
