// Seeding and small local servers for the browser tests. Data goes in the way
// it does in production: callbacks POSTed over HTTP. Ids and waiting for
// downloads come from tests/helpers (ids.ts, assets.ts), shared with vitest.
import type { Locator } from "@playwright/test";
import { startFileServer, type FileServer, type Handler } from "../tests/helpers/file-server";
import { fixture, type TestServer } from "../tests/helpers/server";

export async function postCallback(server: TestServer, body: unknown, path?: string): Promise<number> {
  const res = await server.callback(body, { path });
  return res.status;
}

/** The shared callback fixtures, each posted once. */
export async function seedFixtures(server: TestServer): Promise<void> {
  for (const name of [
    "cover-success.json",
    "cover-failed-501.json",
    "wav-success.json",
    "wav-failed-451.json",
    "cover-refunded-531.json",
    "not-a-callback.json",
  ]) {
    await server.callback(fixture(`callbacks/${name}`));
  }
}

/** A local HTTP server (files, or a fake provider) with these routes; 404 for other paths. */
export async function localServer(routes: Record<string, Handler>): Promise<FileServer> {
  const server = await startFileServer();
  for (const [path, handler] of Object.entries(routes)) server.route(path, handler);
  return server;
}

/** Sets an <audio>'s position and answers where it landed once the browser fired `seeked`. */
export function seekTo(audio: Locator, seconds: number): Promise<number> {
  return audio.evaluate(
    (el: HTMLAudioElement, to) =>
      new Promise<number>((resolve, reject) => {
        el.addEventListener("seeked", () => resolve(el.currentTime), { once: true });
        setTimeout(() => reject(new Error("no seeked event")), 10_000);
        el.currentTime = to;
      }),
    seconds,
  );
}
