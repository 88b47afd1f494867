// What a file really is, from its first bytes: the server's Content-Type is
// not trusted (an error page served with 200 must not be stored as a cover).
import type { AssetType } from "@/lib/core/enums";

export type Sniffed = { contentType: string; ext: string };

/** Bytes needed to tell every accepted format apart. */
export const SNIFF_BYTES = 12;

const ascii = (head: Uint8Array, at: number, text: string) => text.split("").every((c, i) => head[at + i] === c.charCodeAt(0));

/** The format of `head` when it is one accepted for `type`, else null. */
export function sniff(type: AssetType, head: Uint8Array): Sniffed | null {
  if (head.length < SNIFF_BYTES) return null;
  if (type === "image") {
    if ([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => head[i] === b)) return { contentType: "image/png", ext: "png" };
    if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { contentType: "image/jpeg", ext: "jpg" };
    if (ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) return { contentType: "image/webp", ext: "webp" };
    return null;
  }
  if (ascii(head, 0, "RIFF") && ascii(head, 8, "WAVE")) return { contentType: "audio/wav", ext: "wav" };
  return null;
}

/** A short human description of unexpected bytes, for error messages. */
export function describeBytes(head: Uint8Array): string {
  const text = Buffer.from(head).toString("latin1");
  if (/^\s*<(!doctype|html|\?xml|head|body)/i.test(text)) return "an HTML/XML page";
  if (/^\s*[{[]/.test(text)) return "JSON or text";
  if (head.length === 0) return "an empty body";
  return `bytes starting ${Buffer.from(head.subarray(0, 8)).toString("hex")}`;
}

export const EXPECTED: Record<AssetType, string> = { image: "a PNG, JPEG or WebP image", audio: "a WAV (RIFF/WAVE) file" };
