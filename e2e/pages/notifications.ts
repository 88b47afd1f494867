// Notification destinations, on `/setup`: the form that adds one, each destination's row, its test send and attempts.
import type { Locator, Page } from "@playwright/test";

export class NotificationsPanel {
  /** Opens the form (while it is closed, the only button of that name). */
  readonly addDestination: Locator;
  readonly form: Locator;
  readonly formError: Locator;

  constructor(readonly page: Page) {
    this.addDestination = page.getByRole("button", { name: "Add destination" });
    this.form = page.getByRole("form", { name: "New destination" });
    this.formError = page.getByTestId("destination-error");
  }

  async goto() {
    await this.page.goto("/setup");
  }

  /** Opens the form, fills what is given and submits it. */
  async add({ url, name, format }: { url: string; name?: string; format?: "webhook" | "discord" | "slack" }) {
    await this.addDestination.click();
    await this.form.getByLabel("URL").fill(url);
    if (name !== undefined) await this.form.getByLabel("Name (optional)").fill(name);
    if (format !== undefined) await this.form.getByLabel("Format").selectOption(format);
    await this.form.getByRole("button", { name: "Add destination" }).click();
  }

  /** The row of the destination whose text (its name) contains `text`. */
  destination(text: string): Locator {
    return this.page.getByTestId("destination").filter({ hasText: text });
  }

  /** The row's signing secret (`whsec_…`), as shown. */
  secret(row: Locator): Locator {
    return row.locator("code", { hasText: "whsec_" });
  }

  sendTest(row: Locator): Locator {
    return row.getByRole("button", { name: "Send test" });
  }

  attempts(row: Locator): Locator {
    return row.getByTestId("attempt");
  }
}
