// The content checks (lib/files/sniff.ts): each file role accepts its formats
// and nothing else, told from the first bytes of real files made in code.
import { describe, expect, it } from "vitest";
import { ASSET_ROLES, STEM_ROLES, type AssetRole } from "@/lib/core/enums";
import { expected, sniff, SNIFF_BYTES } from "@/lib/files/sniff";
import { makeMp3, makePng, makeWav } from "@/scripts/lib/media";
import { makeMp4 } from "@/scripts/lib/mp4";

const head = (bytes: Buffer) => bytes.subarray(0, SNIFF_BYTES);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const webp = Buffer.from("RIFF\x10\x00\x00\x00WEBPVP8 ", "latin1");
const files = {
  png: makePng(16, 16),
  jpeg,
  webp,
  wav: makeWav(0.1),
  mp3: makeMp3(0.2),
  "mp3 with an ID3 tag": makeMp3(0.2, "Iron Man"),
  mp4: makeMp4({ frames: 1 }),
  // An AAC (ADTS) stream starts with sync bits too, but is no layer III.
  aac: Buffer.from([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc, 0, 0, 0, 0, 0]),
  html: Buffer.from("<!doctype html><html>", "latin1"),
  json: Buffer.from('{"error":"not found"}', "latin1"),
} as const;
type Name = keyof typeof files;

const accepts: Record<string, Name[]> = {
  cover: ["png", "jpeg", "webp"],
  "track-art": ["png", "jpeg", "webp"],
  wav: ["wav"],
  track: ["mp3", "mp3 with an ID3 tag"],
  video: ["mp4"],
  // Stems are MP3; a WAV is a stem all the same.
  ...Object.fromEntries(STEM_ROLES.map((stem) => [stem, ["mp3", "mp3 with an ID3 tag", "wav"]])),
};

describe("sniff", () => {
  it("knows every role", () => {
    expect(Object.keys(accepts).sort()).toEqual([...ASSET_ROLES].sort());
  });

  it.each(ASSET_ROLES.map((role) => [role]))("%s accepts its formats only", (role: AssetRole) => {
    for (const name of Object.keys(files) as Name[]) {
      const ok = sniff(role, head(files[name]));
      expect({ name, ok: ok !== null }).toEqual({ name, ok: accepts[role]!.includes(name) });
    }
  });

  it.each<[Name, AssetRole, string, string]>([
    ["png", "cover", "image/png", "png"],
    ["jpeg", "track-art", "image/jpeg", "jpg"],
    ["wav", "wav", "audio/wav", "wav"],
    ["mp3", "track", "audio/mpeg", "mp3"],
    ["mp3 with an ID3 tag", "drums", "audio/mpeg", "mp3"],
    ["wav", "vocals", "audio/wav", "wav"],
    ["mp4", "video", "video/mp4", "mp4"],
  ])("%s as %s is %s (.%s)", (name, role, contentType, ext) => {
    expect(sniff(role, head(files[name]))).toEqual({ contentType, ext });
  });

  it("needs the whole sniffing window", () => {
    expect(sniff("track", files.mp3.subarray(0, SNIFF_BYTES - 1))).toBeNull();
  });

  it("says what each role expects", () => {
    expect(expected("cover")).toBe("a PNG, JPEG or WebP image");
    expect(expected("wav")).toBe("a WAV (RIFF/WAVE) file");
    expect(expected("track")).toBe("an MP3 file");
    expect(expected("drums")).toBe("an MP3 or WAV (RIFF/WAVE) file");
    expect(expected("video")).toBe("an MP4 file");
  });
});
