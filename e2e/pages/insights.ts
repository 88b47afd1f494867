// Insights, `/insights`: the range picker, the figures and the charts (each a
// role="img" whose aria-label says what it shows).
import type { Locator, Page } from "@playwright/test";

export class InsightsPage {
  readonly root: Locator;
  readonly deliveries: Locator;
  readonly stored: Locator;
  readonly sources: Locator;
  readonly failures: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId("insights");
    this.deliveries = page.getByTestId("deliveries-chart");
    this.stored = page.getByTestId("stored-chart");
    this.sources = page.getByTestId("sources");
    this.failures = page.getByTestId("failures");
  }

  async goto(days?: number) {
    await this.page.goto(days === undefined ? "/insights" : `/insights?days=${days}`);
  }

  range(label: "24 h" | "7 d" | "30 d" | "90 d"): Locator {
    return this.page.getByRole("group", { name: "Range" }).getByRole("button", { name: label });
  }

  turnaround(kind: "cover" | "wav"): Locator {
    return this.page.getByTestId(`turnaround-${kind}`);
  }

  stat(name: "received" | "completed" | "failed" | "stored"): Locator {
    return this.page.getByTestId(`stat-${name}`);
  }
}
