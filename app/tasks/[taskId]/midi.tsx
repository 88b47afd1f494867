"use client";
// A MIDI task's notes as a piano roll per instrument (SVG: time across, pitch
// up), on one time axis for all, zoomable and scrolled together; the notes as
// a table on request; the Standard MIDI File to download.
import { useRef, useState } from "react";
import { KindIcon } from "@/components/kind-icon";
import { BUTTON, Card, CardHeader, EmptyState } from "@/components/ui";
import { taskDetailUrl } from "@/lib/ui/api-client";
import {
  axisLabels,
  describeInstrument,
  isBlackKey,
  midiLength,
  noteName,
  pitchRange,
  rangeLabel,
  tickLabel,
  timeTicks,
  type Instrument,
  type Midi,
} from "@/lib/ui/piano-roll";
import { DownloadIcon } from "./asset-status";

const ZOOMS = [1, 2, 4, 8, 16, 32];
/** Notes the table lists at most (the roll draws them all). */
const TABLE_ROWS = 2000;

const NOTE_FILLS = [
  "fill-violet-500 dark:fill-violet-400",
  "fill-sky-500 dark:fill-sky-400",
  "fill-emerald-500 dark:fill-emerald-400",
  "fill-amber-500 dark:fill-amber-400",
  "fill-pink-500 dark:fill-pink-400",
  "fill-teal-500 dark:fill-teal-400",
];

export function MidiNotes({ taskId, midi, status }: { taskId: string; midi: Midi | null; status: string }) {
  const [zoom, setZoom] = useState(1);
  const rolls = useRef<(HTMLDivElement | null)[]>([]);
  const instruments = midi?.instruments ?? [];
  const notes = instruments.reduce((n, i) => n + i.notes.length, 0);
  const length = midi ? midiLength(midi) : 1;

  /** One time axis: scrolling one roll scrolls them all. */
  const follow = (from: HTMLDivElement) => {
    for (const roll of rolls.current) if (roll && roll !== from && roll.scrollLeft !== from.scrollLeft) roll.scrollLeft = from.scrollLeft;
  };
  const zoomTo = (next: number) => {
    // Keep the middle of what is in view where it is.
    const first = rolls.current.find(Boolean);
    const centre = first ? (first.scrollLeft + first.clientWidth / 2) / first.scrollWidth : 0;
    setZoom(next);
    requestAnimationFrame(() => {
      for (const roll of rolls.current) if (roll) roll.scrollLeft = centre * roll.scrollWidth - roll.clientWidth / 2;
    });
  };
  const at = ZOOMS.indexOf(zoom);

  return (
    <Card>
      <CardHeader
        id="midi"
        title="MIDI"
        description={
          midi
            ? `${instruments.length} instrument${instruments.length === 1 ? "" : "s"} · ${notes.toLocaleString("en")} note${notes === 1 ? "" : "s"} · ${tickLabel(length, length < 10 ? 0.1 : 1)}`
            : undefined
        }
        actions={
          midi ? (
            <>
              <div className="flex items-center rounded-lg border border-zinc-300 dark:border-zinc-700" role="group" aria-label="Zoom">
                <button
                  type="button"
                  className="grid h-7 w-8 place-items-center rounded-l-lg text-sm hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-violet-500 disabled:opacity-40 dark:hover:bg-zinc-800"
                  disabled={at === 0}
                  onClick={() => zoomTo(ZOOMS[at - 1]!)}
                  aria-label="Zoom out"
                >
                  −
                </button>
                <span
                  className="w-10 text-center text-xs text-zinc-600 tabular-nums dark:text-zinc-300"
                  aria-live="polite"
                  data-testid="midi-zoom"
                >
                  {zoom}×
                </span>
                <button
                  type="button"
                  className="grid h-7 w-8 place-items-center rounded-r-lg text-sm hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-violet-500 disabled:opacity-40 dark:hover:bg-zinc-800"
                  disabled={at === ZOOMS.length - 1}
                  onClick={() => zoomTo(ZOOMS[at + 1]!)}
                  aria-label="Zoom in"
                >
                  +
                </button>
              </div>
              <a href={`${taskDetailUrl(taskId)}/midi`} download={`${taskId}.mid`} className={BUTTON.small}>
                <DownloadIcon />
                Download .mid
              </a>
            </>
          ) : undefined
        }
      />
      {!midi ? (
        <EmptyState title="No notes yet" icon={<KindIcon kind="midi" className="size-8" />}>
          {status === "failed"
            ? "The MIDI generation failed, so there are no notes."
            : status === "pending"
              ? "Waiting for the provider: the notes appear here when the MIDI is made."
              : "The provider sent no notes for this task."}
        </EmptyState>
      ) : instruments.length === 0 ? (
        <EmptyState title="No instruments">The provider found no instrument in this audio.</EmptyState>
      ) : (
        <div className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
          {instruments.map((instrument, i) => (
            <PianoRoll
              key={i}
              instrument={instrument}
              length={length}
              zoom={zoom}
              fill={NOTE_FILLS[i % NOTE_FILLS.length]!}
              scroller={(el) => {
                rolls.current[i] = el;
              }}
              onScroll={follow}
            />
          ))}
        </div>
      )}
    </Card>
  );
}

function PianoRoll({
  instrument,
  length,
  zoom,
  fill,
  scroller,
  onScroll,
}: {
  instrument: Instrument;
  length: number;
  zoom: number;
  fill: string;
  scroller: (el: HTMLDivElement | null) => void;
  onScroll: (el: HTMLDivElement) => void;
}) {
  const { low, high } = pitchRange(instrument.notes);
  const span = high - low + 1;
  // 8 px a semitone, between 120 and 320 px in all.
  const height = Math.min(320, Math.max(120, span * 8));
  const { step, ticks } = timeTicks(length, 6 * zoom);
  const rows = Array.from({ length: span }, (_, i) => high - i);
  // The shortest a note is drawn: a pixel or so at the widest zoom.
  const minWidth = length / (1200 * zoom);
  const summary = describeInstrument(instrument);
  const labelled = axisLabels(low, high, height / span);

  return (
    <figure className="space-y-2 p-4 sm:p-5" data-testid="piano-roll" aria-label={`Piano roll of ${instrument.name}`}>
      <figcaption className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <span className="text-sm font-medium">{instrument.name}</span>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">
          {instrument.notes.length.toLocaleString("en")} note{instrument.notes.length === 1 ? "" : "s"}
          {instrument.notes.length > 0 && ` · ${rangeLabel(instrument.notes)}`}
        </span>
      </figcaption>
      <div className="flex">
        <div className="relative w-10 shrink-0 text-[10px] text-zinc-500 tabular-nums dark:text-zinc-400" style={{ height }} aria-hidden>
          {labelled.map((p) => (
            <span
              key={p}
              className="absolute right-1.5 -translate-y-1/2 leading-none"
              style={{ top: `${((high - p + 0.5) / span) * 100}%` }}
            >
              {noteName(p)}
            </span>
          ))}
        </div>
        <div
          ref={scroller}
          onScroll={(e) => onScroll(e.currentTarget)}
          tabIndex={0}
          role="region"
          aria-label={`${instrument.name}, scroll along time`}
          className="min-w-0 flex-1 overflow-x-auto overflow-y-hidden rounded-md border border-zinc-200 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-violet-500 dark:border-zinc-800"
        >
          <div className="relative" style={{ width: `${zoom * 100}%` }}>
            <svg
              viewBox={`0 0 ${length} ${span}`}
              preserveAspectRatio="none"
              width="100%"
              height={height}
              role="img"
              aria-label={summary}
              className="block bg-white dark:bg-zinc-950"
            >
              {rows.map((p, i) =>
                isBlackKey(p) ? <rect key={p} x={0} y={i} width={length} height={1} className="fill-zinc-100 dark:fill-zinc-900" /> : null,
              )}
              {rows.map((p, i) =>
                p % 12 === 0 ? (
                  <line
                    key={`c${p}`}
                    x1={0}
                    x2={length}
                    y1={i + 1}
                    y2={i + 1}
                    vectorEffect="non-scaling-stroke"
                    className="stroke-zinc-300 dark:stroke-zinc-700"
                  />
                ) : null,
              )}
              {ticks.map((t) => (
                <line
                  key={t}
                  x1={t}
                  x2={t}
                  y1={0}
                  y2={span}
                  vectorEffect="non-scaling-stroke"
                  className="stroke-zinc-200 dark:stroke-zinc-800"
                />
              ))}
              <g className={fill} data-testid="notes">
                {instrument.notes.map((note, i) => (
                  <rect
                    key={i}
                    x={note.start}
                    y={high - note.pitch + 0.08}
                    width={Math.max(minWidth, note.end - note.start)}
                    height={0.84}
                    fillOpacity={0.45 + 0.55 * Math.min(1, Math.max(0, note.velocity))}
                  />
                ))}
              </g>
            </svg>
            <div
              className="relative h-5 border-t border-zinc-200 text-[10px] text-zinc-500 tabular-nums dark:border-zinc-800 dark:text-zinc-400"
              aria-hidden
            >
              {ticks.map((t, i) => (
                <span
                  key={t}
                  className={`absolute top-1 leading-none whitespace-nowrap ${i === 0 ? "" : i === ticks.length - 1 && t >= length - step / 2 ? "-translate-x-full" : "-translate-x-1/2"}`}
                  style={{ left: `${(t / length) * 100}%`, paddingLeft: i === 0 ? 2 : undefined }}
                >
                  {tickLabel(t, step)}
                </span>
              ))}
            </div>
          </div>
        </div>
      </div>
      <NoteTable instrument={instrument} />
    </figure>
  );
}

/** The notes as numbers, drawn only once opened (an instrument may have thousands). */
function NoteTable({ instrument }: { instrument: Instrument }) {
  const [open, setOpen] = useState(false);
  if (instrument.notes.length === 0) return null;
  const shown = instrument.notes.slice(0, TABLE_ROWS);
  const th = "px-3 py-1.5 text-left font-medium text-zinc-500 dark:text-zinc-400";
  const td = "px-3 py-1 tabular-nums";
  return (
    <details className="group" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="cursor-pointer list-none rounded text-xs font-medium text-zinc-600 select-none hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-violet-500 dark:text-zinc-400 dark:hover:text-zinc-100 [&::-webkit-details-marker]:hidden">
        <span aria-hidden className="mr-1 inline-block transition-transform group-open:rotate-90">
          ›
        </span>
        The notes of {instrument.name} as a table
      </summary>
      {open && (
        <div className="mt-2 max-h-72 overflow-auto rounded-md border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-xs">
            <thead className="sticky top-0 bg-zinc-50 dark:bg-zinc-900">
              <tr>
                <th scope="col" className={th}>
                  Note
                </th>
                <th scope="col" className={th}>
                  Pitch
                </th>
                <th scope="col" className={th}>
                  Start (s)
                </th>
                <th scope="col" className={th}>
                  End (s)
                </th>
                <th scope="col" className={th}>
                  Velocity
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
              {shown.map((note, i) => (
                <tr key={i}>
                  <td className={td}>{noteName(note.pitch)}</td>
                  <td className={td}>{note.pitch}</td>
                  <td className={td}>{note.start.toFixed(3)}</td>
                  <td className={td}>{note.end.toFixed(3)}</td>
                  <td className={td}>{note.velocity.toFixed(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {instrument.notes.length > shown.length && (
            <p className="p-2 text-xs text-zinc-500 dark:text-zinc-400">
              The first {shown.length.toLocaleString("en")} of {instrument.notes.length.toLocaleString("en")} notes; the .mid has them all.
            </p>
          )}
        </div>
      )}
    </details>
  );
}
