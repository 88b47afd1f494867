"use client";
/* eslint-disable @next/next/no-img-element -- covers come from our own file route, not next/image */
import { useEffect, useRef, useState } from "react";
import { downloadName } from "@/lib/ui/assets";
import { AssetActions, AssetStatus, RemoteUrl, type Asset, type Redownload } from "./asset-status";

/** One picture the viewer shows: the stored file (null when there is none), its name, what to save it as. */
export type LightboxItem = { src: string | null; alt: string; caption?: string; downloadName: string };

/**
 * Which picture the viewer shows (null: closed), and the buttons that open
 * each: closing gives focus back to the opener of the picture last shown.
 */
export function useViewer() {
  const [index, setIndex] = useState<number | null>(null);
  const openers = useRef<(HTMLButtonElement | null)[]>([]);
  return {
    index,
    setIndex,
    opener: (i: number) => (el: HTMLButtonElement | null) => {
      openers.current[i] = el;
    },
    close: () => {
      const opener = index === null ? null : openers.current[index];
      setIndex(null);
      opener?.focus();
    },
  };
}

export function Gallery({ assets, expired, onRedownload }: { assets: Asset[]; expired: boolean; onRedownload: Redownload }) {
  const viewer = useViewer();

  return (
    <>
      <ul className="grid grid-cols-1 gap-4 p-4 sm:grid-cols-2 sm:p-5 lg:grid-cols-3" data-testid="gallery">
        {assets.map((asset, i) => {
          const src = asset.fileUrl;
          const label = `Cover ${i + 1}`;
          return (
            <li key={asset.id} className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
              <button
                type="button"
                ref={viewer.opener(i)}
                disabled={!src}
                onClick={() => viewer.setIndex(i)}
                aria-label={`Open ${label} in the viewer`}
                className="group relative block aspect-square w-full overflow-hidden bg-zinc-100 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-violet-500 disabled:cursor-default dark:bg-zinc-900"
              >
                {src ? (
                  <img
                    src={src}
                    alt={label}
                    loading="lazy"
                    decoding="async"
                    referrerPolicy="no-referrer"
                    className="size-full object-cover transition-transform duration-300 group-hover:scale-[1.02]"
                  />
                ) : (
                  <span className="grid size-full place-items-center p-4 text-center text-sm text-zinc-500">
                    {expired ? "The provider has deleted this file and no copy was stored." : "No copy here yet"}
                  </span>
                )}
              </button>
              <div className="space-y-2 border-t border-zinc-200 p-3 dark:border-zinc-800">
                <div className="flex items-center justify-between gap-2">
                  <span className="text-sm font-medium">{label}</span>
                </div>
                <AssetStatus asset={asset} />
                {!src && <RemoteUrl url={asset.remoteUrl} />}
                <AssetActions asset={asset} label={label} onRedownload={onRedownload} remoteUsable={!expired} />
              </div>
            </li>
          );
        })}
      </ul>
      {viewer.index !== null && (
        <Lightbox
          items={assets.map((asset, i) => ({ src: asset.fileUrl, alt: `Cover ${i + 1}`, downloadName: downloadName(asset) }))}
          noun="Cover"
          index={viewer.index}
          onIndex={viewer.setIndex}
          onClose={viewer.close}
        />
      )}
    </>
  );
}

/**
 * Pictures full size in a modal dialog: ← and → browse, Esc or a click
 * outside closes (the caller gives focus back to what opened it).
 */
export function Lightbox({
  items,
  noun,
  index,
  onIndex,
  onClose,
}: {
  items: LightboxItem[];
  /** What each picture is called: "Cover 1 of 2", "Previous cover". */
  noun: string;
  index: number;
  onIndex: (i: number) => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const item = items[index];
  const count = items.length;
  const go = (delta: number) => onIndex((index + delta + count) % count);
  // Leave the modal state first: while it is open, nothing outside can take focus back.
  const close = () => {
    dialog.current?.close();
    onClose();
  };

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    closeButton.current?.focus();
  }, []);

  if (!item) return null;
  const src = item.src;
  return (
    <dialog
      ref={dialog}
      aria-label={`${noun} ${index + 1} of ${count}`}
      data-testid="lightbox"
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
      onKeyDown={(e) => {
        if (e.key === "ArrowRight") go(1);
        else if (e.key === "ArrowLeft") go(-1);
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget) close();
      }}
      className="m-auto max-h-none max-w-none bg-transparent p-0 text-white backdrop:bg-black/85"
    >
      <div
        className="flex h-dvh w-screen flex-col items-center justify-center gap-3 p-4"
        onClick={(e) => {
          if (e.target === e.currentTarget) close();
        }}
      >
        <div className="flex w-full max-w-4xl items-center justify-between gap-2 text-sm">
          <span aria-live="polite" className="min-w-0 truncate">
            {noun} {index + 1} of {count}
            {item.caption && <span className="text-white/70"> · {item.caption}</span>}
          </span>
          <div className="flex shrink-0 items-center gap-2">
            {src && (
              <a
                href={src}
                download={item.downloadName}
                className="rounded-md bg-white/10 px-3 py-1.5 font-medium hover:bg-white/20 focus-visible:outline-2 focus-visible:outline-white"
              >
                Download
              </a>
            )}
            <button
              ref={closeButton}
              type="button"
              onClick={close}
              className="rounded-md bg-white/10 px-3 py-1.5 font-medium hover:bg-white/20 focus-visible:outline-2 focus-visible:outline-white"
            >
              Close <span className="text-white/60">Esc</span>
            </button>
          </div>
        </div>
        <div className="relative flex w-full max-w-4xl flex-1 items-center justify-center overflow-hidden">
          {src ? (
            <img
              src={src}
              alt={item.alt}
              referrerPolicy="no-referrer"
              className="max-h-[calc(100dvh-8rem)] max-w-full rounded-lg object-contain shadow-2xl"
            />
          ) : (
            <p>Not available</p>
          )}
          {count > 1 && (
            <>
              <NavButton side="left" label={`Previous ${noun.toLowerCase()}`} onClick={() => go(-1)} />
              <NavButton side="right" label={`Next ${noun.toLowerCase()}`} onClick={() => go(1)} />
            </>
          )}
        </div>
        {count > 1 && <p className="text-xs text-white/60">Use ← and → to browse</p>}
      </div>
    </dialog>
  );
}

function NavButton({ side, label, onClick }: { side: "left" | "right"; label: string; onClick: () => void }) {
  return (
    <button
      type="button"
      aria-label={label}
      onClick={onClick}
      className={`absolute top-1/2 ${side === "left" ? "left-1" : "right-1"} grid size-10 -translate-y-1/2 place-items-center rounded-full bg-black/50 text-xl hover:bg-black/70 focus-visible:outline-2 focus-visible:outline-white`}
    >
      <span aria-hidden>{side === "left" ? "‹" : "›"}</span>
    </button>
  );
}
