// A download cut off by kill -9 is taken up again by the next process on the
// same data once its lease runs out, and completes with the right bytes; once
// per database driver (tests/helpers/drivers.ts). On libSQL only the app is
// killed and its sqld keeps running, as a database server would.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { makeWav } from "../scripts/lib/media";
import { sha256, waitForAssets } from "./helpers/assets";
import { wavSuccess } from "./helpers/callbacks";
import { describeEachDatabase } from "./helpers/drivers";
import { slowly, startFileServer, type FileServer } from "./helpers/file-server";
import { uniqueTaskId } from "./helpers/ids";
import { startServer, type TestServer } from "./helpers/server";

// About 5 MiB served at about 1 MiB/s: long enough to kill the server mid-way.
const wav = makeWav(30);

describeEachDatabase("downloads after a crash", (database) => {
  let server: TestServer;
  let files: FileServer;

  beforeAll(async () => {
    files = await startFileServer();
    files.route("/slow.wav", slowly(wav, "audio/wav", 64 * 1024, 60));
    server = await startServer({ database, env: { DOWNLOAD_ALLOW_PRIVATE: "1" } });
  });

  afterAll(async () => {
    await server?.close();
    await files?.close();
  });

  it("kill -9 mid-download, restart: the download completes", { timeout: 90_000 }, async () => {
    const taskId = uniqueTaskId("crash");
    await server.callback(wavSuccess(taskId, `${files.url}/slow.wav`));
    const midway = await waitForAssets(server, taskId, (a) => a[0]!.status === "downloading" && a[0]!.bytesReceived > 0);
    expect(midway.assets[0]!.bytesReceived).toBeLessThan(wav.length);
    expect(midway.assets[0]!.bytes).toBe(wav.length);

    await server.stop("SIGKILL");
    if (database === "libsql") expect(server.sqld?.running()).toBe(true); // only the app crashed
    // The database still shows the killed attempt holding the download.
    expect(await server.sql("select status, attempts from assets where task_id = ?", [taskId])).toEqual([
      { status: "downloading", attempts: 1 },
    ]);
    const temps = fs.readdirSync(path.join(server.storageDir, ".tmp"));
    expect(temps).toHaveLength(1); // the killed attempt's partial file

    await server.restart();
    const { assets, events } = await waitForAssets(server, taskId, (a) => a[0]!.status === "stored", 60_000);
    expect(assets[0]).toMatchObject({ attempts: 2, bytes: wav.length, sha256: sha256(wav), error: null });
    expect(files.hits("/slow.wav")).toBe(2);
    expect(events.filter((e) => e.type === "download_started")).toHaveLength(2);
    const file = await fetch(new URL(assets[0]!.fileUrl!, server.url));
    expect(sha256(Buffer.from(await file.arrayBuffer()))).toBe(sha256(wav));
    // The partial file of the killed attempt is gone.
    expect(fs.readdirSync(path.join(server.storageDir, ".tmp"))).toEqual([]);
  });
});
