"use client";
// A file's state, size and actions, shared by the gallery and the audio player.
import { useState } from "react";
import { BUTTON, ProgressBar, SafeLink, Spinner, StatusBadge } from "@/components/ui";
import { downloadName, type Asset } from "@/lib/ui/assets";
import { formatAbsolute, formatBytes } from "@/lib/ui/format";

export type { Asset };
export type Redownload = (assetId: number, label: string) => Promise<void>;

export function AssetStatus({ asset }: { asset: Asset }) {
  const active = asset.status === "downloading" || (asset.status === "pending" && asset.bytesReceived > 0);
  return (
    <div className="min-w-0 space-y-1.5">
      <div className="flex flex-wrap items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
        <StatusBadge status={asset.status} />
        {asset.bytes !== null && asset.status !== "removed" && (
          <span className="tabular-nums">
            {asset.status === "stored" ? formatBytes(asset.bytes) : `${formatBytes(asset.bytesReceived)} of ${formatBytes(asset.bytes)}`}
          </span>
        )}
        {asset.attempts > 1 && <span>{asset.attempts} attempts</span>}
      </div>
      {active && asset.bytes ? (
        <ProgressBar label={`Downloading file ${asset.position + 1}`} value={asset.bytesReceived} max={asset.bytes} />
      ) : null}
      {asset.status === "removed" && asset.removedAt && <RemovedNote removedAt={asset.removedAt} reason={asset.removedReason} />}
      {asset.error && <p className="text-xs break-words text-red-700 dark:text-red-400">{asset.error}</p>}
    </div>
  );
}

/**
 * The provider's URL of a file not stored, as text only: the dashboard never
 * makes a viewer's browser fetch an address it did not fetch itself (it may
 * be one the download guard refused, on the viewer's own network).
 */
export function RemoteUrl({ url }: { url: string }) {
  return (
    <span className="block font-mono text-xs break-all text-zinc-500 select-all dark:text-zinc-400" data-testid="remote-url">
      {url}
    </span>
  );
}

/** Why a file the dashboard had stored is gone, and what brings it back. */
function RemovedNote({ removedAt, reason }: { removedAt: string; reason: string | null }) {
  return (
    <p className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="asset-removed">
      {reason === "retention" ? "Removed by retention" : "Removed"} on {formatAbsolute(removedAt)}. Re-download fetches it again while the
      provider still has it.
    </p>
  );
}

export function AssetActions({
  asset,
  label,
  onRedownload,
  remoteUsable,
  fileName = downloadName(asset),
  downloadLabel = "Download",
  redownload = "always",
}: {
  asset: Asset;
  label: string;
  onRedownload: Redownload;
  remoteUsable: boolean;
  /** What the download is saved as. */
  fileName?: string;
  downloadLabel?: string;
  /** Where a page lists many files, their own Re-download only while not stored ("Re-download all" does the rest). */
  redownload?: "always" | "unless-stored";
}) {
  const [pending, setPending] = useState(false);
  return (
    <div className="flex flex-wrap items-center gap-2">
      {asset.fileUrl ? (
        <a href={asset.fileUrl} download={fileName} className={BUTTON.small} aria-label={`Download ${label}`}>
          <DownloadIcon />
          {downloadLabel}
        </a>
      ) : remoteUsable ? (
        <SafeLink href={asset.remoteUrl} className="text-xs">
          Open remote file
        </SafeLink>
      ) : null}
      {(redownload === "always" || asset.status !== "stored") && (
        <button
          type="button"
          className={BUTTON.ghost}
          disabled={pending}
          aria-label={`Re-download ${label}`}
          onClick={async () => {
            setPending(true);
            await onRedownload(asset.id, label);
            setPending(false);
          }}
        >
          {pending ? <Spinner /> : <RetryIcon />}
          Re-download
        </button>
      )}
    </div>
  );
}

export function DownloadIcon() {
  return (
    <svg aria-hidden viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round">
      <path d="M8 2.5v8M4.5 7L8 10.5 11.5 7M3 13.5h10" />
    </svg>
  );
}

function RetryIcon() {
  return (
    <svg aria-hidden viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round">
      <path d="M13 8a5 5 0 1 1-1.5-3.5M13 2.5v3h-3" />
    </svg>
  );
}
