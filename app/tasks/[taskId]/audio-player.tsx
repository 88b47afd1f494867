"use client";
import { useCallback, useState } from "react";
import { formatBytes, formatDuration } from "@/lib/ui/format";
import { AssetActions, AssetStatus, RemoteUrl, type Asset, type Redownload } from "./asset-status";
import { Waveform } from "./waveform";

/** WAV files played from the dashboard's own file route (Range requests, so seeking works). */
export function AudioPlayers({ assets, onRedownload }: { assets: Asset[]; onRedownload: Redownload }) {
  return (
    <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
      {assets.map((asset, i) => (
        <AudioItem key={asset.id} asset={asset} label={assets.length > 1 ? `WAV ${i + 1}` : "WAV"} onRedownload={onRedownload} />
      ))}
    </ul>
  );
}

function AudioItem({ asset, label, onRedownload }: { asset: Asset; label: string; onRedownload: Redownload }) {
  const [duration, setDuration] = useState<number | null>(null);
  const [audio, setAudio] = useState<HTMLAudioElement | null>(null);
  // The metadata may load before hydration attaches onLoadedMetadata: read it on mount too.
  const readLoadedDuration = useCallback((audio: HTMLAudioElement | null) => {
    setAudio(audio);
    if (audio && audio.readyState >= HTMLMediaElement.HAVE_METADATA && Number.isFinite(audio.duration)) setDuration(audio.duration);
  }, []);
  return (
    <li className="space-y-3 p-4 sm:p-5">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex items-center gap-3 text-sm">
          <span className="font-medium">{label}</span>
          <span className="text-zinc-500 tabular-nums dark:text-zinc-400" data-testid="audio-duration">
            {duration !== null ? formatDuration(duration) : asset.fileUrl ? "…" : ""}
          </span>
          {asset.status === "stored" && <span className="text-zinc-500 dark:text-zinc-400">{formatBytes(asset.bytes)}</span>}
        </div>
        <AssetActions asset={asset} label={label} onRedownload={onRedownload} remoteUsable />
      </div>
      {asset.fileUrl && asset.waveformUrl && <Waveform url={asset.waveformUrl} audio={audio} label={`${label} of task ${asset.taskId}`} />}
      {asset.fileUrl ? (
        <audio
          ref={readLoadedDuration}
          controls
          preload="metadata"
          src={asset.fileUrl}
          aria-label={`${label} of task ${asset.taskId}`}
          onLoadedMetadata={(e) => setDuration(e.currentTarget.duration)}
          className="w-full"
        />
      ) : (
        <div className="space-y-1 text-sm text-zinc-500 dark:text-zinc-400">
          <p>The player appears once the file is stored in the dashboard.</p>
          <RemoteUrl url={asset.remoteUrl} />
        </div>
      )}
      {asset.status !== "stored" && <AssetStatus asset={asset} />}
    </li>
  );
}
