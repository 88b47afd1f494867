// `npm run fake-provider`: the local stand-in for the Suno API (see scripts/lib/fake-provider.ts).
// PORT (default 4010), FAKE_PROVIDER_KEY (default fake-key), FAKE_DELAY_MS (default 3000),
// FAKE_TIME_SCALE (retry schedule factor, default 0.01: 0.6 s, 3 s, 9 s).
import { startFakeProvider } from "./lib/fake-provider";

const provider = await startFakeProvider({
  port: Number(process.env.PORT ?? 4010),
  host: process.env.HOST ?? "127.0.0.1",
  key: process.env.FAKE_PROVIDER_KEY ?? "fake-key",
  delayMs: Number(process.env.FAKE_DELAY_MS ?? 3000),
  timeScale: Number(process.env.FAKE_TIME_SCALE ?? 0.01),
  log: (line) => console.log(`[fake-provider] ${line}`),
});
console.log(`Fake Suno API on ${provider.url} (key "${provider.key}").`);
console.log(`Point the dashboard at it: SUNO_API_BASE_URL=${provider.url} SUNO_API_KEY=${provider.key} DOWNLOAD_ALLOW_PRIVATE=1`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void provider.stop().then(() => process.exit(0)));
}
