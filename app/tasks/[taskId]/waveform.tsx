"use client";
import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import useSWR from "swr";
import type { Waveform as WaveformData } from "@/lib/media/wav-peaks";
import { fetchJson } from "@/lib/ui/api-client";
import { formatDuration } from "@/lib/ui/format";

/** Seconds the arrow keys move. */
const STEP_SECONDS = 5;

/**
 * A WAV's waveform drawn from its stored peaks (GET /api/assets/{id}/waveform),
 * the played part coloured, and a seek bar for `audio`: click or drag to seek,
 * or with the keyboard (a slider: arrows ±5 s, Page Up/Down ±10 %, Home/End).
 */
export function Waveform({ url, audio, label }: { url: string; audio: HTMLAudioElement | null; label: string }) {
  const { data } = useSWR<WaveformData>(url, fetchJson, { revalidateOnFocus: false, revalidateIfStale: false });
  const [time, setTime] = useState(0);
  const [mediaDuration, setMediaDuration] = useState<number | null>(null);
  const duration = mediaDuration ?? data?.durationSeconds ?? 0;
  const surface = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);
  // Seeking writes to the element: through a ref, as props are not for writing.
  const player = useRef(audio);
  useEffect(() => {
    player.current = audio;
  }, [audio]);

  // Follows the audio element: its time while playing (every frame, for a smooth bar), seeks made elsewhere, its duration.
  useEffect(() => {
    if (!audio) return;
    let frame = 0;
    const sync = () => setTime(audio.currentTime);
    const tick = () => {
      sync();
      frame = requestAnimationFrame(tick);
    };
    const onPlay = () => (frame = requestAnimationFrame(tick));
    const onPause = () => cancelAnimationFrame(frame);
    const onDuration = () => setMediaDuration(Number.isFinite(audio.duration) ? audio.duration : null);
    onDuration();
    sync();
    const listeners: [string, () => void][] = [
      ["timeupdate", sync],
      ["seeked", sync],
      ["play", onPlay],
      ["pause", onPause],
      ["ended", onPause],
      ["durationchange", onDuration],
      ["loadedmetadata", onDuration],
    ];
    for (const [name, fn] of listeners) audio.addEventListener(name, fn);
    if (!audio.paused) onPlay();
    return () => {
      cancelAnimationFrame(frame);
      for (const [name, fn] of listeners) audio.removeEventListener(name, fn);
    };
  }, [audio]);

  const seek = useCallback(
    (seconds: number) => {
      const element = player.current;
      if (!element || duration <= 0) return;
      const t = Math.min(duration, Math.max(0, seconds));
      element.currentTime = t;
      setTime(t);
    },
    [duration],
  );
  const seekAtPointer = (clientX: number) => {
    const box = surface.current?.getBoundingClientRect();
    if (box && box.width > 0) seek(((clientX - box.left) / box.width) * duration);
  };

  if (!data || data.peaks.length === 0) return null;
  const n = data.peaks.length;
  const played = duration > 0 ? Math.min(1, time / duration) : 0;

  return (
    <div
      ref={surface}
      role="slider"
      tabIndex={0}
      aria-label={`Seek ${label}`}
      aria-valuemin={0}
      aria-valuemax={Math.round(duration)}
      aria-valuenow={Math.round(time)}
      aria-valuetext={`${formatDuration(time)} of ${formatDuration(duration)}`}
      data-testid="waveform"
      className="relative h-16 w-full cursor-pointer touch-none rounded-md select-none focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-violet-500"
      onPointerDown={(e) => {
        dragging.current = true;
        e.currentTarget.setPointerCapture(e.pointerId);
        seekAtPointer(e.clientX);
      }}
      onPointerMove={(e) => dragging.current && seekAtPointer(e.clientX)}
      onPointerUp={() => (dragging.current = false)}
      onPointerCancel={() => (dragging.current = false)}
      onKeyDown={(e) => {
        const keys: Record<string, number> = {
          ArrowLeft: time - STEP_SECONDS,
          ArrowDown: time - STEP_SECONDS,
          ArrowRight: time + STEP_SECONDS,
          ArrowUp: time + STEP_SECONDS,
          PageDown: time - duration / 10,
          PageUp: time + duration / 10,
          Home: 0,
          End: duration,
        };
        if (!(e.key in keys)) return;
        e.preventDefault();
        seek(keys[e.key]!);
      }}
    >
      <PeakBars peaks={data.peaks} played={played} playedClassName="fill-violet-500 dark:fill-violet-400" playedTestId="waveform-played">
        <rect x={played * n} y={0} width={n / 400} height={100} className="fill-violet-700 dark:fill-violet-300" />
      </PeakBars>
    </div>
  );
}

/**
 * A waveform's bars, the part already `played` (0..1) in `playedClassName`;
 * `children` draw on top in the same coordinates (one unit per peak, 100 high).
 */
export function PeakBars({
  peaks,
  played,
  playedClassName,
  playedTestId,
  children,
}: {
  peaks: number[];
  played: number;
  playedClassName: string;
  playedTestId?: string;
  children?: ReactNode;
}) {
  const clipId = useId();
  const bars = useMemo(() => barsPath(peaks), [peaks]);
  const n = peaks.length;
  return (
    <svg viewBox={`0 0 ${n} 100`} preserveAspectRatio="none" className="size-full" aria-hidden>
      <defs>
        <clipPath id={clipId}>
          <rect x={0} y={0} width={played * n} height={100} />
        </clipPath>
      </defs>
      <path d={bars} className="fill-zinc-300 dark:fill-zinc-700" />
      <path d={bars} clipPath={`url(#${clipId})`} className={playedClassName} data-testid={playedTestId} />
      {children}
    </svg>
  );
}

/** One bar per peak, centred, scaled to the loudest (a quiet file still shows its shape). */
function barsPath(peaks: number[]): string {
  const loudest = Math.max(0.01, ...peaks);
  return peaks
    .map((p, i) => {
      const h = Math.max(0.5, (p / loudest) * 48);
      return `M${i + 0.1} ${(50 - h).toFixed(2)}h0.8v${(2 * h).toFixed(2)}h-0.8z`;
    })
    .join("");
}
