// The piano roll's geometry: note names, the pitch range a roll shows, the
// labels on its left edge (never crowded), the time axis.
import { describe, expect, it } from "vitest";
import { axisLabels, describeInstrument, noteName, pitchRange, tickLabel, timeTicks } from "@/lib/ui/piano-roll";

const note = (pitch: number, start = 0, end = start + 0.5) => ({ pitch, start, end, velocity: 0.8 });

describe("piano roll", () => {
  it("names notes with middle C as C4", () => {
    expect([noteName(60), noteName(61), noteName(44), noteName(0), noteName(127)]).toEqual(["C4", "C♯4", "G♯2", "C-1", "G9"]);
  });

  it("shows at least an octave around the notes, within 0–127", () => {
    expect(pitchRange([note(44), note(44)])).toEqual({ low: 39, high: 50 });
    expect(pitchRange([note(40), note(80)])).toEqual({ low: 39, high: 81 });
    expect(pitchRange([note(0)])).toEqual({ low: 0, high: 11 });
    expect(pitchRange([note(127)])).toEqual({ low: 116, high: 127 });
  });

  it("labels every C, and the edges only where they do not crowd one", () => {
    // Rows of 10 px: an edge two rows from a C is dropped, one further away kept.
    expect(axisLabels(60, 74, 10)).toEqual([72, 60]);
    expect(axisLabels(38, 49, 10)).toEqual([48, 38]);
    expect(axisLabels(39, 50, 10)).toEqual([48, 39]);
    // Tall rows leave room for every edge.
    expect(axisLabels(58, 74, 30)).toEqual([74, 72, 60, 58]);
    // No C in range: both edges.
    expect(axisLabels(61, 70, 10)).toEqual([70, 61]);
  });

  it("puts ticks at a round step and labels them", () => {
    expect(timeTicks(8.25, 6)).toEqual({ step: 2, ticks: [0, 2, 4, 6, 8] });
    expect(timeTicks(0.5, 6).step).toBe(0.1);
    expect(tickLabel(65, 5)).toBe("1:05");
    expect(tickLabel(0.25, 0.25)).toBe("0.25 s");
  });

  it("describes an instrument in words for screen readers", () => {
    expect(describeInstrument({ name: "Bass", notes: [note(44, 7.69, 7.9), note(44, 8, 8.25)] })).toBe(
      "Bass: 2 notes all G♯2, between 7.69 s and 8.25 s",
    );
    expect(describeInstrument({ name: "Empty", notes: [] })).toBe("Empty: no notes");
  });
});
