// `npx tsx scripts/bench-downloads.ts --waveform`: what measuring a WAV's
// waveform on the way in costs. The same 200 MiB WAV download through two
// servers, one with waveforms on and one with WAVEFORM=0 (a switch for this
// comparison only), alternating runs, files kept in /dev/shm so the disk's
// flushes (seconds of noise on a small machine) do not drown the difference;
// and the peak reader alone, in-process, on the same 200 MiB. Prints figures,
// asserts nothing.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { WavPeaks } from "../../lib/media/wav-peaks";
import { startServer, type TestServer } from "../../tests/helpers/server";
import { startBigWavServer } from "./big-wav-server";
import { wavHeader } from "./media";

const MiB = 1024 * 1024;
const RUNS = 7;

type Asset = { status: string; error: string | null; storedAt: string | null; waveformUrl: string | null };
type Detail = { assets: Asset[]; events: { type: string; at: string }[] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const step = (text: string) => process.stderr.write(`[bench-waveform] ${text}\n`);

/** Downloads the WAV once into `server` (first time by callback, then as a re-download); answers seconds from started to stored. */
async function download(server: TestServer, taskId: string, url: string, first: boolean): Promise<{ seconds: number; asset: Asset }> {
  const since = Date.now();
  if (first) await server.callback({ code: 200, msg: "success", data: { task_id: taskId, audioWavUrl: url } });
  else await fetch(new URL(`/api/tasks/${taskId}/download`, server.url), { method: "POST" }).then((r) => r.arrayBuffer());
  for (;;) {
    const { body } = await server.getJson<Detail>(`/api/tasks/${taskId}`);
    const asset = body.assets[0];
    if (asset?.status === "failed") throw new Error(`download failed: ${asset.error}`);
    if (asset?.status === "stored" && Date.parse(asset.storedAt!) >= since) {
      const started = body.events.find((e) => e.type === "download_started")!; // newest first
      return { seconds: (Date.parse(asset.storedAt!) - Date.parse(started.at)) / 1000, asset };
    }
    await sleep(20);
  }
}

/** The peak reader alone on `size` bytes of a 16-bit stereo WAV in 64 KiB chunks; answers seconds. */
function readerSeconds(size: number): number {
  const chunk = Buffer.alloc(64 * 1024);
  for (let i = 0; i < chunk.length / 2; i++) chunk.writeInt16LE(Math.round(Math.sin(i / 10) * 8000), i * 2);
  const reader = new WavPeaks();
  const t0 = performance.now();
  reader.push(wavHeader(size - 44));
  for (let left = size - 44; left > 0; left -= chunk.length) reader.push(left >= chunk.length ? chunk : chunk.subarray(0, left));
  if (!reader.result()) throw new Error("no waveform");
  return (performance.now() - t0) / 1000;
}

export async function benchWaveform(size: number): Promise<void> {
  step("peak reader alone");
  // Before the servers start, so nothing else competes for the CPU.
  const reader = [readerSeconds(size), readerSeconds(size), readerSeconds(size)];
  const wav = await startBigWavServer(size);
  const shm = fs.existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir();
  const storageDir = (name: string) => fs.mkdtempSync(path.join(shm, `bench-waveform-${name}-`));
  const env = { DOWNLOAD_ALLOW_PRIVATE: "1", DOWNLOAD_TIMEOUT_SECONDS: "600" };
  const dirs = { on: storageDir("on"), off: storageDir("off") };
  const on = await startServer({ env: { ...env, STORAGE_DIR: dirs.on } });
  const off = await startServer({ env: { ...env, STORAGE_DIR: dirs.off, WAVEFORM: "0" } });
  try {
    const taskId = `bench-waveform-${process.pid}`;
    step("warming up both servers");
    const warmOn = await download(on, taskId, wav.url, true);
    const warmOff = await download(off, taskId, wav.url, true);
    if (!warmOn.asset.waveformUrl || warmOff.asset.waveformUrl) throw new Error("the switch did not work");
    const withWaveform: number[] = [];
    const without: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      step(`run ${run + 1} of ${RUNS}`);
      withWaveform.push((await download(on, taskId, wav.url, false)).seconds);
      without.push((await download(off, taskId, wav.url, false)).seconds);
    }
    const rate = (seconds: number) => (size / MiB / seconds).toFixed(1);
    const [a, b, r] = [median(withWaveform), median(without), Math.min(...reader)];
    console.log(`\nWaveform benchmark (${size / MiB} MiB WAV from a local server, ${RUNS} runs each, medians)`);
    console.log(
      `  download, waveform on : ${a.toFixed(2)} s, ${rate(a)} MiB/s   (runs: ${withWaveform.map((s) => s.toFixed(2)).join(", ")})`,
    );
    console.log(`  download, WAVEFORM=0  : ${b.toFixed(2)} s, ${rate(b)} MiB/s   (runs: ${without.map((s) => s.toFixed(2)).join(", ")})`);
    console.log(
      `  peak reader alone     : ${r.toFixed(3)} s, ${rate(r)} MiB/s in-process (${((r / b) * 100).toFixed(1)} % of the download's time)`,
    );
    console.log(`  waveform adds ${(((a - b) / b) * 100).toFixed(1)} %   (target < 10 %)`);
  } finally {
    await on.close();
    await off.close();
    wav.stop();
    for (const dir of [...Object.values(dirs), on.dataDir, off.dataDir]) fs.rmSync(dir, { recursive: true, force: true });
  }
}
