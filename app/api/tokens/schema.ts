import { z } from "zod";
import { createTokenBody } from "@/lib/auth/token-request";
import { rowIdSchema } from "@/lib/notifications/schemas";
import { apiTokenListShape, newApiTokenShape } from "@/lib/server/api-shapes";
import { operation } from "@/lib/server/operation";

const TAG = "API tokens";

export const listTokens = operation({
  method: "GET",
  path: "/api/tokens",
  id: "listTokens",
  tag: TAG,
  summary: "The API tokens, newest first (never the tokens themselves)",
  access: "session",
  answers: { 200: { description: "Every token with its last use (recorded at most once a minute).", json: apiTokenListShape } },
});

export const createToken = operation({
  method: "POST",
  path: "/api/tokens",
  id: "createToken",
  tag: TAG,
  summary: "Make an API token, shown in this answer only",
  description: "Stored as its SHA-256 only. Works also without DASHBOARD_PASSWORD, for later.",
  access: "session",
  body: createTokenBody,
  example: '{"name":"nightly backup","scope":"read"}',
  bodyExamples: { readOnly: { name: "nightly backup", scope: "read" }, replayJob: { name: "CI replay", scope: "write" } },
  answers: { 201: { description: "The token (`sk_…`): copy it now.", json: newApiTokenShape } },
});

export const deleteToken = operation({
  method: "DELETE",
  path: "/api/tokens/{id}",
  id: "deleteToken",
  tag: TAG,
  summary: "Revoke an API token: it stops working at once, on every instance",
  access: "session",
  params: { schema: z.object({ id: rowIdSchema }), notFound: "No such API token." },
  answers: { 204: { description: "Revoked." } },
});
