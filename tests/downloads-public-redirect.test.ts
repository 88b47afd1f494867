// A public URL that redirects to a private address, with DOWNLOAD_ALLOW_PRIVATE=0:
// the redirect hop is checked like the first one, so the download is refused
// and the private server never sees a request. A public host needs an address
// that is public: the scenario runs in a network namespace of its own whose
// loopback also carries one (tests/helpers/netns.ts), so nothing is mocked and
// nothing leaves the machine. The first URL, public all the way, is stored:
// the "public" server really counts as public to the dashboard.
import path from "node:path";
import { expect, it } from "vitest";
import type { Asset } from "@/db/queries/dto";
import { netnsProbe, runInNetns } from "./helpers/netns";

const probe = netnsProbe();
// Skipped where namespaces are refused, except in CI (CI is set there): CI
// must run it, so there it fails instead of passing unseen.
const inCi = Boolean(process.env.CI) && process.env.CI !== "false" && process.env.CI !== "0";
if (!probe.ok && !inCi) console.warn(`downloads-public-redirect: skipped, no network namespace here (${probe.reason})`);

type Result = { publicUrl: string; assets: Asset[]; publicHits: Record<string, number>; privateHits: number };

it.runIf(probe.ok || inCi)(
  "a redirect from a public host to a private address is refused without contacting it",
  { timeout: 120_000 },
  async () => {
    expect(probe, "CI runs this test: unprivileged network namespaces (unshare -rn) must work there").toEqual({ ok: true });
    const run = await runInNetns(path.join(import.meta.dirname, "helpers", "netns-public-redirect.ts"));
    const line = run.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    expect(line, `exit ${run.code}\n${run.stdout}\n${run.stderr}`).toBeDefined();
    const result = JSON.parse(line!.slice("RESULT ".length)) as Result;
    const byPath = new Map(result.assets.map((a) => [new URL(a.remoteUrl).pathname, a]));

    expect(byPath.get("/a.png")).toMatchObject({ status: "stored", error: null });
    for (const redirect of ["/to-private", "/to-localhost", "/to-private-ipv6-mapped", "/to-public-then-private"]) {
      expect(byPath.get(redirect), redirect).toMatchObject({
        status: "failed",
        attempts: 1,
        error: expect.stringMatching(/^refused address (127\.0\.0\.1|::ffff:7f00:1)( \(localhost resolves to it\))?: loopback, private/),
      });
    }
    // Each public hop was asked once (/to-private twice: itself, and as the second hop of the two-hop one).
    expect(result.publicHits).toEqual({
      "/a.png": 1,
      "/to-private": 2,
      "/to-localhost": 1,
      "/to-private-ipv6-mapped": 1,
      "/to-public-then-private": 1,
    });
    expect(byPath.get("/to-localhost")!.error).toContain("(localhost resolves to it)");
    expect(result.privateHits).toBe(0);
  },
);
