// Setup, `/setup`: callback URLs, the test callback, provider status, the submit forms.
import { expect, type Locator, type Page } from "@playwright/test";

export class SetupPage {
  readonly callbackUrls: Locator;
  readonly openNotice: Locator;
  readonly providerStatus: Locator;
  readonly providerCredits: Locator;
  readonly sendTestCallback: Locator;
  readonly testTaskLink: Locator;
  readonly musicTaskId: Locator;
  readonly submitError: Locator;
  readonly doctor: Locator;

  constructor(readonly page: Page) {
    this.callbackUrls = page.getByTestId("callback-url");
    this.openNotice = page.getByTestId("open-notice");
    this.providerStatus = page.getByTestId("provider-status");
    this.providerCredits = page.getByTestId("provider-credits");
    this.sendTestCallback = page.getByRole("button", { name: "Send a test callback" });
    this.testTaskLink = page.getByTestId("test-task-link");
    this.musicTaskId = page.getByLabel("Music task id");
    this.submitError = page.getByTestId("submit-error");
    this.doctor = page.getByTestId("doctor");
  }

  /** `base` is another server's URL. */
  async goto(base = "") {
    await this.page.goto(`${base}/setup`);
  }

  /** Sends the test callback and answers the id of the task it made. */
  async sendTestCallbackAndGetTaskId(): Promise<string> {
    await this.sendTestCallback.click();
    await expect(this.testTaskLink).toBeVisible();
    const text = await this.testTaskLink.textContent();
    const taskId = text?.match(/test-[0-9a-f]+/)?.[0];
    if (!taskId) throw new Error(`no test task id in ${JSON.stringify(text)}`);
    return taskId;
  }

  /** One check of the doctor (its data-verdict is ok, warn or fail). */
  check(id: string): Locator {
    return this.page.getByTestId(`check-${id}`);
  }

  async chooseForm(kind: "Cover" | "WAV") {
    await this.page.getByRole("tab", { name: kind }).click();
  }

  submit(label: "Generate cover" | "Convert to WAV"): Locator {
    return this.page.getByRole("button", { name: label });
  }
}
