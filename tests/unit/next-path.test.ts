import { expect, it } from "vitest";
import { safeNextPath } from "@/lib/auth/next-path";

it("keeps local paths and refuses everything that could leave the site", () => {
  expect(safeNextPath("/tasks/abc?x=1#top")).toBe("/tasks/abc?x=1#top");
  expect(safeNextPath("/setup")).toBe("/setup");
  for (const evil of [
    "//evil.com",
    // Checked as a string these start with one "/", but they normalise to "//evil.com".
    "/.//evil.com",
    "/%2e//evil.com",
    "/%2E%2e//evil.com",
    "/a/..//evil.com",
    "/..//evil.com",
    "/./\\evil.com",
    "/\\evil.com",
    "/\t/evil.com",
    "/\n/evil.com",
    "/\r//evil.com",
    "https://evil.com",
    "evil.com",
    "",
    null,
    undefined,
  ]) {
    expect(safeNextPath(evil)).toBe("/");
  }
});
