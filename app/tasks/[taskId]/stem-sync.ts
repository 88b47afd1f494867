// Plays several <audio> elements (a separation's stems) as one: started together
// once each can play at the position, kept together while playing (the longest
// stem is the clock; a stem that drifts is nudged by its playback rate, or put
// back in place when far off), stopped together when one runs dry and started
// again when all have data. <audio> elements, not Web Audio buffers: they stream
// with Range requests (twelve decoded stems would take gigabytes) and play from
// wherever the file route redirects, a bucket included, which media-src allows.

/** How far a stem may be from the clock before it is nudged, and before it is moved (seconds). */
const NUDGE_AFTER = 0.04;
const JUMP_AFTER = 0.3;
/** The playback rate change that makes a drifting stem catch up or wait. */
const NUDGE = 0.03;
const CHECK_EVERY_MS = 200;
/** How long a start waits for every stem to have data before playing anyway (play() buffers by itself). */
const READY_WAIT_MS = 4_000;

export type SyncState = {
  playing: boolean;
  /** Started, but some stem is still loading. */
  waiting: boolean;
  /** Seconds, of the longest stem. */
  position: number;
  duration: number;
  /** Why playing stopped, when it failed. */
  error: string | null;
  /** Stems whose file this browser cannot play. */
  broken: ReadonlySet<number>;
};

const INITIAL: SyncState = { playing: false, waiting: false, position: 0, duration: 0, error: null, broken: new Set() };

export class StemSync {
  private readonly elements = new Map<number, HTMLAudioElement>();
  private readonly detach = new Map<number, () => void>();
  private readonly listeners = new Set<() => void>();
  private state: SyncState = INITIAL;
  /** Each start's number: a start superseded while it waited does nothing. */
  private generation = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private frame = 0;

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getSnapshot = () => this.state;
  getServerSnapshot = () => INITIAL;

  /** A stem's element (as React's ref callback hands it over; null when it goes). */
  register(id: number, element: HTMLAudioElement | null) {
    this.detach.get(id)?.();
    this.detach.delete(id);
    this.elements.delete(id);
    if (!element) return;
    this.elements.set(id, element);
    const onMetadata = () => this.set({ duration: this.longest() });
    const onWaiting = () => {
      if (this.state.playing && !this.state.waiting) void this.start(this.clock()?.currentTime ?? this.state.position);
    };
    const onEnded = () => {
      if (element === this.clock()) this.stop(this.state.duration);
    };
    const onError = () => {
      this.set({ broken: new Set([...this.state.broken, id]), duration: this.longest() });
    };
    element.addEventListener("loadedmetadata", onMetadata);
    element.addEventListener("durationchange", onMetadata);
    element.addEventListener("waiting", onWaiting);
    element.addEventListener("ended", onEnded);
    element.addEventListener("error", onError);
    this.detach.set(id, () => {
      element.removeEventListener("loadedmetadata", onMetadata);
      element.removeEventListener("durationchange", onMetadata);
      element.removeEventListener("waiting", onWaiting);
      element.removeEventListener("ended", onEnded);
      element.removeEventListener("error", onError);
    });
    if (element.error) onError();
    else if (element.readyState >= HTMLMediaElement.HAVE_METADATA) onMetadata();
  }

  /** Whether a stem is heard (mute and solo); it keeps playing either way, so it stays in time. */
  setAudible(id: number, audible: boolean) {
    const element = this.elements.get(id);
    if (element) element.muted = !audible;
  }

  play() {
    const from = this.state.position >= this.state.duration - 0.05 ? 0 : this.state.position;
    void this.start(from);
  }

  pause() {
    this.stop(this.clock()?.currentTime ?? this.state.position);
  }

  seek(seconds: number) {
    const to = Math.max(0, Math.min(seconds, this.state.duration || seconds));
    if (this.state.playing) {
      void this.start(to);
      return;
    }
    for (const element of this.playable()) element.currentTime = Math.min(to, duration(element) ?? to);
    this.set({ position: to });
  }

  /** Stops for good (the page goes); the elements detach through register(id, null). */
  dispose() {
    this.generation += 1;
    this.stopTimers();
    for (const element of this.elements.values()) element.pause();
  }

  private async start(from: number) {
    const generation = ++this.generation;
    this.stopTimers();
    this.set({ playing: true, waiting: true, position: from, error: null });
    const stems = this.playable();
    for (const element of stems) {
      element.pause();
      element.playbackRate = 1;
      // Load ahead from now on: the stems are about to be needed whole.
      element.preload = "auto";
      const end = duration(element);
      if (Math.abs(element.currentTime - from) > 0.001) element.currentTime = end === null ? from : Math.min(from, end);
    }
    // Only the stems that still have something to play at `from`.
    const sounding = stems.filter((element) => (duration(element) ?? Infinity) > from);
    await Promise.all(sounding.map((element) => canPlay(element, READY_WAIT_MS)));
    if (generation !== this.generation) return;
    try {
      await Promise.all(sounding.map((element) => element.play()));
    } catch (error) {
      if (generation !== this.generation) return;
      for (const element of stems) element.pause();
      this.set({ playing: false, waiting: false, error: error instanceof Error ? error.message : String(error) });
      return;
    }
    if (generation !== this.generation) return;
    this.set({ waiting: false });
    this.timer = setInterval(() => this.keepTogether(), CHECK_EVERY_MS);
    const tick = () => {
      const clock = this.clock();
      if (clock) this.set({ position: clock.currentTime });
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  private stop(at: number) {
    this.generation += 1;
    this.stopTimers();
    for (const element of this.elements.values()) {
      element.pause();
      element.playbackRate = 1;
    }
    this.set({ playing: false, waiting: false, position: at });
  }

  /** Every stem within NUDGE_AFTER of the clock. */
  private keepTogether() {
    const clock = this.clock();
    if (!clock || this.state.waiting) return;
    // Paused by something else (the system's media keys): all stop.
    if (clock.paused && !clock.ended) return this.stop(clock.currentTime);
    const now = clock.currentTime;
    for (const element of this.playable()) {
      if (element === clock || element.ended || element.paused) continue;
      const ahead = element.currentTime - now;
      if (Math.abs(ahead) > JUMP_AFTER) {
        element.playbackRate = 1;
        element.currentTime = now;
      } else if (Math.abs(ahead) > NUDGE_AFTER) {
        element.playbackRate = ahead > 0 ? 1 - NUDGE : 1 + NUDGE;
      } else if (element.playbackRate !== 1) {
        element.playbackRate = 1;
      }
    }
  }

  private stopTimers() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    cancelAnimationFrame(this.frame);
  }

  private playable(): HTMLAudioElement[] {
    return [...this.elements].filter(([id]) => !this.state.broken.has(id)).map(([, element]) => element);
  }

  /** The longest playable stem: the one whose time the others follow. */
  private clock(): HTMLAudioElement | null {
    let best: HTMLAudioElement | null = null;
    for (const element of this.playable()) if (!best || (duration(element) ?? 0) > (duration(best) ?? 0)) best = element;
    return best;
  }

  private longest(): number {
    const clock = this.clock();
    return clock ? (duration(clock) ?? 0) : 0;
  }

  private set(change: Partial<SyncState>) {
    const next = { ...this.state, ...change };
    if (Object.keys(change).every((key) => Object.is(next[key as keyof SyncState], this.state[key as keyof SyncState]))) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}

function duration(element: HTMLAudioElement): number | null {
  return Number.isFinite(element.duration) ? element.duration : null;
}

/** Resolves once the element has data to play at its position (or after `timeoutMs`, or on an error: play() tells then). */
function canPlay(element: HTMLAudioElement, timeoutMs: number): Promise<void> {
  const ready = () => element.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA && !element.seeking;
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const events = ["canplay", "canplaythrough", "seeked", "loadeddata", "error"] as const;
    const done = () => {
      clearTimeout(timer);
      for (const name of events) element.removeEventListener(name, check);
      resolve();
    };
    const check = () => {
      if (ready() || element.error) done();
    };
    const timer = setTimeout(done, timeoutMs);
    for (const name of events) element.addEventListener(name, check);
  });
}
