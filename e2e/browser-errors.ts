// What the browser reports as going wrong, for the fixture that fails every
// test on it: uncaught exceptions (a React hydration mismatch is one, error
// #418) and console errors, in every page of a browser context.
import type { BrowserContext, ConsoleMessage } from "@playwright/test";

/** Chromium logs every HTTP error answer to a fetch or navigation as a console error. */
const HTTP_ERROR = /^Failed to load resource: the server responded with a status of (\d{3})\b/;

type Allowed = { status: number; pathname: string | RegExp };

export class BrowserErrors {
  readonly errors: string[] = [];
  /**
   * The allow-list, empty unless a test fills it: only HTTP error answers a
   * test provokes on purpose (and checks), each named by status and path.
   */
  private readonly allowed: Allowed[] = [];

  /** The test's own context is watched by the fixture; a test that opens another watches it too. */
  watch(context: BrowserContext) {
    context.on("weberror", (error) => this.errors.push(`uncaught in ${error.page()?.url()}: ${error.error().message}`));
    context.on("console", (message) => {
      if (message.type() === "error" && !this.isAllowed(message)) {
        this.errors.push(`console.error in ${message.page()?.url()}: ${message.text()} (at ${message.location().url})`);
      }
    });
  }

  /** Tolerates the console errors of HTTP error answers with this status on this path, which the test provokes on purpose. */
  allowHttpError(status: number, pathname: string | RegExp) {
    this.allowed.push({ status, pathname });
  }

  private isAllowed(message: ConsoleMessage): boolean {
    const status = HTTP_ERROR.exec(message.text())?.[1];
    const url = message.location().url;
    if (!status || !URL.canParse(url)) return false;
    const { pathname } = new URL(url);
    return this.allowed.some(
      (a) => a.status === Number(status) && (typeof a.pathname === "string" ? a.pathname === pathname : a.pathname.test(pathname)),
    );
  }
}
