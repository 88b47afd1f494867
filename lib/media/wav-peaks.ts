// A WAV's waveform, measured while the file streams past: push() every chunk
// as it arrives (any sizes, any boundaries), result() at the end. It reads the
// RIFF/WAVE header (PCM 8/16/24/32-bit int, 32/64-bit float, plain or
// WAVE_FORMAT_EXTENSIBLE; chunks before `data` are skipped) and keeps, per
// bucket of the file's duration, the loudest sample of any channel. Memory is
// bounded whatever the size, and it never throws: a file it cannot read gives
// no waveform (null) and the download goes on regardless.
import { createInt16Kernel, type Int16Kernel } from "./simd16";

export type Waveform = {
  /** Loudest sample per stretch of time, 0..1 of full scale, in order. */
  peaks: number[];
  durationSeconds: number;
  sampleRate: number;
  channels: number;
};

/** Peaks a waveform has (fewer for a file with fewer frames). */
export const PEAK_COUNT = 1000;
/** When the data size is unknown (streamed WAVs): fine buckets kept at most, halved by merging pairs when full. */
const FINE_MAX = 8192;
/** Frames per fine bucket to begin with (doubles with each merge), so short files get their full count of peaks too. */
const FINE_START_FRAMES = 1;
/** A `fmt ` chunk larger than this is not a real one. */
const FMT_MAX_BYTES = 1024;
/** Data sizes that mean "unknown" in streamed WAVs. */
const UNKNOWN_SIZES = new Set([0, 0xffffffff]);
/** The tail of the KSDATAFORMAT_SUBTYPE_* GUIDs (after the 2-byte format tag): 0000-0000-0010-8000-00aa00389b71. */
const SUBTYPE_TAIL = Buffer.from("000000001000800000aa00389b71", "hex");

type Sample = "u8" | "i16" | "i24" | "i32" | "f32" | "f64";
type Format = { sample: Sample; bytes: number; channels: number; sampleRate: number; fullScale: number };

const FULL_SCALE: Record<Sample, number> = { u8: 128, i16: 32768, i24: 8388608, i32: 2147483648, f32: 1, f64: 1 };

export class WavPeaks {
  private state: "riff" | "chunk" | "fmt" | "skip" | "data" | "done" | "failed" = "riff";
  /** Bytes of a header (or the fmt body, or a split sample) waiting for the rest. */
  private pending = Buffer.alloc(0);
  private need = 12;
  private skipLeft = 0;
  private format: Format | null = null;
  /** Data bytes still to read, or Infinity when the size is unknown. */
  private dataLeft = 0;
  /** Samples in the whole data chunk when its size is known, else null. */
  private totalSamples: number | null = null;
  private samples = 0;
  /** The current bucket spans samples bucketStart..bucketEnd-1. */
  private bucketStart = 0;
  private bucketEnd = 0;
  private bucketMax = 0;
  /** Closed buckets (raw magnitudes): final ones with a known size, fine ones otherwise. */
  private buckets: number[] = [];
  private fineFrames = FINE_START_FRAMES;
  private scratch = new ArrayBuffer(0);
  /** The WebAssembly SIMD loop for 16-bit samples, where available. */
  private int16: Int16Kernel | null = null;

  /** Feeds the next bytes of the file. Never throws. */
  push(chunk: Uint8Array): void {
    try {
      let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      while (buf.length > 0 && this.state !== "done" && this.state !== "failed") buf = this.step(buf);
    } catch {
      this.state = "failed";
    }
  }

  /** The waveform of what was pushed, or null when it was not a WAV this reader understands (or had no samples). */
  result(): Waveform | null {
    const format = this.format;
    if (!format || this.state === "failed" || this.samples < format.channels) return null;
    const frames = Math.floor(this.samples / format.channels);
    const raw = [...this.buckets];
    // A bucket under way (a file cut short, or the last fine bucket) still counts.
    if (this.samples > this.bucketStart) raw.push(this.bucketMax);
    const peaks = this.totalSamples === null ? downsample(raw, PEAK_COUNT) : raw;
    return {
      peaks: peaks.map((m) => Math.round(Math.min(1, m / format.fullScale) * 1000) / 1000),
      durationSeconds: frames / format.sampleRate,
      sampleRate: format.sampleRate,
      channels: format.channels,
    };
  }

  /** Consumes what it can of `buf` in the current state; answers the rest. */
  private step(buf: Buffer): Buffer {
    if (this.state === "skip") {
      const n = Math.min(this.skipLeft, buf.length);
      this.skipLeft -= n;
      if (this.skipLeft === 0) this.expectChunk();
      return buf.subarray(n);
    }
    if (this.state === "data") return this.data(buf);
    // Header states: gather `need` bytes first.
    const take = Math.min(this.need - this.pending.length, buf.length);
    this.pending = Buffer.concat([this.pending, buf.subarray(0, take)]);
    if (this.pending.length < this.need) return buf.subarray(take);
    const head = this.pending;
    this.pending = Buffer.alloc(0);
    if (this.state === "riff") {
      if (head.toString("latin1", 0, 4) !== "RIFF" || head.toString("latin1", 8, 12) !== "WAVE") this.state = "failed";
      else this.expectChunk();
    } else if (this.state === "chunk") {
      this.chunkHeader(head.toString("latin1", 0, 4), head.readUInt32LE(4));
    } else if (this.state === "fmt") {
      this.format = parseFmt(head);
      if (this.format?.sample === "i16") this.int16 = createInt16Kernel();
      if (!this.format) this.state = "failed";
      else this.skip(head.length & 1);
    }
    return buf.subarray(take);
  }

  private expectChunk(): void {
    this.state = "chunk";
    this.need = 8;
  }

  /** Skips `n` bytes (a chunk's body and its pad byte), then reads the next chunk header. */
  private skip(n: number): void {
    if (n === 0) return this.expectChunk();
    this.state = "skip";
    this.skipLeft = n;
  }

  private chunkHeader(id: string, size: number): void {
    if (id === "fmt ") {
      if (this.format || size < 16 || size > FMT_MAX_BYTES) this.state = "failed";
      else {
        this.state = "fmt";
        this.need = size;
      }
    } else if (id === "data") {
      const format = this.format;
      if (!format) return void (this.state = "failed");
      this.state = "data";
      if (UNKNOWN_SIZES.has(size)) {
        this.dataLeft = Infinity;
        this.bucketEnd = this.fineFrames * format.channels;
      } else {
        this.dataLeft = size;
        const frames = Math.floor(size / (format.bytes * format.channels));
        this.totalSamples = frames * format.channels;
        if (frames === 0) this.state = "done";
        else this.bucketEnd = this.finalBucketEnd(0);
      }
    } else {
      // LIST, fact, bext, JUNK, …: not needed; odd sizes are followed by a pad byte.
      this.skip(size + (size & 1));
    }
  }

  /** Where final bucket `index` ends, in samples: buckets split the known frames evenly. */
  private finalBucketEnd(index: number): number {
    const channels = this.format!.channels;
    const frames = this.totalSamples! / channels;
    const count = Math.min(PEAK_COUNT, frames);
    return Math.floor(((index + 1) * frames) / count) * channels;
  }

  private data(input: Buffer): Buffer {
    const format = this.format!;
    let buf = input.subarray(0, Math.min(input.length, this.dataLeft));
    const rest = input.subarray(buf.length);
    this.dataLeft -= buf.length;
    // A sample split across chunks: complete it first.
    if (this.pending.length > 0) {
      const take = Math.min(format.bytes - this.pending.length, buf.length);
      this.pending = Buffer.concat([this.pending, buf.subarray(0, take)]);
      buf = buf.subarray(take);
      if (this.pending.length === format.bytes) {
        this.measure(this.pending, 1);
        this.pending = Buffer.alloc(0);
      }
    }
    const whole = Math.floor(buf.length / format.bytes);
    if (whole > 0) this.measure(buf, whole);
    const tail = buf.subarray(whole * format.bytes);
    if (tail.length > 0) this.pending = Buffer.from(tail);
    // Past the data chunk (or all of its buckets): whatever follows is not needed.
    if (this.dataLeft === 0 || (this.totalSamples !== null && this.samples >= this.totalSamples)) this.state = "done";
    return rest;
  }

  /** Measures `count` whole samples from the start of `buf`, closing buckets as their ends pass. */
  private measure(buf: Buffer, count: number): void {
    const format = this.format!;
    const length = count * format.bytes;
    let maxAbs: (from: number, to: number) => number;
    if (this.int16) {
      const kernel = this.int16;
      kernel.load(buf, length);
      maxAbs = (from, to) => kernel.maxAbs(from, to);
    } else {
      // Copied to an aligned scratch buffer so the samples can be read as a typed array (much faster than DataView).
      if (this.scratch.byteLength < length) this.scratch = new ArrayBuffer(Math.max(length, 64 * 1024));
      new Uint8Array(this.scratch, 0, length).set(buf.subarray(0, length));
      const samples = SAMPLES[format.sample](this.scratch, length);
      const loop = MAX_ABS[format.sample];
      maxAbs = (from, to) => loop(samples, from, to);
    }
    let done = 0;
    while (done < count) {
      if (this.totalSamples !== null && this.samples >= this.totalSamples) return;
      const n = Math.min(count - done, this.bucketEnd - this.samples);
      const m = maxAbs(done, done + n);
      if (m > this.bucketMax) this.bucketMax = m;
      done += n;
      this.samples += n;
      if (this.samples === this.bucketEnd) this.closeBucket();
    }
  }

  private closeBucket(): void {
    this.buckets.push(this.bucketMax);
    this.bucketMax = 0;
    this.bucketStart = this.samples;
    if (this.totalSamples !== null) {
      this.bucketEnd =
        this.buckets.length < Math.min(PEAK_COUNT, this.totalSamples / this.format!.channels)
          ? this.finalBucketEnd(this.buckets.length)
          : Infinity;
      return;
    }
    if (this.buckets.length >= FINE_MAX) {
      // Bounded memory for a file of any length: pairs merge, buckets double in span.
      this.buckets = downsample(this.buckets, FINE_MAX / 2);
      this.fineFrames *= 2;
    }
    this.bucketEnd = this.samples + this.fineFrames * this.format!.channels;
  }
}

type Samples = Int16Array | Int32Array | Float32Array | Float64Array | Uint8Array;

/** The first `length` bytes of `scratch` as samples (24-bit ones stay bytes). WAV is little-endian, like every host Node runs on. */
const SAMPLES: Record<Sample, (scratch: ArrayBuffer, length: number) => Samples> = {
  u8: (b, n) => new Uint8Array(b, 0, n),
  i16: (b, n) => new Int16Array(b, 0, n / 2),
  i24: (b, n) => new Uint8Array(b, 0, n),
  i32: (b, n) => new Int32Array(b, 0, n / 4),
  f32: (b, n) => new Float32Array(b, 0, n / 4),
  f64: (b, n) => new Float64Array(b, 0, n / 8),
};

/**
 * The loudest magnitude of samples from..to-1 (raw units; NaN floats are
 * ignored). One small monomorphic loop per format, tracking highest and lowest
 * (two rarely-taken branches): this runs for every sample of files of hundreds of MiB.
 */
const MAX_ABS: Record<Sample, (samples: Samples, from: number, to: number) => number> = {
  u8: (s, from, to) => {
    let hi = 128;
    let lo = 128;
    for (let i = from; i < to; i++) {
      const v = s[i]!;
      if (v > hi) hi = v;
      if (v < lo) lo = v;
    }
    return Math.max(hi - 128, 128 - lo);
  },
  i16: (s, from, to) => hiLo(s, from, to),
  i24: (s, from, to) => {
    let hi = 0;
    let lo = 0;
    for (let i = from, o = from * 3; i < to; i++, o += 3) {
      const v = s[o]! | (s[o + 1]! << 8) | ((s[o + 2]! << 24) >> 8);
      if (v > hi) hi = v;
      if (v < lo) lo = v;
    }
    return Math.max(hi, -lo);
  },
  i32: (s, from, to) => hiLo(s, from, to),
  f32: (s, from, to) => hiLo(s, from, to),
  f64: (s, from, to) => hiLo(s, from, to),
};

function hiLo(s: Samples, from: number, to: number): number {
  let hi = 0;
  let lo = 0;
  for (let i = from; i < to; i++) {
    const v = s[i]!;
    if (v > hi) hi = v;
    if (v < lo) lo = v;
  }
  return Math.max(hi, -lo);
}

/** The sample layout a `fmt ` chunk describes, or null when it is not one this reader handles. */
function parseFmt(fmt: Buffer): Format | null {
  let tag = fmt.readUInt16LE(0);
  const channels = fmt.readUInt16LE(2);
  const sampleRate = fmt.readUInt32LE(4);
  const blockAlign = fmt.readUInt16LE(12);
  const bits = fmt.readUInt16LE(14);
  if (tag === 0xfffe) {
    // WAVE_FORMAT_EXTENSIBLE: the real format is the sub-format GUID's first two bytes.
    if (fmt.length < 40 || fmt.readUInt16LE(16) < 22 || !fmt.subarray(26, 40).equals(SUBTYPE_TAIL)) return null;
    tag = fmt.readUInt16LE(24);
  }
  const sample: Sample | null =
    tag === 1
      ? (({ 8: "u8", 16: "i16", 24: "i24", 32: "i32" } as const)[bits] ?? null)
      : tag === 3
        ? (({ 32: "f32", 64: "f64" } as const)[bits] ?? null)
        : null;
  const bytes = bits / 8;
  if (!sample || channels < 1 || sampleRate < 1 || blockAlign !== channels * bytes) return null;
  return { sample, bytes, channels, sampleRate, fullScale: FULL_SCALE[sample] };
}

/** At most `max` values: groups of neighbours merged by their maximum. */
function downsample(values: number[], max: number): number[] {
  if (values.length <= max) return values;
  const group = Math.ceil(values.length / max);
  const out: number[] = [];
  for (let i = 0; i < values.length; i += group) {
    let m = 0;
    for (let j = i; j < Math.min(i + group, values.length); j++) if (values[j]! > m) m = values[j]!;
    out.push(m);
  }
  return out;
}
