// How thumbnails bound the work a cover from outside can cost (lib/media/thumbnail.ts):
// a hostile progressive JPEG is refused before sharp decodes it, real JPEGs
// (progressive ones too) are not, and one thumbnail is made at a time.
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { jpegScanBound, makeThumbnail, MAX_JPEG_SCANS, THUMBNAIL_WIDTH } from "@/lib/media/thumbnail";
import { makeHostileJpeg, makePng } from "../../scripts/lib/media";

const png = makePng(1200, 800, 1);

describe("thumbnails of hostile covers", () => {
  it("refuses a progressive JPEG of thousands of scans without decoding it", async () => {
    // 7000² pixels (under the old 50 M pixel limit) and 3000 scans: ~13 s of sharp's CPU before.
    const hostile = makeHostileJpeg();
    expect(jpegScanBound(hostile)).toBe(3001);
    await expect(makeThumbnail(hostile)).rejects.toThrow(`a JPEG of 3001 scans (more than ${MAX_JPEG_SCANS}) is not decoded`);
    // Within any pixel limit, the scans still count.
    await expect(makeThumbnail(makeHostileJpeg({ size: 2000, scans: 500 }))).rejects.toThrow(/a JPEG of 501 scans/);
  });

  it("refuses an image of more than 4096² pixels", async () => {
    await expect(makeThumbnail(makeHostileJpeg({ size: 4100, scans: 1 }))).rejects.toThrow(/pixel limit/);
  });

  it.each([
    ["baseline", { progressive: false }],
    ["progressive", { progressive: true }],
    ["mozjpeg's optimised progressive scans", { mozjpeg: true }],
  ])("makes the thumbnail of a real %s JPEG", async (_, options) => {
    const jpeg = await sharp(png).jpeg(options).toBuffer();
    expect(jpegScanBound(jpeg)).toBeLessThanOrEqual(20);
    const meta = await sharp(await makeThumbnail(jpeg)).metadata();
    expect(meta).toMatchObject({ format: "webp", width: THUMBNAIL_WIDTH });
  });

  it("never counts fewer scans than a JPEG holds", async () => {
    for (const scans of [0, 1, 7, 250]) expect(jpegScanBound(makeHostileJpeg({ size: 64, scans }))).toBe(scans + 1);
  });

  it("makes one thumbnail at a time", async () => {
    const covers = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((seed) =>
        sharp(makePng(1600, 1600, seed))
          .png()
          .toBuffer(),
      ),
    );
    let most = 0;
    let done = false;
    const watch = (async () => {
      while (!done) {
        most = Math.max(most, sharp.counters().process);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const thumbnails = await Promise.all(covers.map(makeThumbnail));
    done = true;
    await watch;
    expect(thumbnails).toHaveLength(6);
    expect(most).toBe(1);
  });
});
