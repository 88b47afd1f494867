// The configured provider: its client (or a clear error when SUNO_API_KEY is
// unset) and the status the pages show (configured, base URL, credits).
import "server-only";
import { env } from "@/lib/core/env";
import { AppError, type ErrorCode } from "@/lib/core/errors";
import { createSunoClient, type SunoClient } from "@/lib/provider/client";
import { providerLimiter } from "@/lib/provider/rate-limiter";
import { processSingleton } from "@/lib/core/registry";

const NOT_CONFIGURED_MESSAGE = "Set SUNO_API_KEY to submit and poll tasks; receiving callbacks works without it.";

export function isProviderConfigured(): boolean {
  return Boolean(env().SUNO_API_KEY);
}

/** The client for the configured key; throws 503 provider_not_configured without one. */
export function sunoClient(): SunoClient {
  const { SUNO_API_KEY, SUNO_API_BASE_URL } = env();
  if (!SUNO_API_KEY) throw new AppError(503, "provider_not_configured", NOT_CONFIGURED_MESSAGE);
  return createSunoClient({ baseUrl: SUNO_API_BASE_URL, apiKey: SUNO_API_KEY, limiter: providerLimiter() });
}

export type ProviderStatus = {
  configured: boolean;
  baseUrl: string;
  credits: number | null;
  error: { code: ErrorCode; message: string } | null;
  /** When the credits were asked for (answers are reused for a few seconds to spare the rate limit). */
  checkedAt: string | null;
};

const CACHE_MS = 15_000;
const ERROR_CACHE_MS = 3_000;
const cache = processSingleton("provider-status", () => ({
  entry: undefined as { at: number; status: Promise<ProviderStatus>; ms: number } | undefined,
}));

/** For the setup page and GET /api/provider. Never throws: a failure is reported in `error`. */
export function getProviderStatus(): Promise<ProviderStatus> {
  const baseUrl = env().SUNO_API_BASE_URL.replace(/\/+$/, "");
  if (!isProviderConfigured()) {
    return Promise.resolve({
      configured: false,
      baseUrl,
      credits: null,
      error: { code: "provider_not_configured", message: NOT_CONFIGURED_MESSAGE },
      checkedAt: null,
    });
  }
  const cached = cache.entry;
  if (cached && Date.now() - cached.at < cached.ms) return cached.status;
  const status = sunoClient()
    .credits("manual")
    .then(
      (credits): ProviderStatus => ({ configured: true, baseUrl, credits, error: null, checkedAt: new Date().toISOString() }),
      (error: unknown): ProviderStatus => {
        if (!(error instanceof AppError)) console.error("[provider] reading credits failed:", error);
        return {
          configured: true,
          baseUrl,
          credits: null,
          error:
            error instanceof AppError
              ? { code: error.code, message: error.message }
              : { code: "provider_error", message: "Could not read the credits; details are in the server log." },
          checkedAt: new Date().toISOString(),
        };
      },
    );
  const entry = { at: Date.now(), status, ms: CACHE_MS };
  cache.entry = entry;
  // A failure (e.g. the limiter was busy) is asked again sooner.
  void status.then((s) => {
    if (s.error) entry.ms = ERROR_CACHE_MS;
  });
  return status;
}
