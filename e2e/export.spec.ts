// The export buttons download what they say: the task page's archive is a ZIP
// that `unzip` accepts with the stored cover inside, and the list's links carry
// the current filters.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { makePng } from "../scripts/lib/media";
import { allStored, waitForAssets } from "../tests/helpers/assets";
import { coverFailure, coverSuccess } from "../tests/helpers/callbacks";
import { bytes, type FileServer } from "../tests/helpers/file-server";
import { uniqueTaskId } from "../tests/helpers/ids";
import { expect, test } from "./fixtures";
import { localServer } from "./helpers";

const png = makePng(48, 48, 3);
let files: FileServer;

test.use({ serverEnv: { DOWNLOAD_ALLOW_PRIVATE: "1" } });

test.beforeAll(async () => {
  files = await localServer({ "/cover.png": bytes(png, "image/png") });
});

test.afterAll(async () => {
  await files?.close();
});

test("the task page's archive button downloads a zip of the task", async ({ server, taskPage }) => {
  const taskId = uniqueTaskId("archive");
  expect((await server.callback(coverSuccess(taskId, [`${files.url}/cover.png`]))).status).toBe(200);
  await waitForAssets(server, taskId, allStored);

  await taskPage.goto(taskId);
  const [download] = await Promise.all([taskPage.page.waitForEvent("download"), taskPage.downloadArchive.click()]);
  expect(download.suggestedFilename()).toBe(`${taskId}.zip`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-archive-"));
  try {
    const zip = path.join(dir, "archive.zip");
    await download.saveAs(zip);
    execFileSync("unzip", ["-q", zip, "-d", dir]);
    expect(fs.readFileSync(path.join(dir, "cover-0.png")).equals(png)).toBe(true);
    expect(execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: dir, encoding: "utf8" })).toBe("cover-0.png: OK\nmetadata.json: OK\n");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the list's export links follow the filters", async ({ server, taskList }) => {
  // The filters show once there is a task.
  expect((await server.callback(coverFailure(uniqueTaskId("failed")))).status).toBe(200);
  await taskList.goto();
  await taskList.kind.selectOption("wav");
  await taskList.status.selectOption("failed");
  await expect(taskList.exportZip).toHaveAttribute("href", "/api/export?kind=wav&status=failed");
  await expect(taskList.exportCsv).toHaveAttribute("href", "/api/export/tasks.csv?kind=wav&status=failed");
});
