// What a file really is, from its first bytes: the server's Content-Type is
// not trusted (an error page served with 200 must not be stored as a cover).
// Each file role accepts its formats: images for covers and track art, WAV for
// a WAV conversion, MP3 for tracks and stems (a stem may come as WAV too), MP4
// for a video.
import type { AssetRole } from "@/lib/core/enums";
import { isStemRole } from "@/lib/core/roles";

export type Sniffed = { contentType: string; ext: string };

/** Bytes needed to tell every accepted format apart. */
export const SNIFF_BYTES = 12;

const ascii = (head: Uint8Array, at: number, text: string) => text.split("").every((c, i) => head[at + i] === c.charCodeAt(0));

type Format = { name: string; test: (head: Uint8Array) => boolean; sniffed: Sniffed };

const PNG: Format = {
  name: "PNG",
  test: (head) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => head[i] === b),
  sniffed: { contentType: "image/png", ext: "png" },
};
const JPEG: Format = {
  name: "JPEG",
  test: (head) => head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff,
  sniffed: { contentType: "image/jpeg", ext: "jpg" },
};
const WEBP: Format = {
  name: "WebP",
  test: (head) => ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP"),
  sniffed: { contentType: "image/webp", ext: "webp" },
};
const WAV: Format = {
  name: "WAV (RIFF/WAVE)",
  test: (head) => ascii(head, 0, "RIFF") && ascii(head, 8, "WAVE"),
  sniffed: { contentType: "audio/wav", ext: "wav" },
};
const MP3: Format = {
  name: "MP3",
  // An ID3v2 tag, or straight away an MPEG audio layer III frame header.
  test: (head) => ascii(head, 0, "ID3") || isMp3Frame(head),
  sniffed: { contentType: "audio/mpeg", ext: "mp3" },
};
const MP4: Format = {
  name: "MP4",
  // ISO base media: the first box is `ftyp` (its size, then the type at byte 4).
  test: (head) => ascii(head, 4, "ftyp"),
  sniffed: { contentType: "video/mp4", ext: "mp4" },
};

/**
 * An MPEG audio frame header of layer III: 11 sync bits, a version that
 * exists, layer III, a bitrate and a sample rate that are not reserved. Also
 * true for MPEG-2/2.5 layer III, which the provider's low-rate previews may use.
 */
function isMp3Frame(head: Uint8Array): boolean {
  const [b0, b1, b2] = [head[0]!, head[1]!, head[2]!];
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 0b11;
  const layer = (b1 >> 1) & 0b11;
  const bitrate = b2 >> 4;
  const sampleRate = (b2 >> 2) & 0b11;
  return version !== 0b01 && layer === 0b01 && bitrate !== 0b1111 && bitrate !== 0 && sampleRate !== 0b11;
}

const IMAGE = [PNG, JPEG, WEBP];

/** The formats a file of each role may have. */
export function formatsFor(role: AssetRole): readonly Format[] {
  if (role === "cover" || role === "track-art") return IMAGE;
  if (role === "wav") return [WAV];
  if (role === "track") return [MP3];
  if (role === "video") return [MP4];
  if (isStemRole(role)) return [MP3, WAV];
  throw new Error(`no formats for role ${String(role)}`);
}

const EXTENSIONS = new Map([PNG, JPEG, WEBP, WAV, MP3, MP4].map((f) => [f.sniffed.contentType, f.sniffed.ext]));

/** A file's extension: from the content type it was found to have, else the first format its role takes. */
export function extensionFor(contentType: string | null, role: AssetRole): string {
  return (contentType && EXTENSIONS.get(contentType.split(";")[0]!.trim())) || formatsFor(role)[0]!.sniffed.ext;
}

/** The format of `head` when it is one accepted for `role`, else null. */
export function sniff(role: AssetRole, head: Uint8Array): Sniffed | null {
  if (head.length < SNIFF_BYTES) return null;
  return formatsFor(role).find((format) => format.test(head))?.sniffed ?? null;
}

/** "a PNG, JPEG or WebP image", "an MP3 file": what a file of `role` must be, for error messages. */
export function expected(role: AssetRole): string {
  const names = formatsFor(role).map((f) => f.name);
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
  if (formatsFor(role) === IMAGE) return `a ${list} image`;
  return `${/^[AEIOUFHLMNRSX]/.test(list) ? "an" : "a"} ${list} file`;
}

/** A short human description of unexpected bytes, for error messages. */
export function describeBytes(head: Uint8Array): string {
  const text = Buffer.from(head).toString("latin1");
  if (/^\s*<(!doctype|html|\?xml|head|body)/i.test(text)) return "an HTML/XML page";
  if (/^\s*[{[]/.test(text)) return "JSON or text";
  if (head.length === 0) return "an empty body";
  return `bytes starting ${Buffer.from(head.subarray(0, 8)).toString("hex")}`;
}
