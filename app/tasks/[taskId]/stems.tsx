"use client";
// A separation's stems: each with its own player row (play it alone, where it
// is, its file) and all of them played together in sync, with mute and solo
// per stem, like the channels of a mixing desk.
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import useSWR from "swr";
import { KindIcon } from "@/components/kind-icon";
import { BUTTON, Card, CardHeader, EmptyState, Spinner } from "@/components/ui";
import type { StemRole } from "@/lib/core/enums";
import { isStemRole } from "@/lib/core/roles";
import type { Waveform as WaveformData } from "@/lib/media/wav-peaks";
import { fetchJson } from "@/lib/ui/api-client";
import { extensionOf, stemName, type Asset } from "@/lib/ui/assets";
import { formatBytes, formatDuration } from "@/lib/ui/format";
import { AssetActions, AssetStatus, RemoteUrl, type Redownload } from "./asset-status";
import { StemSync, type SyncState } from "./stem-sync";
import { PeakBars } from "./waveform";

/** Each stem's colour, in the order stems are listed (fill for waveforms, background for dots and bars). */
const COLORS = [
  { fill: "fill-violet-500 dark:fill-violet-400", bg: "bg-violet-500 dark:bg-violet-400" },
  { fill: "fill-sky-500 dark:fill-sky-400", bg: "bg-sky-500 dark:bg-sky-400" },
  { fill: "fill-emerald-500 dark:fill-emerald-400", bg: "bg-emerald-500 dark:bg-emerald-400" },
  { fill: "fill-amber-500 dark:fill-amber-400", bg: "bg-amber-500 dark:bg-amber-400" },
  { fill: "fill-pink-500 dark:fill-pink-400", bg: "bg-pink-500 dark:bg-pink-400" },
  { fill: "fill-teal-500 dark:fill-teal-400", bg: "bg-teal-500 dark:bg-teal-400" },
  { fill: "fill-orange-500 dark:fill-orange-400", bg: "bg-orange-500 dark:bg-orange-400" },
  { fill: "fill-indigo-500 dark:fill-indigo-400", bg: "bg-indigo-500 dark:bg-indigo-400" },
];

type Stem = Asset & { role: StemRole };
type Mix = { muted: ReadonlySet<number>; soloed: ReadonlySet<number> };

/** Heard: the soloed stems when any is, else every stem not muted. */
const audible = (mix: Mix, id: number) => (mix.soloed.size > 0 ? mix.soloed.has(id) : !mix.muted.has(id));

function useStemSync(): [StemSync, SyncState] {
  const [sync] = useState(() => new StemSync());
  useEffect(() => () => sync.dispose(), [sync]);
  return [sync, useSyncExternalStore(sync.subscribe, sync.getSnapshot, sync.getServerSnapshot)];
}

export function Stems({ assets, status, onRedownload }: { assets: Asset[]; status: string; onRedownload: Redownload }) {
  const stems = useMemo(() => assets.filter((a): a is Stem => isStemRole(a.role)), [assets]);
  const [sync, state] = useStemSync();
  const [mix, setMix] = useState<Mix>({ muted: new Set(), soloed: new Set() });
  const playable = stems.filter((s) => s.fileUrl && !state.broken.has(s.id));

  useEffect(() => {
    for (const stem of stems) sync.setAudible(stem.id, audible(mix, stem.id));
  }, [sync, stems, mix]);

  const toggle = (which: keyof Mix, id: number) =>
    setMix((current) => {
      const next = new Set(current[which]);
      if (!next.delete(id)) next.add(id);
      return { ...current, [which]: next };
    });
  /** One stem alone: solo it and play; again while it plays alone: pause. */
  const playAlone = (id: number) => {
    const alone = mix.soloed.size === 1 && mix.soloed.has(id);
    if (alone && state.playing) return sync.pause();
    setMix((current) => ({ ...current, soloed: new Set([id]) }));
    if (!state.playing) sync.play();
  };

  if (stems.length === 0) {
    return (
      <Card>
        <CardHeader id="stems" title="Stems" />
        <EmptyState title="No stems yet" icon={<KindIcon kind="separation" className="size-8" />}>
          {status === "failed"
            ? "The separation failed, so there are no stems."
            : status === "pending"
              ? "Waiting for the provider: the stems appear here when the separation is done."
              : "The provider named no stems for this task."}
        </EmptyState>
      </Card>
    );
  }

  const mixed = mix.muted.size > 0 || mix.soloed.size > 0;
  return (
    <Card>
      <CardHeader
        id="stems"
        title="Stems"
        description={`${stems.length} stem${stems.length === 1 ? "" : "s"} · play them together in sync, mute (M) or solo (S) any of them`}
      />
      <div className="space-y-2 border-b border-zinc-200 p-4 sm:p-5 dark:border-zinc-800" data-testid="mixer">
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            className={`${BUTTON.primary} min-w-36`}
            disabled={playable.length === 0}
            onClick={() => (state.playing ? sync.pause() : sync.play())}
          >
            {state.waiting ? <Spinner /> : <PlayPauseIcon playing={state.playing} />}
            {state.playing ? "Pause" : "Play together"}
          </button>
          <input
            type="range"
            min={0}
            max={state.duration || 0}
            step={0.1}
            value={Math.min(state.position, state.duration)}
            disabled={state.duration === 0}
            onChange={(e) => sync.seek(Number(e.target.value))}
            aria-label="Position of every stem"
            aria-valuetext={`${formatDuration(state.position)} of ${formatDuration(state.duration)}`}
            className="h-2 min-w-40 flex-1 cursor-pointer accent-violet-600 disabled:cursor-default dark:accent-violet-400"
          />
          <span className="text-sm text-zinc-600 tabular-nums dark:text-zinc-300" data-testid="mixer-time">
            {formatDuration(state.position)} / {state.duration ? formatDuration(state.duration) : "–:––"}
          </span>
          {mixed && (
            <button type="button" className={BUTTON.ghost} onClick={() => setMix({ muted: new Set(), soloed: new Set() })}>
              Unmute all
            </button>
          )}
        </div>
        <p className="min-h-5 text-xs text-zinc-500 dark:text-zinc-400" aria-live="polite" data-testid="mixer-status">
          {state.error ? (
            <span className="text-red-700 dark:text-red-400">Could not play: {state.error}</span>
          ) : state.waiting ? (
            "Loading the stems…"
          ) : playable.length < stems.length ? (
            `${stems.length - playable.length} of ${stems.length} stems cannot be played here yet.`
          ) : mix.soloed.size > 0 ? (
            `Solo: ${stems
              .filter((s) => mix.soloed.has(s.id))
              .map((s) => stemName(s.role))
              .join(", ")}`
          ) : mix.muted.size > 0 ? (
            `Muted: ${stems
              .filter((s) => mix.muted.has(s.id))
              .map((s) => stemName(s.role))
              .join(", ")}`
          ) : (
            "Every stem is heard."
          )}
        </p>
      </div>
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
        {stems.map((stem, i) => (
          <StemRow
            key={stem.id}
            stem={stem}
            color={COLORS[i % COLORS.length]!}
            sync={sync}
            state={state}
            muted={mix.muted.has(stem.id)}
            soloed={mix.soloed.has(stem.id)}
            heard={audible(mix, stem.id)}
            alone={state.playing && mix.soloed.size === 1 && mix.soloed.has(stem.id)}
            onMute={() => toggle("muted", stem.id)}
            onSolo={() => toggle("soloed", stem.id)}
            onPlayAlone={() => playAlone(stem.id)}
            onRedownload={onRedownload}
          />
        ))}
      </ul>
    </Card>
  );
}

function StemRow({
  stem,
  color,
  sync,
  state,
  muted,
  soloed,
  heard,
  alone,
  onMute,
  onSolo,
  onPlayAlone,
  onRedownload,
}: {
  stem: Stem;
  color: (typeof COLORS)[number];
  sync: StemSync;
  state: SyncState;
  muted: boolean;
  soloed: boolean;
  heard: boolean;
  alone: boolean;
  onMute: () => void;
  onSolo: () => void;
  onPlayAlone: () => void;
  onRedownload: Redownload;
}) {
  const name = stemName(stem.role);
  const [length, setLength] = useState<number | null>(null);
  // Stable, so React hands the element over once (not on every render while playing).
  const attach = useCallback(
    (element: HTMLAudioElement | null) => {
      sync.register(stem.id, element);
      if (element && Number.isFinite(element.duration)) setLength(element.duration);
    },
    [sync, stem.id],
  );
  const broken = state.broken.has(stem.id);
  const played = length ? Math.min(1, state.position / length) : 0;

  return (
    <li
      className={`grid items-center gap-x-4 gap-y-2 px-4 py-3 transition-opacity sm:grid-cols-[15rem_minmax(0,1fr)_auto] sm:px-5 ${heard ? "" : "opacity-60"}`}
      data-testid="stem"
      data-stem={stem.role}
      aria-label={name}
    >
      <div className="flex min-w-0 items-center justify-between gap-2">
        <div className="flex min-w-0 items-center gap-2">
          <span aria-hidden className={`size-2.5 shrink-0 rounded-full ${color.bg}`} />
          <span className="truncate text-sm font-medium" title={name}>
            {name}
          </span>
        </div>
        {stem.fileUrl && !broken && (
          <div className="flex shrink-0 items-center gap-1">
            <button
              type="button"
              onClick={onPlayAlone}
              aria-label={alone ? `Pause ${name}` : `Play ${name} alone`}
              title={alone ? `Pause ${name}` : `Play ${name} alone`}
              className="grid size-7 place-items-center rounded-md text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-violet-500 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
            >
              <PlayPauseIcon playing={alone} />
            </button>
            <Toggle pressed={muted} onClick={onMute} label={`Mute ${name}`} tone="mute">
              M
            </Toggle>
            <Toggle pressed={soloed} onClick={onSolo} label={`Solo ${name}`} tone="solo">
              S
            </Toggle>
          </div>
        )}
      </div>

      {stem.fileUrl && !broken ? (
        <div className="flex min-w-0 items-center gap-3">
          <Strip
            stem={stem}
            played={played}
            fill={color.fill}
            bar={color.bg}
            onSeek={(fraction) => length && sync.seek(fraction * length)}
          />
          <span className="w-9 shrink-0 text-right text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
            {length !== null ? formatDuration(length) : "…"}
          </span>
        </div>
      ) : broken ? (
        <p className="text-sm text-red-700 dark:text-red-400">This browser cannot play this file; download it instead.</p>
      ) : (
        <div className="min-w-0 space-y-1.5 text-sm text-zinc-500 dark:text-zinc-400">
          <p>The player appears once the file is stored in the dashboard.</p>
          <AssetStatus asset={stem} />
          <RemoteUrl url={stem.remoteUrl} />
        </div>
      )}

      <div className="flex items-center gap-2 sm:justify-end">
        <AssetActions
          asset={stem}
          label={`the ${name.toLowerCase()} stem`}
          onRedownload={onRedownload}
          remoteUsable
          redownload="unless-stored"
        />
        <span className="text-xs whitespace-nowrap text-zinc-500 uppercase tabular-nums dark:text-zinc-400">
          {extensionOf(stem)}
          {stem.status === "stored" && <span className="normal-case"> · {formatBytes(stem.bytes)}</span>}
        </span>
      </div>
      {stem.fileUrl && (
        <audio
          ref={attach}
          src={stem.fileUrl}
          preload="metadata"
          aria-label={`${name} stem`}
          onLoadedMetadata={(e) => setLength(Number.isFinite(e.currentTarget.duration) ? e.currentTarget.duration : null)}
          onDurationChange={(e) => setLength(Number.isFinite(e.currentTarget.duration) ? e.currentTarget.duration : null)}
          className="hidden"
        />
      )}
    </li>
  );
}

function Toggle({
  pressed,
  onClick,
  label,
  tone,
  children,
}: {
  pressed: boolean;
  onClick: () => void;
  label: string;
  tone: "mute" | "solo";
  children: string;
}) {
  const on =
    tone === "mute"
      ? "border-amber-500 bg-amber-400 text-amber-950 dark:border-amber-400 dark:bg-amber-400"
      : "border-sky-500 bg-sky-500 text-white dark:border-sky-400 dark:bg-sky-400 dark:text-sky-950";
  return (
    <button
      type="button"
      aria-pressed={pressed}
      aria-label={label}
      title={label}
      onClick={onClick}
      className={`grid size-7 place-items-center rounded-md border text-xs font-bold transition-colors focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-violet-500 ${
        pressed
          ? on
          : "border-zinc-300 bg-white text-zinc-600 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800"
      }`}
    >
      {children}
    </button>
  );
}

/**
 * Where the stems are, on this stem: its waveform when it is a WAV (the
 * dashboard measured its peaks), else a bar. A click moves every stem there;
 * the keyboard does it with the position slider above.
 */
function Strip({
  stem,
  played,
  fill,
  bar,
  onSeek,
}: {
  stem: Stem;
  played: number;
  fill: string;
  bar: string;
  onSeek: (fraction: number) => void;
}) {
  const { data } = useSWR<WaveformData>(stem.waveformUrl, fetchJson, { revalidateOnFocus: false, revalidateIfStale: false });
  return (
    <div
      aria-hidden
      data-testid="stem-strip"
      className="relative h-10 min-w-0 flex-1 cursor-pointer"
      onClick={(e) => {
        const box = e.currentTarget.getBoundingClientRect();
        if (box.width > 0) onSeek(Math.min(1, Math.max(0, (e.clientX - box.left) / box.width)));
      }}
    >
      {data && data.peaks.length > 0 ? (
        <PeakBars peaks={data.peaks} played={played} playedClassName={fill} />
      ) : (
        <div className="absolute inset-x-0 top-1/2 h-1.5 -translate-y-1/2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800">
          <div className={`h-full ${bar}`} style={{ width: `${played * 100}%` }} />
        </div>
      )}
    </div>
  );
}

function PlayPauseIcon({ playing }: { playing: boolean }) {
  return (
    <svg aria-hidden viewBox="0 0 16 16" className="size-3.5" fill="currentColor">
      {playing ? <path d="M4 3h3v10H4zM9 3h3v10H9z" /> : <path d="M4.5 2.75v10.5L13 8z" />}
    </svg>
  );
}
