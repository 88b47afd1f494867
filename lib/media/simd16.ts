// The hot loop of the WAV peak reader for 16-bit samples (Suno's WAVs, and
// most others) in WebAssembly SIMD: the highest and lowest of eight samples
// per instruction, an order of magnitude faster than the plain JS loop, so
// measuring a waveform costs a download little. The module is a few dozen
// bytes, written out below; where WebAssembly SIMD is missing, the JS loop is used.

/** The module: `f(from, end)` folds the int16 samples at bytes from..end-1 (a multiple of 16 bytes) into the 8 lane maxima at byte 0 and minima at byte 16. */
const MODULE = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
  ...[0x01, 0x06, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x00], // types: (i32, i32) → ()
  ...[0x02, 0x0a, 0x01, 0x01, 0x6d, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x01], // import memory "m" "mem"
  ...[0x03, 0x02, 0x01, 0x00], // one function of type 0
  ...[0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00], // export it as "f"
  ...[0x0a, 0x3f, 0x01, 0x3d], // code: one body of 61 bytes
  ...[0x01, 0x02, 0x7b], // locals 2, 3: v128 max, v128 min (start at zero)
  ...[0x03, 0x40], // loop
  ...[0x20, 0x02, 0x20, 0x00, 0xfd, 0x00, 0x00, 0x00, 0xfd, 0x98, 0x01, 0x21, 0x02], // max = i16x8.max_s(max, v128.load(from))
  ...[0x20, 0x03, 0x20, 0x00, 0xfd, 0x00, 0x00, 0x00, 0xfd, 0x96, 0x01, 0x21, 0x03], // min = i16x8.min_s(min, v128.load(from))
  ...[0x20, 0x00, 0x41, 0x10, 0x6a, 0x22, 0x00, 0x20, 0x01, 0x49, 0x0d, 0x00], // from += 16; continue while from < end
  0x0b, // end loop
  ...[0x41, 0x00, 0x20, 0x02, 0xfd, 0x0b, 0x00, 0x00], // store max at 0
  ...[0x41, 0x10, 0x20, 0x03, 0xfd, 0x0b, 0x00, 0x00], // store min at 16
  0x0b, // end
]);

/** Where samples start in the memory (after the 32 bytes of results). */
const DATA = 32;
const PAGE = 65536;

let compiled: WebAssembly.Module | null | undefined;

/** Samples loaded into WebAssembly memory, and their loudest magnitude over a range. */
export type Int16Kernel = {
  /** Copies `length` bytes of 16-bit samples from `bytes` in; later calls replace them. */
  load(bytes: Uint8Array, length: number): void;
  /** The largest |sample| among loaded samples from..to-1 (raw units, up to 32768). */
  maxAbs(from: number, to: number): number;
};

/** A kernel of its own (its own memory), or null where WebAssembly SIMD is not available. */
export function createInt16Kernel(): Int16Kernel | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(MODULE);
    } catch {
      compiled = null;
    }
  }
  if (!compiled) return null;
  const memory = new WebAssembly.Memory({ initial: 2 });
  const fold = new WebAssembly.Instance(compiled, { m: { mem: memory } }).exports.f as (from: number, end: number) => void;
  let samples = new Int16Array(memory.buffer, DATA);
  let lanes = new Int16Array(memory.buffer, 0, 16);
  return {
    load(bytes, length) {
      if (memory.buffer.byteLength < DATA + length) {
        memory.grow(Math.ceil((DATA + length - memory.buffer.byteLength) / PAGE));
        // Growing detaches the old views.
        samples = new Int16Array(memory.buffer, DATA);
        lanes = new Int16Array(memory.buffer, 0, 16);
      }
      new Uint8Array(memory.buffer, DATA, length).set(bytes.subarray(0, length));
    },
    maxAbs(from, to) {
      let hi = 0;
      let lo = 0;
      const whole = (to - from) & ~7;
      if (whole > 0) {
        fold(DATA + from * 2, DATA + (from + whole) * 2);
        for (let i = 0; i < 8; i++) {
          if (lanes[i]! > hi) hi = lanes[i]!;
          if (lanes[8 + i]! < lo) lo = lanes[8 + i]!;
        }
      }
      for (let i = from + whole; i < to; i++) {
        const v = samples[i]!;
        if (v > hi) hi = v;
        if (v < lo) lo = v;
      }
      return Math.max(hi, -lo);
    },
  };
}
