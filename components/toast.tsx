"use client";
// Toasts announced to screen readers through one aria-live region.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";

type Tone = "success" | "error" | "info";
type Toast = { id: number; tone: Tone; title: string; detail?: string };
type Notify = (tone: Tone, title: string, detail?: string) => void;

const ToastContext = createContext<Notify>(() => {});

export const useToast = () => useContext(ToastContext);

const STYLES: Record<Tone, string> = {
  success: "border-emerald-500/30 before:bg-emerald-500",
  error: "border-red-500/40 before:bg-red-500",
  info: "border-zinc-300 before:bg-sky-500 dark:border-zinc-700",
};

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const notify = useCallback<Notify>(
    (tone, title, detail) => {
      const id = nextId.current++;
      setToasts((all) => [...all.slice(-3), { id, tone, title, detail }]);
      setTimeout(() => dismiss(id), tone === "error" ? 9000 : 5000);
    },
    [dismiss],
  );
  const value = useMemo(() => notify, [notify]);

  return (
    <ToastContext.Provider value={value}>
      {children}
      <div
        role="status"
        aria-live="polite"
        className="pointer-events-none fixed inset-x-3 bottom-3 z-50 flex flex-col items-end gap-2 sm:inset-x-auto sm:right-4 sm:bottom-4 sm:w-96"
      >
        {toasts.map((t) => (
          <div
            key={t.id}
            data-testid="toast"
            data-tone={t.tone}
            className={`pointer-events-auto relative w-full overflow-hidden rounded-lg border bg-white py-3 pr-9 pl-4 text-sm shadow-lg before:absolute before:inset-y-0 before:left-0 before:w-1 dark:bg-zinc-900 ${STYLES[t.tone]}`}
          >
            <p className="font-medium">{t.title}</p>
            {t.detail && <p className="mt-0.5 break-words text-zinc-600 dark:text-zinc-400">{t.detail}</p>}
            <button
              type="button"
              onClick={() => dismiss(t.id)}
              aria-label="Dismiss"
              className="absolute top-2 right-2 rounded p-1 text-zinc-400 hover:text-zinc-700 focus-visible:outline-2 focus-visible:outline-violet-500 dark:hover:text-zinc-200"
            >
              <svg aria-hidden viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="2">
                <path d="M4 4l8 8M12 4l-8 8" />
              </svg>
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
