// The login page, `/login` (with DASHBOARD_PASSWORD set), and logging out.
import type { Locator, Page } from "@playwright/test";

export class LoginPage {
  readonly password: Locator;
  readonly submit: Locator;
  /** The form's own alert (Next's route announcer is an empty alert too). */
  readonly error: Locator;
  readonly logout: Locator;

  constructor(readonly page: Page) {
    this.password = page.getByLabel("Password");
    this.submit = page.getByRole("button", { name: "Log in" });
    this.error = page.locator("#login-error");
    this.logout = page.getByRole("button", { name: "Log out", exact: true });
  }

  async goto(next?: string) {
    await this.page.goto(`/login${next ? `?next=${encodeURIComponent(next)}` : ""}`);
  }

  async logIn(password: string) {
    await this.password.fill(password);
    await this.submit.click();
  }
}
