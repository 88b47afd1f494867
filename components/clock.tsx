"use client";
// The time relative dates are drawn against ("3 minutes ago", "Remote files
// expire in 2 hours"). The server renders a page at one moment and the browser
// hydrates it at another, with a clock of its own: text computed from each's
// Date.now() can differ ("in 2 hours" / "in 40 minutes") and hydration fails
// (React error #418). So while hydrating, components read the moment the
// server rendered at; from then on the browser's clock, refreshed every 30 s.
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from "react";

const TICK_MS = 30_000;
const RenderedAt = createContext<number | null>(null);

/** Set once in the root layout with the server's `Date.now()`. */
export function ClockProvider({ renderedAt, children }: { renderedAt: number; children: ReactNode }) {
  return <RenderedAt value={renderedAt}>{children}</RenderedAt>;
}

const subscribeToNothing = () => () => {};

/** Now, in ms: the server's render time on the server and while hydrating, then the browser's. */
export function useNow(): number {
  const renderedAt = useContext(RenderedAt);
  // false on the server and while hydrating, true in every render after.
  const hydrated = useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  return hydrated || renderedAt === null ? now : renderedAt;
}
