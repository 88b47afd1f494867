// The insights charts' bins (lib/ui/insights.ts): zero-filled, evenly spaced,
// each sparse bucket in the bin that holds it, and the turnaround's words.
import { describe, expect, it } from "vitest";
import { binSeries, deliveryBinHours, deliveryBins, formatHour, formatSeconds, storedBins } from "@/lib/ui/insights";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.parse("2026-06-10T15:30:00Z");

describe("chart bins", () => {
  it("zero-fills from the bin holding `since` to the one holding now", () => {
    const bins = binSeries([{ at: now - 2 * HOUR, value: 3 }], now - 5 * HOUR, now, HOUR, String);
    expect(bins.map((b) => b.value)).toEqual([0, 0, 0, 3, 0, 0]);
    expect(bins[0]!.start).toBe(Date.parse("2026-06-10T10:00:00Z"));
  });

  it("draws callbacks per hour up to a week, per 6 hours up to a month, per day beyond", () => {
    expect([1, 7, 30, 90, 365].map(deliveryBinHours)).toEqual([1, 1, 6, 24, 24]);
    const since = new Date(now - 30 * DAY).toISOString();
    const bins = deliveryBins(
      [
        { hour: "2026-06-10T12:00:00.000Z", count: 2 },
        { hour: "2026-06-10T13:00:00.000Z", count: 5 },
        { hour: "2026-06-10T11:00:00.000Z", count: 1 },
      ],
      since,
      30,
      now,
    );
    expect(bins).toHaveLength(121);
    // 12:00 and 13:00 share the 12:00–18:00 bin; 11:00 is in the one before.
    expect(bins.at(-1)!.value).toBe(7);
    expect(bins.at(-2)!.value).toBe(1);
    expect(bins.at(-1)!.label).toBe("Jun 10, 12:00 UTC");
  });

  it("puts stored bytes in their UTC day", () => {
    const bins = storedBins(
      [
        { day: "2026-06-08", bytes: 100 },
        { day: "2026-06-10", bytes: 50 },
      ],
      new Date(now - 7 * DAY).toISOString(),
      now,
    );
    expect(bins).toHaveLength(8);
    expect(bins.map((b) => b.value).slice(-3)).toEqual([100, 0, 50]);
    expect(bins.at(-1)!.label).toBe("Jun 10");
  });

  // The page is rendered on the server and again in the browser: a label that
  // differs between the two engines fails hydration (React error #418).
  it("labels the midnight hour 00:00, as browsers do (Node 20 printed 24:00)", () => {
    expect(formatHour(Date.parse("2026-06-10T00:00:00Z"))).toBe("Jun 10, 00:00 UTC");
    expect(formatHour(Date.parse("2026-06-10T23:00:00Z"))).toBe("Jun 10, 23:00 UTC");
  });

  it.each<[number | null, string]>([
    [null, "—"],
    [0, "0 s"],
    [12.5, "12.5 s"],
    [60, "1 min"],
    [100, "1 min 40 s"],
    [3600, "1 h"],
    [7500, "2 h 5 min"],
  ])("formats %s seconds as %s", (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });
});
