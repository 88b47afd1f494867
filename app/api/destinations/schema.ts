import { z } from "zod";
import { cursorSchema, limitSchema } from "@/app/api/tasks/schema";
import { createDestinationBody, rowIdSchema, updateDestinationBody } from "@/lib/notifications/schemas";
import {
  attemptPageShape,
  attemptShape,
  destinationListShape,
  destinationShape,
  destinationWithSecretShape,
} from "@/lib/server/api-shapes";
import { operation } from "@/lib/server/operation";

export const listAttemptsQuery = z.object({ cursor: cursorSchema.optional(), limit: limitSchema });

/** The `[id]` of a destination's routes; unknown (404) when it is not a row id. */
export const destinationParams = { schema: z.object({ id: rowIdSchema }), notFound: "No such destination." };

const TAG = "Notifications";

export const listDestinations = operation({
  method: "GET",
  path: "/api/destinations",
  id: "listDestinations",
  tag: TAG,
  summary: "Where notifications go",
  access: "read",
  answers: { 200: { description: "Every destination, secrets masked.", json: destinationListShape } },
});

export const createDestination = operation({
  method: "POST",
  path: "/api/destinations",
  id: "createDestination",
  tag: TAG,
  summary: "Add a destination (a webhook one gets its signing secret, shown this once)",
  access: "write",
  body: createDestinationBody,
  bodyExamples: {
    webhook: { url: "https://example.com/hooks/suno", format: "webhook", events: ["task.succeeded", "task.failed"], name: "My app" },
  },
  answers: { 201: { description: "The destination, with its secret.", json: destinationWithSecretShape } },
  errors: { 400: ["destination_refused"] },
});

export const updateDestination = operation({
  method: "PATCH",
  path: "/api/destinations/{id}",
  id: "updateDestination",
  tag: TAG,
  summary: "Change a destination's url, events, enabled or name",
  access: "write",
  params: destinationParams,
  body: updateDestinationBody,
  bodyExamples: { disable: { enabled: false } },
  answers: { 200: { description: "The destination, secret masked.", json: destinationShape } },
  errors: { 400: ["destination_refused"] },
});

export const deleteDestination = operation({
  method: "DELETE",
  path: "/api/destinations/{id}",
  id: "deleteDestination",
  tag: TAG,
  summary: "Remove a destination with its queued notifications and attempt log",
  access: "write",
  params: destinationParams,
  answers: { 204: { description: "Removed." } },
});

export const testDestination = operation({
  method: "POST",
  path: "/api/destinations/{id}/test",
  id: "testDestination",
  tag: TAG,
  summary: "Send a `test` event now",
  access: "write",
  params: destinationParams,
  answers: { 200: { description: "The attempt, whatever the destination said.", json: attemptShape } },
  errors: { 409: ["conflict"] },
});

export const rotateDestinationSecret = operation({
  method: "POST",
  path: "/api/destinations/{id}/rotate-secret",
  id: "rotateDestinationSecret",
  tag: TAG,
  summary: "A new signing secret for a webhook destination; the old one stops at once",
  access: "write",
  params: destinationParams,
  answers: { 200: { description: "The destination with its new secret, shown this once.", json: destinationWithSecretShape } },
  errors: { 409: ["no_secret"] },
});

export const listDestinationAttempts = operation({
  method: "GET",
  path: "/api/destinations/{id}/attempts",
  id: "listDestinationAttempts",
  tag: TAG,
  summary: "A destination's attempts, newest first",
  access: "read",
  params: destinationParams,
  query: listAttemptsQuery,
  answers: { 200: { description: "A page of attempts.", json: attemptPageShape } },
});
