// The geometry of a MIDI task's piano roll: note names, the pitch range an
// instrument is drawn over, the time axis's ticks. Pure, for the page and tests.
import type { TaskDetail } from "@/lib/ui/api-client";

export type Midi = NonNullable<TaskDetail["midi"]>;
export type Instrument = Midi["instruments"][number];
export type Note = Instrument["notes"][number];

const NAMES = ["C", "C♯", "D", "D♯", "E", "F", "F♯", "G", "G♯", "A", "A♯", "B"];

/** "C4" for 60 (middle C), "A♯-1" for 10. */
export function noteName(pitch: number): string {
  const p = Math.round(pitch);
  return `${NAMES[((p % 12) + 12) % 12]}${Math.floor(p / 12) - 1}`;
}

export const isBlackKey = (pitch: number) => [1, 3, 6, 8, 10].includes(((Math.round(pitch) % 12) + 12) % 12);

/** The fewest semitones a roll shows: an octave, so one note is not a giant bar. */
const MIN_SPAN = 12;

/** The pitches an instrument's roll shows, lowest and highest: its notes plus one each side, at least an octave, within 0–127. */
export function pitchRange(notes: Note[]): { low: number; high: number } {
  if (notes.length === 0) return { low: 60, high: 60 + MIN_SPAN - 1 };
  let low = Infinity;
  let high = -Infinity;
  for (const note of notes) {
    low = Math.min(low, Math.round(note.pitch));
    high = Math.max(high, Math.round(note.pitch));
  }
  low -= 1;
  high += 1;
  const missing = MIN_SPAN - (high - low + 1);
  if (missing > 0) {
    low -= Math.floor(missing / 2);
    high += Math.ceil(missing / 2);
  }
  if (low < 0) [low, high] = [0, high - low];
  if (high > 127) [low, high] = [Math.max(0, low - (high - 127)), 127];
  return { low, high };
}

/**
 * The pitches the roll's left edge names, highest first: every C, and the
 * lowest and highest row unless that would crowd a C (labels at least
 * `minGapPx` apart with rows `rowPx` tall).
 */
export function axisLabels(low: number, high: number, rowPx: number, minGapPx = 24): number[] {
  const gap = Math.max(1, Math.ceil(minGapPx / rowPx));
  const labels: number[] = [];
  for (let p = high; p >= low; p--) if (p % 12 === 0) labels.push(p);
  for (const edge of [high, low]) {
    if (!labels.includes(edge) && labels.every((p) => Math.abs(p - edge) >= gap)) labels.push(edge);
  }
  return labels.sort((a, b) => b - a);
}

/** When the last note of any instrument ends (seconds); at least 1, so an empty roll has an axis. */
export function midiLength(midi: Midi): number {
  let end = 0;
  for (const instrument of midi.instruments) for (const note of instrument.notes) end = Math.max(end, note.end, note.start);
  return Math.max(1, end);
}

const STEPS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600];

/** Tick marks for `length` seconds, about `count` of them, at a round step. */
export function timeTicks(length: number, count: number): { step: number; ticks: number[] } {
  const step = STEPS.find((s) => length / s <= count) ?? STEPS.at(-1)!;
  const ticks: number[] = [];
  for (let t = 0; t <= length + 1e-9; t += step) ticks.push(Math.round(t * 1000) / 1000);
  return { step, ticks };
}

/** A tick's label: "0.5 s" under a second's step, "1:05" from it. */
export function tickLabel(seconds: number, step: number): string {
  if (step < 1) return `${Number(seconds.toFixed(2))} s`;
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** The lowest and highest note played, and when the first starts and the last ends; null without notes. */
export function extent(notes: Note[]): { low: number; high: number; start: number; end: number } | null {
  if (notes.length === 0) return null;
  const e = { low: Infinity, high: -Infinity, start: Infinity, end: 0 };
  for (const note of notes) {
    e.low = Math.min(e.low, note.pitch);
    e.high = Math.max(e.high, note.pitch);
    e.start = Math.min(e.start, note.start);
    e.end = Math.max(e.end, note.end);
  }
  return e;
}

/** "C♯4–C♯5", the notes played; one name when all are the same. */
export function rangeLabel(notes: Note[]): string {
  const e = extent(notes);
  if (!e) return "";
  return e.low === e.high ? noteName(e.low) : `${noteName(e.low)}–${noteName(e.high)}`;
}

/** "Drums: 3 notes from C♯4 to C♯5, between 0.04 s and 0.49 s": what the roll shows, in words. */
export function describeInstrument(instrument: Instrument): string {
  const e = extent(instrument.notes);
  if (!e) return `${instrument.name}: no notes`;
  const count = instrument.notes.length;
  const range = e.low === e.high ? `all ${noteName(e.low)}` : `from ${noteName(e.low)} to ${noteName(e.high)}`;
  return `${instrument.name}: ${count} note${count === 1 ? "" : "s"} ${range}, between ${seconds(e.start)} and ${seconds(e.end)}`;
}

const seconds = (t: number) => `${Number(t.toFixed(2))} s`;
