// Task ids as storage folder names (safeSegment, lib/storage): one to one, so
// two tasks never share a folder, an archive entry or a delete, also where
// storage ignores case. Property-tested over arbitrary strings and over ids
// built to look like another id's hashed form.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assetRelativePath, safeSegment } from "@/lib/storage";

/** Any string, and strings close to the forms that matter: clean ids, odd ids, and segments of other ids used as ids. */
const anyId = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.stringMatching(/^[A-Za-z0-9_.-]{0,12}$/),
  fc.string({ unit: "grapheme-ascii", minLength: 95, maxLength: 140 }),
  fc.string().map(safeSegment),
  fc.stringMatching(/^[a-z0-9_.-]{0,12}$/).map((id) => safeSegment(id).toUpperCase()),
);

describe("safeSegment", () => {
  it("keeps the provider's ids as they are", () => {
    expect(safeSegment("21aee3c3c2a01fa5e030b3799fa4dd56")).toBe("21aee3c3c2a01fa5e030b3799fa4dd56");
    expect(safeSegment("xss-task-0001")).toBe("xss-task-0001");
    expect(assetRelativePath("cover", "988e1f2a3b4cc8d3", 1, "png")).toBe("cover/988e1f2a3b4cc8d3/1.png");
  });

  it("gives v.1 and v_1-fb05732bfb (its hashed form before) different folders", () => {
    const [a, b] = [safeSegment("v.1"), safeSegment("v_1-fb05732bfb")];
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v_1_[0-9a-f]{32}$/);
    expect(b).toMatch(/^v_1-fb05732bfb_[0-9a-f]{32}$/);
  });

  it("makes one safe path segment of any id", () => {
    fc.assert(
      fc.property(anyId, (id) => {
        const segment = safeSegment(id);
        expect(segment).toMatch(/^[A-Za-z0-9_-]{1,133}$/);
        expect(safeSegment(id)).toBe(segment);
      }),
      { numRuns: 2_000 },
    );
  });

  it("never gives two ids the same segment, whatever the case", () => {
    fc.assert(
      fc.property(anyId, anyId, (a, b) => {
        fc.pre(a !== b);
        expect(safeSegment(a).toLowerCase()).not.toBe(safeSegment(b).toLowerCase());
      }),
      { numRuns: 5_000 },
    );
    fc.assert(
      fc.property(fc.uniqueArray(anyId, { minLength: 50, maxLength: 200 }), (ids) => {
        expect(new Set(ids.map((id) => safeSegment(id).toLowerCase())).size).toBe(ids.length);
      }),
      { numRuns: 200 },
    );
  });
});
