// What every page has: the toast, the navigation, the page heading.
import type { Locator, Page } from "@playwright/test";

export class Shell {
  constructor(readonly page: Page) {}

  /** The toast whose text contains `text`. */
  toast(text: string): Locator {
    return this.page.getByTestId("toast").filter({ hasText: text });
  }

  heading(name: string): Locator {
    return this.page.getByRole("heading", { name });
  }

  /** A link of the main navigation (pages may link to the same places in their own words, e.g. "API reference"). */
  navLink(name: "Tasks" | "Inbox" | "Insights" | "Setup" | "API"): Locator {
    return this.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });
  }
}
