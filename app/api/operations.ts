// Every API route's registration (lib/server/operation.ts), for the OpenAPI
// document: each module below exports its area's operations, and every one it
// exports is listed. A route in a new folder under app/api adds its module
// here; tests/openapi.test.ts walks app/api and fails on a route left out.
import pkg from "@/package.json";
import { collectOperations } from "@/lib/server/operation";
import { openApiDocument, type OpenApiDocument } from "@/lib/server/openapi";
import * as assets from "./assets/schema";
import * as auth from "./auth/schema";
import * as callbacks from "./callbacks/schema";
import * as cron from "./cron/schema";
import * as deliveries from "./deliveries/schema";
import * as destinations from "./destinations/schema";
import * as exports from "./export/schema";
import * as health from "./health/schema";
import * as insights from "./insights/schema";
import * as notifications from "./notifications/schema";
import * as openapi from "./openapi.json/schema";
import * as provider from "./provider/schema";
import * as setup from "./setup/schema";
import * as stats from "./stats/schema";
import * as tasks from "./tasks/schema";
import * as tokens from "./tokens/schema";

export const operations = collectOperations([
  tasks,
  stats,
  assets,
  deliveries,
  callbacks,
  exports,
  insights,
  destinations,
  notifications,
  tokens,
  setup,
  provider,
  health,
  cron,
  auth,
  openapi,
]);

let built: OpenApiDocument | undefined;

/** The document, built once per process (it depends on the code alone). */
export function apiDocument(): OpenApiDocument {
  built ??= openApiDocument(operations, { version: pkg.version });
  return built;
}
