// The task list, `/`: filters, search, the table (cards on a phone), paging.
import type { Locator, Page } from "@playwright/test";

export class TaskListPage {
  readonly table: Locator;
  readonly bodyRows: Locator;
  readonly cards: Locator;
  readonly stats: Locator;
  readonly status: Locator;
  readonly kind: Locator;
  readonly search: Locator;
  readonly loadMore: Locator;
  readonly sendTestCallback: Locator;
  readonly exportZip: Locator;
  readonly exportCsv: Locator;
  /** Cover thumbnails, table and cards alike. */
  readonly thumbnails: Locator;
  /** The kind filter's chips (All, then each kind present, with counts). */
  readonly kindChips: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId("task-table");
    this.bodyRows = this.table.locator("tbody tr");
    this.cards = page.getByTestId("task-cards");
    this.stats = page.getByTestId("stats");
    this.status = page.getByLabel("Status");
    this.kind = page.getByRole("combobox", { name: "Kind", exact: true });
    this.search = page.getByRole("searchbox", { name: "Search by task id" });
    this.loadMore = page.getByRole("button", { name: "Load more" });
    this.sendTestCallback = page.getByRole("button", { name: "Send a test callback" });
    this.exportZip = page.getByRole("link", { name: "Export ZIP" });
    this.exportCsv = page.getByRole("link", { name: "Export CSV" });
    this.thumbnails = page.getByTestId("cover-thumbnail");
    this.kindChips = page.getByRole("group", { name: "Filter by kind" });
  }

  /** Opens the list, optionally with a search (`?q=`); `base` is another server's URL. */
  async goto(query?: string, base = "") {
    await this.page.goto(`${base}/${query === undefined ? "" : `?q=${encodeURIComponent(query)}`}`);
  }

  /** The table row of a task (its id is shown with the full id as title). */
  row(taskId: string): Locator {
    return this.table.getByRole("row").filter({ has: this.page.getByTitle(taskId, { exact: true }) });
  }

  /** A task's id cell in the table, a link to its page. */
  taskLink(taskId: string): Locator {
    return this.table.getByTitle(taskId, { exact: true });
  }

  /** The chip of a kind ("Music", "MIDI") or of all ("All"), named with its count. */
  kindChip(label: string): Locator {
    return this.kindChips.getByRole("button", { name: new RegExp(`^${label} [\\d,]+$`) });
  }

  card(taskId: string): Locator {
    return this.cards.getByTitle(taskId, { exact: true });
  }

  emptyState(heading: "No tasks yet" | "No tasks match these filters"): Locator {
    return this.page.getByRole("heading", { name: heading });
  }
}
