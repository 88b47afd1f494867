// The API reference, `/api-docs`: the OpenAPI document as a page.
import type { Locator, Page } from "@playwright/test";

export class ApiDocsPage {
  readonly title: Locator;
  readonly operations: Locator;
  readonly schemas: Locator;

  constructor(readonly page: Page) {
    this.title = page.getByRole("heading", { level: 1, name: "API", exact: true });
    this.operations = page.getByTestId("api-operation");
    this.schemas = page.getByTestId("api-schema");
  }

  async goto() {
    await this.page.goto("/api-docs");
  }

  /** One operation, by its operationId. */
  operation(id: string): Locator {
    return this.page.locator(`[data-testid="api-operation"][id="${id}"]`);
  }

  /** A named schema's entry (where its links lead). */
  schema(name: string): Locator {
    return this.page.locator(`[id="schema-${name}"]`);
  }
}
