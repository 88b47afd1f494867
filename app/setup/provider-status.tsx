"use client";
import useSWR from "swr";
import { Badge, Card, CardHeader, Spinner } from "@/components/ui";
import { getProviderStatus, PROVIDER_STATUS_URL } from "@/lib/ui/api-client";

/** Whether the provider key is set and works, and the credits left. */
export function ProviderStatusCard({ keySet, baseUrl }: { keySet: boolean; baseUrl: string }) {
  const { data, error, isLoading } = useSWR(keySet ? PROVIDER_STATUS_URL : null, getProviderStatus, { revalidateOnFocus: false });
  let state: React.ReactNode;
  if (!keySet) {
    state = (
      <>
        <Badge tone="gray">not configured</Badge>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400" data-testid="provider-status">
          Not configured — set <code className="font-mono">SUNO_API_KEY</code> to submit covers and WAV conversions and to poll tasks whose
          callback did not come. Receiving callbacks works without it.
        </p>
      </>
    );
  } else if (isLoading) {
    state = (
      <span className="inline-flex items-center gap-2 text-sm text-zinc-500">
        <Spinner /> Checking the key…
      </span>
    );
  } else if (error) {
    state = (
      <>
        <Badge tone="red">key check failed</Badge>
        <p className="mt-2 text-sm break-words text-red-700 dark:text-red-400" data-testid="provider-status">
          {error instanceof Error ? error.message : String(error)}
        </p>
      </>
    );
  } else if (!data) {
    state = (
      <>
        <Badge tone="amber">key set</Badge>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400" data-testid="provider-status">
          SUNO_API_KEY is set. This server cannot check it or read the credits yet.
        </p>
      </>
    );
  } else if (!data.configured || data.error) {
    state = (
      <>
        <Badge tone="red">{data.configured ? "key not working" : "not configured"}</Badge>
        <p className="mt-2 text-sm break-words text-zinc-600 dark:text-zinc-400" data-testid="provider-status">
          {data.error?.message ?? "Not configured — set SUNO_API_KEY."}
        </p>
      </>
    );
  } else {
    state = (
      <>
        <Badge tone="green">key works</Badge>
        <p className="mt-3 text-3xl font-semibold tabular-nums" data-testid="provider-credits">
          {data.credits ?? "—"}
        </p>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">credits left</p>
      </>
    );
  }
  return (
    <Card>
      <CardHeader title="Provider" description={<span className="font-mono text-xs break-all">{baseUrl}</span>} />
      <div className="p-4 sm:p-5">{state}</div>
    </Card>
  );
}
