// A task's page, `/tasks/{id}`: message, timeline, files (gallery, player), deliveries, actions, deleting.
import type { Locator, Page } from "@playwright/test";
import { FamilySection, LyricsSection, MidiSection, RawBodySection, StemMixer, TracksSection, VideoSection } from "./task-kinds";

export class TaskPage {
  readonly heading: Locator;
  readonly message: Locator;
  readonly timeline: Locator;
  readonly gallery: Locator;
  readonly images: Locator;
  readonly lightbox: Locator;
  readonly audio: Locator;
  readonly audioDuration: Locator;
  /** The WAV player's waveform, a seek slider. */
  readonly waveform: Locator;
  readonly deliveries: Locator;
  readonly pollNow: Locator;
  readonly redownloadAll: Locator;
  readonly downloadArchive: Locator;
  readonly noFiles: Locator;
  readonly notFound: Locator;
  readonly delete: Locator;
  /** The confirmation Delete opens. */
  readonly deleteDialog: Locator;
  /** Each kind's own part of the page (e2e/pages/task-kinds.ts). */
  readonly tracks: TracksSection;
  readonly lyrics: LyricsSection;
  readonly mixer: StemMixer;
  readonly midi: MidiSection;
  readonly video: VideoSection;
  readonly rawBody: RawBodySection;
  readonly family: FamilySection;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1 });
    this.message = page.getByTestId("task-message");
    this.timeline = page.getByTestId("timeline");
    this.gallery = page.getByTestId("gallery");
    this.images = this.gallery.getByRole("img");
    this.lightbox = page.getByTestId("lightbox");
    this.audio = page.locator("audio");
    this.audioDuration = page.getByTestId("audio-duration");
    this.waveform = page.getByRole("slider", { name: /^Seek / });
    this.deliveries = page.getByTestId("delivery");
    this.pollNow = page.getByRole("button", { name: "Poll now" });
    this.redownloadAll = page.getByRole("button", { name: "Re-download all" });
    this.downloadArchive = page.getByRole("link", { name: "Download archive" });
    this.noFiles = page.getByRole("heading", { name: "No files" });
    this.notFound = page.getByRole("heading", { name: "No such task" });
    this.delete = page.getByRole("button", { name: "Delete", exact: true });
    this.deleteDialog = page.getByRole("dialog", { name: "Delete this task?" });
    this.tracks = new TracksSection(page);
    this.lyrics = new LyricsSection(page);
    this.mixer = new StemMixer(page);
    this.midi = new MidiSection(page);
    this.video = new VideoSection(page);
    this.rawBody = new RawBodySection(page);
    this.family = new FamilySection(page);
  }

  /** Opens a task's page; `base` is another server's URL. Answers the navigation's response. */
  goto(taskId: string, base = "") {
    return this.page.goto(`${base}/tasks/${encodeURIComponent(taskId)}`);
  }

  /** The gallery's entry of the n-th cover (0-based). */
  cover(n: number): Locator {
    return this.gallery.getByRole("listitem").nth(n);
  }

  /** The thumbnail button that opens cover `n` (1-based, as labelled) in the lightbox. */
  opener(n: number): Locator {
    return this.page.getByRole("button", { name: `Open Cover ${n} in the viewer` });
  }

  /** A kind badge: the page's own is the first. */
  kindBadge(kind: string): Locator {
    return this.page.locator(`[data-kind="${kind}"]`);
  }

  closeLightbox(): Locator {
    return this.lightbox.getByRole("button", { name: /Close/ });
  }

  /** A delivery's pretty-printed body (`pre` 0) or headers (`pre` 1). */
  deliveryBlock(delivery: Locator, which: "body" | "headers"): Locator {
    return delivery.locator("pre").nth(which === "body" ? 0 : 1);
  }
}
