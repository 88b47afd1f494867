// The streaming WAV peak reader (lib/media/wav-peaks.ts) on generated files of
// every layout it claims to read, fed in random chunk sizes: a half-loud then
// full-loud sine must come out as peaks near 0.5, then near 1, whatever the
// encoding and however the bytes are cut.
import { describe, expect, it } from "vitest";
import { createInt16Kernel } from "@/lib/media/simd16";
import { PEAK_COUNT, WavPeaks, type Waveform } from "@/lib/media/wav-peaks";
import { makeWav, makeWavFile, type WavOptions } from "../../scripts/lib/media";

/** A seeded PRNG (mulberry32), so a failing cut is reproducible. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Feeds `file` in chunks of 1 byte up to 64 KiB (small ones often, to hit every boundary). */
function readInChunks(file: Buffer, seed: number): Waveform | null {
  const next = random(seed);
  const reader = new WavPeaks();
  for (let at = 0; at < file.length;) {
    const r = next();
    const size = r < 0.3 ? 1 + Math.floor(next() * 7) : r < 0.6 ? 1 + Math.floor(next() * 1024) : 1 + Math.floor(next() * 65536);
    // A copy at an odd offset of a larger buffer: the reader must not assume alignment.
    const carrier = Buffer.alloc(size + 3);
    file.copy(carrier, 3, at, at + size);
    reader.push(carrier.subarray(3, 3 + Math.min(size, file.length - at)));
    at += size;
  }
  return reader.result();
}

/** Peaks of the quiet first half ≈ 0.5 and of the loud second half ≈ 1 (ignoring the bucket at the step). */
function expectHalfThenFull(waveform: Waveform): void {
  const { peaks } = waveform;
  const middle = peaks.length / 2;
  const quiet = peaks.filter((_, i) => i < middle - 1);
  const loud = peaks.filter((_, i) => i > middle + 1);
  for (const p of quiet) expect(p).toSatisfy((v: number) => v > 0.45 && v <= 0.501);
  for (const p of loud) expect(p).toSatisfy((v: number) => v > 0.95 && v <= 1);
}

const LAYOUTS: [string, WavOptions][] = [
  ["16-bit stereo", { encoding: "int16" }],
  ["16-bit mono", { encoding: "int16", channels: 1 }],
  ["24-bit stereo", { encoding: "int24" }],
  ["24-bit mono, odd data size", { encoding: "int24", channels: 1, seconds: 1.000125 }],
  ["32-bit int stereo", { encoding: "int32" }],
  ["32-bit float stereo", { encoding: "float32" }],
  ["32-bit float mono, extensible", { encoding: "float32", channels: 1, extensible: true }],
  ["24-bit extensible, six channels", { encoding: "int24", channels: 6, extensible: true }],
  ["16-bit extensible stereo", { encoding: "int16", extensible: true }],
  ["16-bit with a LIST chunk of odd size before data", { encoding: "int16", listBytes: 301 }],
  ["32-bit float with a LIST chunk", { encoding: "float32", listBytes: 64 }],
];

describe("the 16-bit WebAssembly SIMD kernel", () => {
  it("finds the same loudest sample as a plain loop, over any range", () => {
    const kernel = createInt16Kernel()!;
    expect(kernel).not.toBeNull();
    const next = random(12);
    for (let round = 0; round < 50; round++) {
      const count = 1 + Math.floor(next() * 70_000); // also past the first memory page: it grows
      const samples = new Int16Array(count).map(() => Math.round((next() - 0.5) * 2 * 32767 * next() ** 4));
      if (round % 5 === 0) samples[Math.floor(next() * count)] = -32768;
      kernel.load(new Uint8Array(samples.buffer), count * 2);
      const from = Math.floor(next() * count);
      const to = from + Math.floor(next() * (count - from + 1));
      let expected = 0;
      for (let i = from; i < to; i++) expected = Math.max(expected, Math.abs(samples[i]!));
      expect(kernel.maxAbs(from, to)).toBe(expected);
    }
  });
});

describe("WavPeaks", () => {
  describe.each(LAYOUTS)("%s", (_name, options) => {
    const seconds = options.seconds ?? 2;
    const sampleRate = 8_000;
    const channels = options.channels ?? 2;
    const file = makeWavFile({ sampleRate, ...options, seconds });

    it("reads the format and the duration, and the peaks follow the signal", () => {
      const waveform = readInChunks(file, 1)!;
      expect(waveform).not.toBeNull();
      expect(waveform.sampleRate).toBe(sampleRate);
      expect(waveform.channels).toBe(channels);
      expect(waveform.durationSeconds).toBeCloseTo(Math.round(seconds * sampleRate) / sampleRate, 6);
      expect(waveform.peaks).toHaveLength(PEAK_COUNT);
      expectHalfThenFull(waveform);
    });

    it("gives the same peaks however the bytes are cut", () => {
      const whole = new WavPeaks();
      whole.push(file);
      const expected = whole.result();
      for (const seed of [2, 3, 4, 5]) expect(readInChunks(file, seed)).toEqual(expected);
    });

    it("reads a streamed WAV (data size unknown) from the bytes that arrive", () => {
      const waveform = readInChunks(makeWavFile({ sampleRate, ...options, seconds, unknownSize: true }), 6)!;
      expect(waveform.durationSeconds).toBeCloseTo(Math.round(seconds * sampleRate) / sampleRate, 6);
      expect(waveform.peaks.length).toBeGreaterThanOrEqual(PEAK_COUNT / 2);
      expect(waveform.peaks.length).toBeLessThanOrEqual(PEAK_COUNT);
      expectHalfThenFull(waveform);
    });
  });

  it("keeps memory bounded and peaks in range on a long streamed WAV", () => {
    // 10 minutes at 8 kHz mono: many merges of the fine buckets.
    const file = makeWavFile({ seconds: 600, sampleRate: 8_000, channels: 1, unknownSize: true });
    const waveform = readInChunks(file, 7)!;
    expect(waveform.durationSeconds).toBe(600);
    expect(waveform.peaks.length).toBeGreaterThanOrEqual(PEAK_COUNT / 2);
    expect(waveform.peaks.length).toBeLessThanOrEqual(PEAK_COUNT);
    expectHalfThenFull(waveform);
  });

  it("gives a file with fewer frames than peaks one peak per frame", () => {
    const waveform = readInChunks(makeWavFile({ seconds: 0.01, sampleRate: 8_000 }), 8)!;
    expect(waveform.peaks).toHaveLength(80);
  });

  it("reads the WAVs the fake provider serves (a quiet 16-bit tone at 44.1 kHz)", () => {
    const waveform = readInChunks(makeWav(2), 9)!;
    expect(waveform).toMatchObject({ durationSeconds: 2, sampleRate: 44_100, channels: 2 });
    for (const p of waveform.peaks) expect(p).toBeCloseTo(8000 / 32768, 2);
  });

  it("measures a file cut short by the bytes that arrived", () => {
    const file = makeWavFile({ seconds: 2, sampleRate: 8_000 });
    const waveform = readInChunks(file.subarray(0, 44 + (file.length - 44) / 2), 10)!;
    expect(waveform.durationSeconds).toBeCloseTo(1, 3);
    expect(waveform.peaks.length).toBeGreaterThanOrEqual(PEAK_COUNT / 2 - 1);
  });

  it.each([
    ["garbage", Buffer.from("not a wav file at all, just text that goes on and on".repeat(100))],
    ["an HTML page", Buffer.from("<!DOCTYPE html><html><body>denied</body></html>")],
    ["a RIFF that is not WAVE", Buffer.concat([Buffer.from("RIFF\x10\x00\x00\x00AVI "), Buffer.alloc(64)])],
    ["a header only", makeWavFile({ seconds: 0 })],
    ["data before fmt", Buffer.concat([Buffer.from("RIFF\xff\xff\xff\xffWAVEdata\x04\x00\x00\x00", "latin1"), Buffer.alloc(4)])],
    ["8 empty bytes", Buffer.alloc(8)],
    ["nothing", Buffer.alloc(0)],
    ["a compressed format (MP3 in WAV)", withFormatTag(makeWavFile(), 0x55)],
    ["a 12-bit PCM", withBits(makeWavFile(), 12)],
    ["random bytes after a valid header", Buffer.concat([makeWavFile().subarray(0, 36), Buffer.from("LIST"), Buffer.alloc(4, 0xff)])],
    ["an extensible header with an unknown GUID", withGuidByte(makeWavFile({ extensible: true }), 0x42)],
  ])("gives no waveform, without throwing, for %s", (_name, file) => {
    expect(readInChunks(file, 11)).toBeNull();
  });
});

function withFormatTag(file: Buffer, tag: number): Buffer {
  const copy = Buffer.from(file);
  copy.writeUInt16LE(tag, 20);
  return copy;
}

function withBits(file: Buffer, bits: number): Buffer {
  const copy = Buffer.from(file);
  copy.writeUInt16LE(bits, 34);
  return copy;
}

function withGuidByte(file: Buffer, byte: number): Buffer {
  const copy = Buffer.from(file);
  copy[20 + 8 + 30] = byte; // inside the GUID's fixed tail
  return copy;
}
