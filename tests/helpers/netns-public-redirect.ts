// Run by tests/downloads-public-redirect.test.ts inside the network namespace
// of tests/helpers/netns.ts (not a test file itself). A dashboard with
// DOWNLOAD_ALLOW_PRIVATE=0, a "public" file host on PUBLIC_ADDRESS whose
// redirects lead to a private one on 127.0.0.1, and one callback naming them.
// Prints one line, `RESULT <json>`, with the assets and what each server saw.
import { makePng } from "../../scripts/lib/media";
import { settled, waitForAssets } from "./assets";
import { coverSuccess } from "./callbacks";
import { bytes, startFileServer } from "./file-server";
import { uniqueTaskId } from "./ids";
import { PUBLIC_ADDRESS } from "./netns";
import { startServer } from "./server";

const png = makePng();
const privateFiles = await startFileServer("127.0.0.1");
privateFiles.route("/secret.png", bytes(png, "image/png"));
const publicFiles = await startFileServer(PUBLIC_ADDRESS);
publicFiles.route("/a.png", bytes(png, "image/png"));
const redirects: Record<string, string> = {
  "/to-private": `${privateFiles.url}/secret.png`,
  "/to-localhost": `http://localhost:${privateFiles.port}/secret.png`,
  "/to-private-ipv6-mapped": `http://[::ffff:127.0.0.1]:${privateFiles.port}/secret.png`,
  "/to-public-then-private": `${publicFiles.url}/to-private`,
};
for (const [path, location] of Object.entries(redirects)) {
  publicFiles.route(path, (_req, res) => res.writeHead(302, { location }).end());
}
const server = await startServer({ env: { DOWNLOAD_ALLOW_PRIVATE: "0" } });
try {
  const taskId = uniqueTaskId("public-redirect");
  const urls = ["/a.png", ...Object.keys(redirects)].map((path) => `${publicFiles.url}${path}`);
  const answer = await server.callback(coverSuccess(taskId, urls));
  if (answer.status !== 200) throw new Error(`callback answered ${answer.status}`);
  const { assets } = await waitForAssets(server, taskId, settled, 30_000);
  const hits = Object.fromEntries(["/a.png", ...Object.keys(redirects)].map((path) => [path, publicFiles.hits(path)]));
  console.log(`RESULT ${JSON.stringify({ publicUrl: publicFiles.url, assets, publicHits: hits, privateHits: privateFiles.hits() })}`);
} finally {
  await server.close();
  await publicFiles.close();
  await privateFiles.close();
}
