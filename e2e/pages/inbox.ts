// The callback inbox, `/deliveries`: every delivery, verdict filters, search, raw body and headers, replay (one or in bulk).
import type { Locator, Page } from "@playwright/test";

/** Deliveries the page shows at first and adds per "Load more" (app/deliveries/page.tsx). */
export const INBOX_PAGE_SIZE = 30;

export class InboxPage {
  readonly deliveries: Locator;
  readonly errors: Locator;
  readonly loadMore: Locator;
  readonly rejectedFilter: Locator;
  /** Searches the raw bodies for any part of them. */
  readonly search: Locator;
  readonly taskFilter: Locator;
  readonly bulkReplaySince: Locator;
  readonly bulkReplay: Locator;
  readonly bulkReplayResult: Locator;

  constructor(readonly page: Page) {
    this.deliveries = page.getByTestId("delivery");
    this.errors = page.getByTestId("delivery-error");
    this.loadMore = page.getByRole("button", { name: "Load more" });
    this.rejectedFilter = page.getByRole("button", { name: "Rejected" });
    this.search = page.getByRole("searchbox", { name: "Search the raw bodies" });
    this.taskFilter = page.getByRole("searchbox", { name: "Task id" });
    this.bulkReplaySince = page.getByLabel("Replay every rejected delivery since");
    this.bulkReplay = page.getByRole("button", { name: "Replay these" });
    this.bulkReplayResult = page.getByTestId("bulk-replay-result");
  }

  async goto(verdict?: "rejected" | "accepted" | "duplicate") {
    await this.page.goto(`/deliveries${verdict ? `?verdict=${verdict}` : ""}`);
  }

  /** The deliveries of one task. */
  forTask(taskId: string): Locator {
    return this.deliveries.filter({ has: this.page.getByTitle(taskId, { exact: true }) });
  }

  /** Opens a delivery's raw body and headers. */
  async openRaw(delivery: Locator) {
    await delivery.getByText("Raw body and headers").click();
  }

  /** A delivery's body (`pre` 0) or headers (`pre` 1), once open. */
  raw(delivery: Locator, which: "body" | "headers"): Locator {
    return delivery.locator("pre").nth(which === "body" ? 0 : 1);
  }

  async replay(delivery: Locator) {
    await delivery.getByRole("button", { name: "Replay" }).click();
  }

  emptyState(heading: "No callbacks received yet" | "No rejected deliveries" | "No deliveries match"): Locator {
    return this.page.getByRole("heading", { name: heading });
  }
}
