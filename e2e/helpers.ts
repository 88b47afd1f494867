// Seeding and small local servers for the browser tests. Data goes in the way
// it does in production: callbacks POSTed over HTTP.
import { expect, type Locator } from "@playwright/test";
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

export const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** A local HTTP server (files, or a fake provider) with these routes; 404 for other paths. */
export async function localServer(routes: Record<string, Handler>): Promise<FileServer> {
  const server = await startFileServer();
  for (const [path, handler] of Object.entries(routes)) server.route(path, handler);
  return server;
}

/** Waits until the task's assets are all in one of `statuses`, via the JSON API. */
export async function waitForAssets(server: TestServer, taskId: string, statuses: string[], timeout = 30_000) {
  await expect
    .poll(
      async () => {
        const { body } = await server.getJson<{ assets: { status: string }[] }>(`/api/tasks/${taskId}`);
        return body.assets.length > 0 && body.assets.every((a) => statuses.includes(a.status));
      },
      { timeout, message: `assets of ${taskId} to be ${statuses.join("/")}` },
    )
    .toBe(true);
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
