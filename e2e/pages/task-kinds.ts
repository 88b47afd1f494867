// The parts of a task's page each kind has: tracks (music), lyrics, the stem
// mixer (separation), piano rolls (MIDI), the video, the raw body (other), and
// the related tasks every kind may have.
import type { Locator, Page } from "@playwright/test";

export class TracksSection {
  readonly list: Locator;
  readonly items: Locator;
  /** text → first → complete. */
  readonly stages: Locator;
  readonly empty: Locator;

  constructor(readonly page: Page) {
    this.list = page.getByTestId("tracks");
    this.items = this.list.getByTestId("track");
    this.stages = page.getByTestId("music-stages");
    this.empty = page.getByRole("heading", { name: "No tracks yet" });
  }

  /** Track `n` (1-based, as numbered on the page). */
  track(n: number): Locator {
    return this.items.nth(n - 1);
  }

  player(n: number): Locator {
    return this.track(n).locator("audio");
  }

  artOpener(title: string): Locator {
    return this.page.getByRole("button", { name: `Open the artwork of ${title} in the viewer` });
  }

  /** The step of the stages marked as reached last. */
  currentStage(): Locator {
    return this.stages.locator('[aria-current="step"]');
  }
}

export class LyricsSection {
  readonly variants: Locator;
  readonly empty: Locator;

  constructor(readonly page: Page) {
    this.variants = page.getByTestId("lyrics-variant");
    this.empty = page.getByRole("heading", { name: "No lyrics yet" });
  }

  variant(title: string): Locator {
    return this.variants.filter({ has: this.page.getByRole("heading", { name: title, exact: true }) });
  }

  copy(title: string): Locator {
    return this.page.getByRole("button", { name: `Copy the lyrics of ${title}` });
  }
}

export class StemMixer {
  readonly mixer: Locator;
  readonly playTogether: Locator;
  readonly pause: Locator;
  readonly position: Locator;
  readonly time: Locator;
  readonly status: Locator;
  readonly stems: Locator;
  readonly audios: Locator;
  readonly unmuteAll: Locator;
  readonly empty: Locator;

  constructor(readonly page: Page) {
    this.mixer = page.getByTestId("mixer");
    this.playTogether = this.mixer.getByRole("button", { name: "Play together" });
    this.pause = this.mixer.getByRole("button", { name: "Pause" });
    this.position = page.getByRole("slider", { name: "Position of every stem" });
    this.time = page.getByTestId("mixer-time");
    this.status = page.getByTestId("mixer-status");
    this.stems = page.getByTestId("stem");
    this.audios = this.stems.locator("audio");
    this.unmuteAll = page.getByRole("button", { name: "Unmute all" });
    this.empty = page.getByRole("heading", { name: "No stems yet" });
  }

  /** A stem's row by its name on the page ("Drums", "Backing vocals"). */
  stem(name: string): Locator {
    return this.stems.filter({ has: this.page.getByText(name, { exact: true }) });
  }

  audio(name: string): Locator {
    return this.page.getByLabel(`${name} stem`, { exact: true });
  }

  mute(name: string): Locator {
    return this.page.getByRole("button", { name: `Mute ${name}`, exact: true });
  }

  solo(name: string): Locator {
    return this.page.getByRole("button", { name: `Solo ${name}`, exact: true });
  }

  playAlone(name: string): Locator {
    return this.page.getByRole("button", { name: `Play ${name} alone` });
  }

  download(name: string): Locator {
    return this.page.getByRole("link", { name: `Download the ${name.toLowerCase()} stem` });
  }

  /** Every stem element's time and whether it is muted, in page order. */
  states(): Promise<{ time: number; muted: boolean; paused: boolean }[]> {
    return this.audios.evaluateAll((els) =>
      (els as HTMLAudioElement[]).map((el) => ({ time: el.currentTime, muted: el.muted, paused: el.paused })),
    );
  }
}

export class MidiSection {
  readonly rolls: Locator;
  readonly download: Locator;
  readonly zoomIn: Locator;
  readonly zoomOut: Locator;
  readonly zoom: Locator;
  readonly empty: Locator;

  constructor(readonly page: Page) {
    this.rolls = page.getByTestId("piano-roll");
    this.download = page.getByRole("link", { name: "Download .mid" });
    this.zoomIn = page.getByRole("button", { name: "Zoom in" });
    this.zoomOut = page.getByRole("button", { name: "Zoom out" });
    this.zoom = page.getByTestId("midi-zoom");
    this.empty = page.getByRole("heading", { name: "No notes yet" });
  }

  roll(instrument: string): Locator {
    return this.page.getByRole("figure", { name: `Piano roll of ${instrument}` });
  }

  /** The drawn notes of an instrument (one rect each). */
  notes(instrument: string): Locator {
    return this.roll(instrument).getByTestId("notes").locator("rect");
  }

  /** The scrollable time strip of an instrument's roll. */
  scroller(instrument: string): Locator {
    return this.page.getByRole("region", { name: `${instrument}, scroll along time` });
  }
}

export class VideoSection {
  readonly video: Locator;
  readonly facts: Locator;
  readonly download: Locator;
  readonly empty: Locator;

  constructor(readonly page: Page) {
    this.video = page.getByTestId("video");
    this.facts = page.getByTestId("video-facts");
    this.download = page.getByRole("link", { name: "Download the video" });
    this.empty = page.getByRole("heading", { name: "No video yet" });
  }
}

export class RawBodySection {
  readonly heading: Locator;
  readonly body: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { name: "What the provider sent" });
    this.body = page.getByTestId("raw-body");
  }
}

export class FamilySection {
  readonly madeFrom: Locator;
  readonly madeFromThis: Locator;
  /** "Made from …" under the page's title. */
  readonly parentLine: Locator;
  /** The track of the music task it was made from, linked to that track on the music task's page. */
  readonly trackLink: Locator;

  constructor(readonly page: Page) {
    this.madeFrom = page.getByTestId("made-from");
    this.madeFromThis = page.getByTestId("made-from-this");
    this.parentLine = page.getByTestId("parent-line");
    this.trackLink = this.madeFrom.getByTestId("track-link");
  }

  /** The link to a related task in `where`. */
  link(where: Locator, taskId: string): Locator {
    return where.getByTestId("related-task").and(this.page.getByTitle(taskId, { exact: true }));
  }
}
