// Security headers on every kind of answer: pages (a CSP with a fresh nonce
// that Next.js puts on its own scripts), API JSON, callbacks, files, static
// build output and the proxy's own refusals.
import { describe, expect, it } from "vitest";
import { coverFailure } from "./helpers/callbacks";
import { uniqueTaskId } from "./helpers/ids";
import { setupServer } from "./helpers/drivers";
import { defaultDatabase } from "./helpers/server";

const server = setupServer(defaultDatabase());

/** The headers every answer carries, whatever produced it. */
function expectCommonHeaders(res: Response, what: string) {
  expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(res.headers.get("x-frame-options"), what).toBe("DENY");
  expect(res.headers.get("referrer-policy"), what).toBe("same-origin");
  expect(res.headers.get("permissions-policy"), what).toMatch(/camera=\(\)/);
  expect(res.headers.get("content-security-policy"), what).toMatch(/frame-ancestors 'none'/);
}

const nonceOf = (csp: string | null) => /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(csp ?? "")?.[1];

describe("security headers", () => {
  it("a page carries a CSP whose fresh nonce is on every script Next.js renders", async () => {
    const first = await fetch(`${server().url}/`);
    expect(first.status).toBe(200);
    expectCommonHeaders(first, "page");
    const csp = first.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(csp).not.toMatch(/unsafe-eval/); // only `next dev` needs it
    const nonce = nonceOf(csp)!;
    const html = await first.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    const second = await fetch(`${server().url}/deliveries`);
    expect(nonceOf(second.headers.get("content-security-policy"))).not.toBe(nonce);
  });

  it("API answers, callbacks, files, static files and refusals carry them too", async () => {
    const { url } = server();
    const taskId = uniqueTaskId("hdr");
    const answers: [string, Response][] = [
      ["api list", await fetch(`${url}/api/tasks`)],
      ["api detail", await fetch(`${url}/api/tasks/${taskId}`)],
      ["health", await fetch(`${url}/api/health`)],
      ["callback", await server().callback(coverFailure(taskId))],
      ["callback 401", await server().callback(coverFailure(taskId), { token: "wrong-token-0123456789" })],
      ["file", await fetch(`${url}/api/assets/999999/file`)],
      ["unknown api", await fetch(`${url}/api/nothing-here`)],
      ["icon", await fetch(`${url}/icon.svg`)],
      ["unknown host", await fetch(`${url}/api/tasks`, { headers: { host: "evil.example" } })],
      ["cross-origin", await fetch(`${url}/api/tasks`, { method: "POST", headers: { origin: "https://evil.example" } })],
    ];
    const html = await (await fetch(`${url}/`)).text();
    const script = /<script\b[^>]*\bsrc="(\/_next\/static\/[^"]+)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    answers.push(["static", await fetch(`${url}${script}`)]);

    for (const [what, res] of answers) {
      await res.arrayBuffer();
      expectCommonHeaders(res, what);
    }
    const api = answers[0]![1];
    // JSON is never a document to run anything in.
    expect(api.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
  });
});
