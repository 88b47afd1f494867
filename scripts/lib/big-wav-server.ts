// A local HTTP server of one large WAV file (a quiet stereo tone), for the
// download benchmarks. It runs in a process of its own (this file, run with
// `serve`), so pumping bytes never delays the measuring process.
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { wavHeader } from "./media";

const MiB = 1024 * 1024;

function serveWav(res: http.ServerResponse, size: number) {
  // One MiB of the tone, repeated: the file is streamed, never held whole.
  const pattern = Buffer.alloc(MiB);
  for (let i = 0; i < MiB / 4; i++) {
    const v = Math.round(Math.sin((2 * Math.PI * 440 * i) / 44_100) * 8000);
    pattern.writeInt16LE(v, i * 4);
    pattern.writeInt16LE(v, i * 4 + 2);
  }
  res.writeHead(200, { "content-type": "audio/wav", "content-length": size });
  res.write(wavHeader(size - 44));
  let left = size - 44;
  const pump = () => {
    while (left > 0) {
      const n = Math.min(left, pattern.length);
      left -= n;
      if (!res.write(n === pattern.length ? pattern : pattern.subarray(0, n))) return void res.once("drain", pump);
    }
    res.end();
  };
  pump();
}

if (process.argv[2] === "serve") {
  const size = Number(process.argv[3]);
  const server = http.createServer((req, res) => (req.url?.startsWith("/big.wav") ? serveWav(res, size) : res.writeHead(404).end()));
  server.listen(0, "127.0.0.1", () => console.log((server.address() as AddressInfo).port));
  process.on("disconnect", () => process.exit(0));
}

/** Starts the server in its own process; answers the file's URL and a stop function. */
export async function startBigWavServer(size: number): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "serve", String(size)], {
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const port = await new Promise<string>((resolve) => child.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim())));
  return { url: `http://127.0.0.1:${port}/big.wav`, stop: () => child.kill() };
}
