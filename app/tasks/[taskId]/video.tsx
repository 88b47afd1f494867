"use client";
// A video task's MP4, played from the dashboard's own copy (Range requests, so seeking works).
import { useCallback, useState } from "react";
import { KindIcon } from "@/components/kind-icon";
import { Card, CardHeader, EmptyState } from "@/components/ui";
import type { Asset } from "@/lib/ui/assets";
import { formatBytes, formatDuration } from "@/lib/ui/format";
import { AssetActions, AssetStatus, RemoteUrl, type Redownload } from "./asset-status";

type Shape = { duration: number; width: number; height: number };

const shapeOf = (el: HTMLVideoElement): Shape | null =>
  Number.isFinite(el.duration) ? { duration: el.duration, width: el.videoWidth, height: el.videoHeight } : null;

export function VideoPlayer({ assets, status, onRedownload }: { assets: Asset[]; status: string; onRedownload: Redownload }) {
  const video = assets.find((a) => a.role === "video") ?? null;
  return (
    <Card>
      <CardHeader id="video" title="Video" />
      {!video ? (
        <EmptyState title="No video yet" icon={<KindIcon kind="video" className="size-8" />}>
          {status === "failed"
            ? "The video generation failed, so there is no video."
            : status === "pending"
              ? "Waiting for the provider: the video appears here when it is made."
              : "The provider named no video for this task."}
        </EmptyState>
      ) : (
        <VideoItem video={video} onRedownload={onRedownload} />
      )}
    </Card>
  );
}

function VideoItem({ video, onRedownload }: { video: Asset; onRedownload: Redownload }) {
  const [shape, setShape] = useState<Shape | null>(null);
  // The metadata may load before hydration attaches onLoadedMetadata: read it on mount too.
  const attach = useCallback((el: HTMLVideoElement | null) => {
    if (el && el.readyState >= HTMLMediaElement.HAVE_METADATA) setShape(shapeOf(el));
  }, []);
  return (
    <div className="space-y-3 p-4 sm:p-5">
      {video.fileUrl ? (
        <video
          ref={attach}
          controls
          playsInline
          preload="metadata"
          src={video.fileUrl}
          aria-label={`Video of task ${video.taskId}`}
          onLoadedMetadata={(e) => setShape(shapeOf(e.currentTarget))}
          className="mx-auto aspect-video max-h-[70vh] w-full rounded-lg bg-black"
          data-testid="video"
        />
      ) : (
        <div className="grid aspect-video w-full place-items-center rounded-lg border border-dashed border-zinc-300 bg-zinc-50 p-4 text-center dark:border-zinc-700 dark:bg-zinc-900/60">
          <div className="max-w-md space-y-2 text-sm text-zinc-500 dark:text-zinc-400">
            <KindIcon kind="video" className="mx-auto size-8" />
            <p>The player appears once the video is stored in the dashboard.</p>
            <RemoteUrl url={video.remoteUrl} />
          </div>
        </div>
      )}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap items-center gap-3 text-sm text-zinc-500 tabular-nums dark:text-zinc-400" data-testid="video-facts">
          {shape && <span>{formatDuration(shape.duration)}</span>}
          {shape && shape.width > 0 && (
            <span>
              {shape.width}×{shape.height}
            </span>
          )}
          {video.status === "stored" && <span>{formatBytes(video.bytes)}</span>}
        </div>
        <AssetActions asset={video} label="the video" downloadLabel="Download MP4" onRedownload={onRedownload} remoteUsable />
      </div>
      {video.status !== "stored" && <AssetStatus asset={video} />}
    </div>
  );
}
