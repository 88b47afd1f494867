// Real PNG and WAV bytes generated in code, for the fake provider, tests and benchmarks.
import { deflateSync } from "node:zlib";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A valid RGB PNG: a diagonal gradient whose colours depend on `seed`. */
export function makePng(width = 256, height = 256, seed = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      const i = row + 1 + x * 3;
      raw[i] = (x * 255) / width + seed * 40;
      raw[i + 1] = (y * 255) / height + seed * 90;
      raw[i + 2] = ((x + y) * 127) / width + seed * 150;
    }
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

/** The 44-byte header of a 16-bit PCM WAV holding `dataBytes` of samples. */
export function wavHeader(dataBytes: number, sampleRate = 44_100, channels = 2): Buffer {
  const h = Buffer.alloc(44);
  h.write("RIFF", 0, "ascii");
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write("WAVE", 8, "ascii");
  h.write("fmt ", 12, "ascii");
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write("data", 36, "ascii");
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** A playable WAV: `seconds` of a quiet sine tone. */
export function makeWav(seconds = 2, frequency = 440, sampleRate = 44_100): Buffer {
  const frames = Math.round(seconds * sampleRate);
  const data = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames; i++) {
    const v = Math.round(Math.sin((2 * Math.PI * frequency * i) / sampleRate) * 8000);
    data.writeInt16LE(v, i * 4);
    data.writeInt16LE(v, i * 4 + 2);
  }
  return Buffer.concat([wavHeader(data.length, sampleRate), data]);
}

export type WavOptions = {
  seconds?: number;
  sampleRate?: number;
  channels?: number;
  /** Sample encoding: integer PCM of 16, 24 or 32 bits, or 32-bit float. */
  encoding?: "int16" | "int24" | "int32" | "float32";
  /** A WAVE_FORMAT_EXTENSIBLE `fmt ` chunk (the format in its sub-format GUID). */
  extensible?: boolean;
  /** A LIST chunk of this many bytes before `data` (odd sizes get the pad byte). */
  listBytes?: number;
  /** The data size as streamed WAVs write it (0xFFFFFFFF, also in the RIFF size). */
  unknownSize?: boolean;
  /** Amplitude (0..1 of full scale) at time t of total seconds: by default half loud, then full. */
  loudness?: (t: number, seconds: number) => number;
};

const ENCODINGS = {
  int16: { bytes: 2, tag: 1 },
  int24: { bytes: 3, tag: 1 },
  int32: { bytes: 4, tag: 1 },
  float32: { bytes: 4, tag: 3 },
} as const;

/** A WAV of a 440 Hz sine (every channel alike) in any of the layouts the waveform reader must handle. */
export function makeWavFile(options: WavOptions = {}): Buffer {
  const {
    seconds = 1,
    sampleRate = 8_000,
    channels = 2,
    encoding = "int16",
    extensible = false,
    listBytes = 0,
    unknownSize = false,
  } = options;
  const loudness = options.loudness ?? ((t: number, total: number) => (t < total / 2 ? 0.5 : 1));
  const { bytes, tag } = ENCODINGS[encoding];
  const frames = Math.round(seconds * sampleRate);
  const data = Buffer.alloc(frames * channels * bytes);
  for (let i = 0; i < frames; i++) {
    const x = Math.sin((2 * Math.PI * 440 * i) / sampleRate) * loudness(i / sampleRate, seconds);
    for (let c = 0; c < channels; c++) {
      const at = (i * channels + c) * bytes;
      if (encoding === "float32") data.writeFloatLE(x, at);
      else data.writeIntLE(Math.round(x * (2 ** (bytes * 8 - 1) - 1)), at, bytes);
    }
  }
  const fmt = Buffer.alloc(extensible ? 40 : 16);
  fmt.writeUInt16LE(extensible ? 0xfffe : tag, 0);
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(sampleRate, 4);
  fmt.writeUInt32LE(sampleRate * channels * bytes, 8);
  fmt.writeUInt16LE(channels * bytes, 12);
  fmt.writeUInt16LE(bytes * 8, 14);
  if (extensible) {
    fmt.writeUInt16LE(22, 16); // cbSize
    fmt.writeUInt16LE(bytes * 8, 18); // valid bits
    fmt.writeUInt32LE(channels === 1 ? 0x4 : 0x3, 20); // channel mask
    fmt.writeUInt16LE(tag, 24);
    Buffer.from("000000001000800000aa00389b71", "hex").copy(fmt, 26);
  }
  const riffChunk = (id: string, body: Buffer, size = body.length) => {
    const head = Buffer.alloc(8);
    head.write(id, 0, "ascii");
    head.writeUInt32LE(size, 4);
    return Buffer.concat([head, body, Buffer.alloc(body.length & 1)]);
  };
  const list = listBytes > 0 ? riffChunk("LIST", Buffer.alloc(listBytes, 0x41)) : Buffer.alloc(0);
  const body = Buffer.concat([
    Buffer.from("WAVE", "ascii"),
    riffChunk("fmt ", fmt),
    list,
    riffChunk("data", data, unknownSize ? 0xffffffff : data.length),
  ]);
  return Buffer.concat([riffChunk("RIFF", body, unknownSize ? 0xffffffff : body.length)]);
}

/** A JPEG marker segment: FF <marker> <length> <body>. */
function jpegSegment(marker: number, body: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** Entropy-coded bits (value, bit count), padded with 1-bits and byte-stuffed as JPEG requires. */
function jpegBits(codes: [value: number, bits: number][]): Buffer {
  const out: number[] = [];
  const put = (byte: number) => (byte === 0xff ? out.push(0xff, 0x00) : out.push(byte));
  let acc = 0;
  let filled = 0;
  for (const [value, bits] of codes) {
    for (let i = bits - 1; i >= 0; i--) {
      acc = (acc << 1) | ((value >> i) & 1);
      if (++filled === 8) {
        put(acc);
        acc = filled = 0;
      }
    }
  }
  if (filled > 0) put((acc << (8 - filled)) | ((1 << (8 - filled)) - 1));
  return Buffer.from(out);
}

export type HostileJpegOptions = { size?: number; scans?: number; components?: number };

/**
 * A progressive JPEG that is tiny on the wire and ruinous to decode, as an
 * attacker would send for a cover: `size`×`size` pixels (7000 by default,
 * under a 50 M pixel limit), one empty DC scan, then `scans` AC scans that
 * each cover every block of a component with a few bytes of end-of-band runs
 * (no decoder warning, so nothing stops early). The file ends without EOI, so
 * decoding fails only after every scan was decoded. 3000 scans: about 230 KB,
 * which cost sharp ~13 s of CPU and ~300 MB of coefficients.
 */
export function makeHostileJpeg(options: HostileJpegOptions = {}): Buffer {
  const { size = 7000, scans = 3000, components = 3 } = options;
  const sof = Buffer.alloc(6 + 3 * components);
  sof[0] = 8; // bits per sample
  sof.writeUInt16BE(size, 1);
  sof.writeUInt16BE(size, 3);
  sof[5] = components;
  for (let c = 0; c < components; c++) sof.set([c + 1, 0x11, 0], 6 + 3 * c);
  // One Huffman code of length 1 ("0") per table: DC difference 0, and AC symbol 0xE0 (a run of 2^14.. blocks at end of band).
  const oneCode = (table: number, symbol: number) =>
    Buffer.concat([Buffer.from([table]), Buffer.from([1, ...Array(15).fill(0)]), Buffer.from([symbol])]);
  const dcScan = Buffer.alloc(4 + 2 * components);
  dcScan[0] = components;
  for (let c = 0; c < components; c++) dcScan.set([c + 1, 0x00], 1 + 2 * c);
  // Spectral selection 0..0, successive approximation 0: a DC first scan, with no data (one warning).
  const blocks = Math.ceil(size / 8) ** 2;
  const runs = Math.ceil(blocks / 32_767);
  const acData = jpegBits(
    Array.from({ length: runs }, (): [number, number][] => [
      [0, 1],
      [0x3fff, 14],
    ]).flat(),
  );
  const acScans = Array.from({ length: scans }, (_, i) =>
    Buffer.concat([jpegSegment(0xda, Buffer.from([1, (i % components) + 1, 0x00, 1, 63, 0x00])), acData]),
  );
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    jpegSegment(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)])),
    jpegSegment(0xc2, sof),
    jpegSegment(0xc4, oneCode(0x00, 0x00)),
    jpegSegment(0xc4, oneCode(0x10, 0xe0)),
    jpegSegment(0xda, dcScan),
    Buffer.from([0x00]),
    ...acScans,
    // No EOI: the decoder reports a truncated file only at the very end.
  ]);
}

/** MPEG-1 layer III, 128 kbit/s, 44.1 kHz, mono: a frame is 417 bytes and holds 1152 samples. */
const MP3_FRAME_HEADER = [0xff, 0xfb, 0x90, 0xc0];
const MP3_FRAME_BYTES = 417;
const MP3_FRAME_SECONDS = 1152 / 44_100;

/**
 * A playable MP3 of `seconds` of silence: frames whose side information is all
 * zeros (no main data), which decoders play as silence. With `title`, an ID3v2
 * tag names it first, as the provider's files have.
 */
export function makeMp3(seconds = 2, title?: string): Buffer {
  const frame = Buffer.alloc(MP3_FRAME_BYTES);
  Buffer.from(MP3_FRAME_HEADER).copy(frame);
  const frames = Array.from({ length: Math.max(1, Math.round(seconds / MP3_FRAME_SECONDS)) }, () => frame);
  return Buffer.concat([...(title ? [id3Tag(title)] : []), ...frames]);
}

/** An ID3v2.3 tag with one TIT2 (title) frame. */
function id3Tag(title: string): Buffer {
  const text = Buffer.concat([Buffer.from([0]), Buffer.from(title, "latin1")]);
  const frameHead = Buffer.alloc(10);
  frameHead.write("TIT2", 0, "latin1");
  frameHead.writeUInt32BE(text.length, 4);
  const body = Buffer.concat([frameHead, text]);
  const head = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]);
  // The size is "synchsafe": 7 bits per byte.
  for (let i = 0; i < 4; i++) head[9 - i] = (body.length >> (7 * i)) & 0x7f;
  return Buffer.concat([head, body]);
}
