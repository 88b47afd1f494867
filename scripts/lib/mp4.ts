// A playable MP4 made in code, for the fake provider's music videos, tests and
// the demo: H.264 Constrained Baseline whose every frame is one IDR picture of
// I_PCM macroblocks (raw samples, so no encoder is needed), muxed with its
// moov before mdat so a browser can start playing at once.

/** Writes bits most significant first, with the Exp-Golomb codes of H.264 (ITU-T H.264 §7.2, §9.1). */
class BitWriter {
  private readonly bytes: number[] = [];
  private current = 0;
  private count = 0;

  bit(b: number): void {
    this.current = (this.current << 1) | (b & 1);
    if (++this.count === 8) {
      this.bytes.push(this.current);
      this.current = 0;
      this.count = 0;
    }
  }
  /** `value` in `bits` bits (up to 31). */
  u(value: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) this.bit((value >>> i) & 1);
  }
  ue(value: number): void {
    const code = value + 1;
    const length = 32 - Math.clz32(code);
    this.u(0, length - 1);
    this.u(code, length);
  }
  se(value: number): void {
    this.ue(value <= 0 ? -2 * value : 2 * value - 1);
  }
  alignZero(): void {
    while (this.count !== 0) this.bit(0);
  }
  /** rbsp_trailing_bits: a stop bit, then zeros to the byte boundary. */
  trailing(): void {
    this.bit(1);
    this.alignZero();
  }
  bytesOut(): Buffer {
    return Buffer.from(this.bytes);
  }
}

/** A NAL unit: its header byte, then the payload with emulation prevention (00 00 0x → 00 00 03 0x). */
function nal(refIdc: number, type: number, rbsp: Buffer): Buffer {
  const out: number[] = [(refIdc << 5) | type];
  let zeros = 0;
  for (const byte of rbsp) {
    if (zeros >= 2 && byte <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(byte);
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return Buffer.from(out);
}

const PROFILE = 66; // Baseline
const CONSTRAINTS = 0xc0; // constraint_set0 and 1: Constrained Baseline
const LEVEL = 30;

function sps(widthMbs: number, heightMbs: number): Buffer {
  const w = new BitWriter();
  w.u(PROFILE, 8);
  w.u(CONSTRAINTS, 8);
  w.u(LEVEL, 8);
  w.ue(0); // seq_parameter_set_id
  w.ue(0); // log2_max_frame_num_minus4
  w.ue(2); // pic_order_cnt_type: output order is decoding order
  w.ue(1); // max_num_ref_frames
  w.bit(0); // gaps_in_frame_num_value_allowed_flag
  w.ue(widthMbs - 1);
  w.ue(heightMbs - 1);
  w.bit(1); // frame_mbs_only_flag
  w.bit(1); // direct_8x8_inference_flag
  w.bit(0); // frame_cropping_flag
  w.bit(0); // vui_parameters_present_flag
  w.trailing();
  return nal(3, 7, w.bytesOut());
}

function pps(): Buffer {
  const w = new BitWriter();
  w.ue(0); // pic_parameter_set_id
  w.ue(0); // seq_parameter_set_id
  w.bit(0); // entropy_coding_mode_flag: CAVLC
  w.bit(0); // bottom_field_pic_order_in_frame_present_flag
  w.ue(0); // num_slice_groups_minus1
  w.ue(0); // num_ref_idx_l0_default_active_minus1
  w.ue(0); // num_ref_idx_l1_default_active_minus1
  w.bit(0); // weighted_pred_flag
  w.u(0, 2); // weighted_bipred_idc
  w.se(0); // pic_init_qp_minus26
  w.se(0); // pic_init_qs_minus26
  w.se(0); // chroma_qp_index_offset
  w.bit(1); // deblocking_filter_control_present_flag
  w.bit(0); // constrained_intra_pred_flag
  w.bit(0); // redundant_pic_cnt_present_flag
  w.trailing();
  return nal(3, 8, w.bytesOut());
}

const I_PCM = 25;

/** One IDR picture; `pixel(x, y)` gives its colour as [Y, Cb, Cr] (1–254, so no start code can appear). */
function idrFrame(
  widthMbs: number,
  heightMbs: number,
  idrPicId: number,
  pixel: (x: number, y: number) => [number, number, number],
): Buffer {
  const w = new BitWriter();
  w.ue(0); // first_mb_in_slice
  w.ue(7); // slice_type: I, and every slice of the picture is
  w.ue(0); // pic_parameter_set_id
  w.u(0, 4); // frame_num
  w.ue(idrPicId);
  w.bit(0); // no_output_of_prior_pics_flag
  w.bit(0); // long_term_reference_flag
  w.se(0); // slice_qp_delta
  w.ue(1); // disable_deblocking_filter_idc: off
  const clamp = (v: number) => Math.max(1, Math.min(254, Math.round(v)));
  for (let my = 0; my < heightMbs; my++) {
    for (let mx = 0; mx < widthMbs; mx++) {
      w.ue(I_PCM);
      w.alignZero(); // pcm_alignment_zero_bit
      for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) w.u(clamp(pixel(mx * 16 + x, my * 16 + y)[0]), 8);
      for (const plane of [1, 2] as const) {
        for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) w.u(clamp(pixel(mx * 16 + x * 2, my * 16 + y * 2)[plane]), 8);
      }
    }
  }
  w.trailing();
  return nal(3, 5, w.bytesOut());
}

// ---------------------------------------------------------------------------
// ISO base media file format (ISO/IEC 14496-12, -15)

function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, "latin1");
  return Buffer.concat([head, body]);
}

const fullBox = (type: string, version: number, flags: number, ...parts: Buffer[]) => {
  const vf = Buffer.alloc(4);
  vf.writeUInt32BE(((version & 0xff) << 24) | (flags & 0xffffff), 0);
  return box(type, vf, ...parts);
};

const u32 = (...values: number[]) => {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
};
const u16 = (...values: number[]) => {
  const b = Buffer.alloc(2 * values.length);
  values.forEach((v, i) => b.writeUInt16BE(v & 0xffff, i * 2));
  return b;
};
const zeros = (n: number) => Buffer.alloc(n);
const MATRIX = u32(0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000);

export type Mp4Options = {
  /** Pixels, multiples of 16. */
  width?: number;
  height?: number;
  frames?: number;
  framesPerSecond?: number;
  /** Changes the colours, so two videos differ. */
  seed?: number;
};

/** A playable H.264 MP4 of a slowly moving colour gradient. */
export function makeMp4(options: Mp4Options = {}): Buffer {
  const { width = 64, height = 48, frames = 4, framesPerSecond = 2, seed = 0 } = options;
  if (width % 16 || height % 16) throw new Error("width and height must be multiples of 16");
  const [wm, hm] = [width / 16, height / 16];
  const spsNal = sps(wm, hm);
  const ppsNal = pps();
  const samples = Array.from({ length: frames }, (_, f) => {
    const frame = idrFrame(wm, hm, f % 2, (x, y) => [
      40 + ((x + y + f * 12 + seed * 37) % 64) * 2.5,
      128 + 60 * Math.sin((x + seed * 20 + f * 8) / 12),
      128 + 60 * Math.cos((y + seed * 11) / 10),
    ]);
    return Buffer.concat([u32(frame.length), frame]);
  });

  const timescale = 1000;
  const delta = Math.round(timescale / framesPerSecond);
  const duration = delta * frames;
  const avcC = box(
    "avcC",
    Buffer.from([1, PROFILE, CONSTRAINTS, LEVEL, 0xff, 0xe1]),
    u16(spsNal.length),
    spsNal,
    Buffer.from([1]),
    u16(ppsNal.length),
    ppsNal,
  );
  const compressor = zeros(32);
  const avc1 = box(
    "avc1",
    zeros(6),
    u16(1), // data_reference_index
    zeros(16),
    u16(width, height),
    u32(0x00480000, 0x00480000, 0),
    u16(1), // frame_count
    compressor,
    u16(0x0018, 0xffff),
    avcC,
  );
  const moov = (chunkOffset: number) =>
    box(
      "moov",
      fullBox("mvhd", 0, 0, u32(0, 0, timescale, duration, 0x00010000), u16(0x0100), zeros(10), MATRIX, zeros(24), u32(2)),
      box(
        "trak",
        fullBox("tkhd", 0, 3, u32(0, 0, 1, 0, duration), zeros(8), u16(0, 0, 0, 0), MATRIX, u32(width << 16, height << 16)),
        box(
          "mdia",
          fullBox("mdhd", 0, 0, u32(0, 0, timescale, duration), u16(0x55c4, 0)),
          fullBox("hdlr", 0, 0, u32(0), Buffer.from("vide", "latin1"), zeros(12), Buffer.from("VideoHandler\0", "latin1")),
          box(
            "minf",
            fullBox("vmhd", 0, 1, zeros(8)),
            box("dinf", fullBox("dref", 0, 0, u32(1), fullBox("url ", 0, 1))),
            box(
              "stbl",
              fullBox("stsd", 0, 0, u32(1), avc1),
              fullBox("stts", 0, 0, u32(1, frames, delta)),
              fullBox("stsc", 0, 0, u32(1, 1, frames, 1)),
              fullBox("stsz", 0, 0, u32(0, frames, ...samples.map((s) => s.length))),
              fullBox("stco", 0, 0, u32(1, chunkOffset)),
            ),
          ),
        ),
      ),
    );
  const ftyp = box("ftyp", Buffer.from("isom", "latin1"), u32(0x200), Buffer.from("isomiso2avc1mp41", "latin1"));
  // moov's size does not depend on the offset it holds: measure it once, then fill it in.
  const offset = ftyp.length + moov(0).length + 8;
  return Buffer.concat([ftyp, moov(offset), box("mdat", ...samples)]);
}
