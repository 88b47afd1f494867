// Timing helpers shared by the page and API benchmarks.
import { gzipSync } from "node:zlib";

/** Milliseconds of `count` sequential GETs of `url`, after a warm-up; a non-2xx answer stops the bench. */
export async function timeRequests(url: string, count: number): Promise<number[]> {
  // Warm-up; a keep-alive socket the server closed meanwhile may fail once.
  for (let i = 0; i < 5; i++)
    await fetch(url).then(
      (res) => res.arrayBuffer(),
      () => null,
    );
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  }
  return times;
}

/** The JavaScript a first visit of `page` loads: its script files, raw and gzipped bytes. */
export async function firstLoadJs(baseUrl: string, page: string): Promise<{ files: number; raw: number; gzip: number }> {
  const html = await (await fetch(`${baseUrl}${page}`)).text();
  const srcs = [...new Set([...html.matchAll(/<script[^>]*\ssrc="(\/_next\/static\/[^"]+\.js)"/g)].map((m) => m[1]!))];
  let raw = 0;
  let gzip = 0;
  for (const src of srcs) {
    const body = Buffer.from(await (await fetch(`${baseUrl}${src}`)).arrayBuffer());
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  return { files: srcs.length, raw, gzip };
}
