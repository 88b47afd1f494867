// The viewer's browser never fetches what the server did not store: a callback
// naming loopback or LAN addresses (refused by the download guard) or files not
// yet stored must not make every viewer's browser request them. The page shows
// the URL as text instead.
import { expect, test } from "./fixtures";
import { waitForAssets } from "../tests/helpers/assets";
import { uniqueTaskId } from "../tests/helpers/ids";

const REFUSED_IMAGE = "http://127.0.0.1:9/refused-cover.png";
const LAN_IMAGE = "http://192.168.0.1/router-admin.png";
const REFUSED_WAV = "http://127.0.0.1:9/refused-song.wav";

test("covers and WAVs that are not stored are never requested by the browser", async ({ page, server }) => {
  const cover = uniqueTaskId("remote-cover");
  const wav = uniqueTaskId("remote-wav");
  expect((await server.callback({ code: 200, msg: "success", data: { taskId: cover, images: [REFUSED_IMAGE, LAN_IMAGE] } })).status).toBe(
    200,
  );
  expect((await server.callback({ code: 200, msg: "success", data: { task_id: wav, audioWavUrl: REFUSED_WAV } })).status).toBe(200);
  await waitForAssets(server, cover, (assets) => assets.every((a) => a.status === "failed"));
  await waitForAssets(server, wav, (assets) => assets.every((a) => a.status === "failed"));

  const requested: string[] = [];
  page.on("request", (request) => requested.push(request.url()));
  const leaked = () => requested.filter((url) => !url.startsWith(`${server.url}/`));

  await page.goto(`/tasks/${cover}`);
  await page.waitForLoadState("networkidle");
  expect(leaked()).toEqual([]);
  const gallery = page.getByTestId("gallery");
  await expect(gallery.getByTestId("remote-url")).toHaveText([REFUSED_IMAGE, LAN_IMAGE]);
  await expect(gallery.getByRole("img")).toHaveCount(0);
  // Nor does the viewer (lightbox) open on it.
  await expect(gallery.getByRole("button", { name: /Open Cover 1/ })).toBeDisabled();

  await page.goto(`/tasks/${wav}`);
  await page.waitForLoadState("networkidle");
  await expect(page.getByTestId("remote-url")).toHaveText(REFUSED_WAV);
  await expect(page.locator("audio")).toHaveCount(0);
  expect(leaked()).toEqual([]);
});
