"use client";
/* eslint-disable @next/next/no-img-element -- track art comes from our own file route, not next/image */
// A music task's tracks: art (opens the viewer), title, tags, duration, the
// player (the dashboard's own copy of the MP3) and the prompt, and what was
// made from each track.
import { CopyButton } from "@/components/copy-button";
import { KindIcon } from "@/components/kind-icon";
import { Card, CardHeader, EmptyState } from "@/components/ui";
import type { MusicStage } from "@/lib/core/enums";
import type { Task } from "@/lib/ui/api-client";
import { downloadName, splitTags, trackAnchor, trackFiles, type Asset, type Track } from "@/lib/ui/assets";
import { formatAbsolute, formatDuration } from "@/lib/ui/format";
import { AssetActions, AssetStatus, RemoteUrl, type Redownload } from "./asset-status";
import { TaskChip } from "./family";
import { Lightbox, useViewer } from "./gallery";

const STAGES: [MusicStage, string][] = [
  ["text", "Lyrics written"],
  ["first", "First track ready"],
  ["complete", "All tracks ready"],
];

/** `madeFromTracks`: the tasks made from this one; those naming one of its tracks are shown with it. */
type Props = { task: Task; tracks: Track[]; assets: Asset[]; madeFromTracks: Task[]; onRedownload: Redownload };

export function Tracks({ task, tracks, assets, madeFromTracks, onRedownload }: Props) {
  const viewer = useViewer();
  const withArt = tracks.flatMap((track, i) => {
    const art = trackFiles(assets, track.trackId).art;
    return art ? [{ track, art, number: i + 1 }] : [];
  });

  return (
    <Card>
      <CardHeader
        id="tracks"
        title="Tracks"
        description={tracks.length ? `${tracks.length} track${tracks.length === 1 ? "" : "s"}` : undefined}
        actions={<StageSteps stage={task.stage} failed={task.status === "failed"} />}
      />
      {tracks.length === 0 ? (
        <EmptyState title="No tracks yet" icon={<KindIcon kind="music" className="size-8" />}>
          {task.status === "failed"
            ? "The task failed, so there are no tracks."
            : task.status === "pending"
              ? "The provider calls back when the lyrics are written, when the first track is ready and when all are: tracks appear here as they come."
              : "No tracks were recorded for this task."}
        </EmptyState>
      ) : (
        <ol className="divide-y divide-zinc-100 dark:divide-zinc-800/70" data-testid="tracks">
          {tracks.map((track, i) => {
            const files = trackFiles(assets, track.trackId);
            const artIndex = withArt.findIndex((w) => w.track.trackId === track.trackId);
            return (
              <TrackItem
                key={track.trackId}
                track={track}
                number={i + 1}
                audio={files.audio}
                art={files.art}
                madeFrom={madeFromTracks.filter((c) => c.audioId === track.trackId)}
                onRedownload={onRedownload}
                artOpener={artIndex >= 0 ? viewer.opener(artIndex) : undefined}
                onOpenArt={() => viewer.setIndex(artIndex)}
              />
            );
          })}
        </ol>
      )}
      {viewer.index !== null && (
        <Lightbox
          items={withArt.map(({ track, art, number }) => ({
            src: art.fileUrl,
            alt: `Artwork of ${trackLabel(track, number)}`,
            caption: trackLabel(track, number),
            downloadName: downloadName(art, number),
          }))}
          noun="Artwork"
          index={viewer.index}
          onIndex={viewer.setIndex}
          onClose={viewer.close}
        />
      )}
    </Card>
  );
}

const trackLabel = (track: Track, number: number) => track.title?.trim() || `Track ${number}`;

function TrackItem({
  track,
  number,
  audio,
  art,
  madeFrom,
  onRedownload,
  artOpener,
  onOpenArt,
}: {
  track: Track;
  number: number;
  audio: Asset | null;
  art: Asset | null;
  madeFrom: Task[];
  onRedownload: Redownload;
  artOpener?: (el: HTMLButtonElement | null) => void;
  onOpenArt: () => void;
}) {
  const label = trackLabel(track, number);
  const tags = splitTags(track.tags);
  const created = track.createTime && !Number.isNaN(Date.parse(track.createTime)) ? formatAbsolute(track.createTime) : track.createTime;
  return (
    <li
      id={trackAnchor(track.trackId)}
      className="scroll-mt-4 space-y-4 p-4 sm:p-5"
      data-testid="track"
      aria-label={`Track ${number}: ${label}`}
    >
      <div className="flex gap-4">
        <button
          type="button"
          ref={artOpener}
          disabled={!art?.fileUrl}
          onClick={onOpenArt}
          aria-label={`Open the artwork of ${label} in the viewer`}
          className="group relative size-20 shrink-0 overflow-hidden rounded-lg border border-zinc-200 bg-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-violet-500 disabled:cursor-default sm:size-28 dark:border-zinc-800 dark:bg-zinc-800/60"
        >
          {art?.fileUrl ? (
            <img
              src={art.thumbnailUrl ?? art.fileUrl}
              alt={`Artwork of ${label}`}
              loading="lazy"
              decoding="async"
              data-testid="track-art"
              className="size-full object-cover transition-transform duration-300 group-hover:scale-[1.04]"
            />
          ) : (
            <span className="grid size-full place-items-center text-zinc-400 dark:text-zinc-500">
              <KindIcon kind="music" className="size-8" />
            </span>
          )}
        </button>
        <div className="min-w-0 flex-1 space-y-2">
          <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
            <h3 className="min-w-0 text-base font-semibold break-words">
              <span className="mr-1.5 text-sm font-normal text-zinc-400 tabular-nums dark:text-zinc-500">{number}.</span>
              {label}
            </h3>
            {track.duration !== null && (
              <span className="text-sm text-zinc-500 tabular-nums dark:text-zinc-400" data-testid="track-duration">
                {formatDuration(track.duration)}
              </span>
            )}
          </div>
          {tags.length > 0 && (
            <ul className="flex flex-wrap gap-1.5" aria-label="Tags">
              {tags.map((tag) => (
                <li
                  key={tag}
                  className="rounded-full bg-fuchsia-50 px-2 py-0.5 text-xs text-fuchsia-800 ring-1 ring-fuchsia-600/15 ring-inset dark:bg-fuchsia-400/10 dark:text-fuchsia-200 dark:ring-fuchsia-400/20"
                >
                  {tag}
                </li>
              ))}
            </ul>
          )}
          <dl className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-500 dark:text-zinc-400">
            {track.modelName && (
              <div className="flex gap-1">
                <dt className="whitespace-nowrap">Model</dt>
                <dd className="font-mono text-zinc-700 dark:text-zinc-300">{track.modelName}</dd>
              </div>
            )}
            {created && (
              <div className="flex gap-1">
                <dt className="whitespace-nowrap">Made</dt>
                <dd className="text-zinc-700 dark:text-zinc-300">{created}</dd>
              </div>
            )}
            <div className="flex min-w-0 items-center gap-1">
              <dt className="whitespace-nowrap">Audio id</dt>
              <dd className="flex min-w-0 items-center">
                <span className="truncate font-mono text-zinc-700 dark:text-zinc-300" title={track.trackId}>
                  {track.trackId}
                </span>
                <CopyButton text={track.trackId} label={`Copy the audio id of ${label}`} />
              </dd>
            </div>
          </dl>
        </div>
      </div>

      {audio?.fileUrl ? (
        <audio controls preload="metadata" src={audio.fileUrl} aria-label={`Play ${label}`} className="w-full" />
      ) : audio ? (
        <div className="space-y-1.5 rounded-lg border border-dashed border-zinc-300 p-3 text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
          <p>The player appears once the MP3 is stored in the dashboard.</p>
          <AssetStatus asset={audio} />
          <RemoteUrl url={audio.remoteUrl} />
        </div>
      ) : (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">The provider named no MP3 for this track yet.</p>
      )}

      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        {audio && (
          <AssetActions
            asset={audio}
            label={`${label} (MP3)`}
            downloadLabel="MP3"
            fileName={downloadName(audio, number)}
            onRedownload={onRedownload}
            remoteUsable
            redownload="unless-stored"
          />
        )}
        {art && (
          <AssetActions
            asset={art}
            label={`the artwork of ${label}`}
            downloadLabel="Artwork"
            fileName={downloadName(art, number)}
            onRedownload={onRedownload}
            remoteUsable
            redownload="unless-stored"
          />
        )}
        {art && art.status !== "stored" && <AssetStatus asset={art} />}
      </div>

      {track.prompt && (
        <div className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
          <div className="flex items-center justify-between border-b border-zinc-200 bg-zinc-50 px-3 py-1 dark:border-zinc-800 dark:bg-zinc-900">
            <h4 className="text-xs font-medium text-zinc-500 dark:text-zinc-400">Prompt</h4>
            <CopyButton text={track.prompt} label={`Copy the prompt of ${label}`} showLabel />
          </div>
          <pre
            className="max-h-64 overflow-auto bg-white p-3 font-sans text-sm leading-relaxed break-words whitespace-pre-wrap text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200"
            data-testid="track-prompt"
          >
            {track.prompt}
          </pre>
        </div>
      )}

      {madeFrom.length > 0 && (
        <div className="flex flex-wrap items-center gap-2" data-testid="made-from-track">
          <span className="text-xs font-medium text-zinc-500 dark:text-zinc-400">Made from this track</span>
          {madeFrom.map((child) => (
            <TaskChip key={child.taskId} task={child} />
          ))}
        </div>
      )}
    </li>
  );
}

/** A music task's way through text → first → complete, or where it failed. */
function StageSteps({ stage, failed }: { stage: MusicStage | null; failed: boolean }) {
  const reached = stage ? STAGES.findIndex(([s]) => s === stage) : -1;
  return (
    <ol className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs" aria-label="Progress" data-testid="music-stages">
      {STAGES.map(([key, label], i) => {
        const done = i <= reached;
        const failedHere = failed && i === reached + 1;
        return (
          <li key={key} className="flex items-center gap-1.5" aria-current={i === reached ? "step" : undefined}>
            <span
              aria-hidden
              className={`grid size-4 place-items-center rounded-full text-[10px] font-bold ${
                done
                  ? "bg-emerald-500 text-white dark:bg-emerald-400 dark:text-zinc-950"
                  : failedHere
                    ? "bg-red-500 text-white dark:bg-red-400 dark:text-zinc-950"
                    : "border border-zinc-300 text-zinc-400 dark:border-zinc-700"
              }`}
            >
              {done ? "✓" : failedHere ? "!" : i + 1}
            </span>
            <span className={done ? "text-zinc-700 dark:text-zinc-300" : "text-zinc-500 dark:text-zinc-400"}>
              {label}
              <span className="sr-only">{done ? " (done)" : failedHere ? " (failed)" : " (not yet)"}</span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
