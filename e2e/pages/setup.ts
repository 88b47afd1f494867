// Setup, `/setup`: callback URLs, the test callback, provider status, the submit forms, API tokens.
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
  readonly tokenName: Locator;
  readonly tokenScope: Locator;
  readonly makeToken: Locator;
  /** The token just made, shown once, with its copy button and its curl line. */
  readonly newToken: Locator;
  readonly newTokenValue: Locator;
  readonly newTokenCurl: Locator;
  readonly copyToken: Locator;

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
    this.tokenName = page.getByLabel("Token name");
    this.tokenScope = page.getByLabel("Scope");
    this.makeToken = page.getByRole("button", { name: "Make token" });
    this.newToken = page.getByTestId("new-api-token");
    this.newTokenValue = page.getByTestId("new-api-token-value");
    this.newTokenCurl = page.getByTestId("new-api-token-curl");
    this.copyToken = page.getByRole("button", { name: "Copy the token" });
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

  /** A token's row in the API tokens card. */
  token(name: string): Locator {
    return this.page.getByTestId("api-token").filter({ hasText: name });
  }

  /** Makes an API token; answers the token shown (this once). */
  async makeApiToken(name: string, scope: "read" | "write"): Promise<string> {
    await this.tokenName.fill(name);
    await this.tokenScope.selectOption(scope);
    await this.makeToken.click();
    await expect(this.newToken).toContainText(name);
    return (await this.newTokenValue.textContent()) ?? "";
  }

  /** Revokes a token, accepting the confirmation. */
  async revokeToken(name: string) {
    this.page.once("dialog", (dialog) => void dialog.accept());
    await this.token(name).getByRole("button", { name: "Revoke" }).click();
  }

  async chooseForm(kind: "Cover" | "WAV") {
    await this.page.getByRole("tab", { name: kind }).click();
  }

  submit(label: "Generate cover" | "Convert to WAV"): Locator {
    return this.page.getByRole("button", { name: label });
  }
}
