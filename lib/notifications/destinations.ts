// Managing destinations (routes → here → db/queries/destinations.ts): every
// URL passes the same address guard as downloads (NOTIFY_ALLOW_PRIVATE) when
// it is set, and again on every send.
import "server-only";
import {
  deleteDestination,
  getDestinationRow,
  insertDestination,
  listAttempts,
  replaceSecret,
  updateDestination,
  type Attempt,
  type Destination,
  type DestinationWithSecret,
} from "@/db/queries/destinations";
import { initEventsCursor } from "@/db/queries/notifications";
import type { DestinationRow } from "@/db/schema";
import type { Page } from "@/db/queries/dto";
import { checkPostTarget, FetchRefused } from "@/lib/files/safe-fetch";
import { env } from "@/lib/core/env";
import { AppError, badRequest, notFound } from "@/lib/core/errors";
import type { z } from "zod";
import type { createDestinationBody, updateDestinationBody } from "./schemas";
import { sendTestNotification } from "./send";
import { newWebhookSecret } from "./sign";

async function checkUrl(url: string): Promise<void> {
  try {
    await checkPostTarget(url, env().NOTIFY_ALLOW_PRIVATE);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = error instanceof FetchRefused && message.startsWith("refused address") ? " (NOTIFY_ALLOW_PRIVATE=1 allows them)" : "";
    throw badRequest("destination_refused", `url: ${message}${hint}`);
  }
}

async function existing(id: number): Promise<DestinationRow> {
  const row = await getDestinationRow(id);
  if (!row) throw notFound(`No destination with id ${id}.`);
  return row;
}

/** Adds a destination; a webhook one gets its signing secret, shown in this answer only. */
export async function createDestination(body: z.output<typeof createDestinationBody>): Promise<DestinationWithSecret> {
  await checkUrl(body.url);
  // The events cursor starts at the newest event when first set: set it before
  // the destination exists, so nothing that happens after is skipped (WORKER=0
  // has no worker that would have set it at start-up).
  await initEventsCursor();
  return insertDestination({ ...body, secret: body.format === "webhook" ? newWebhookSecret() : null, now: new Date() });
}

export async function changeDestination(id: number, change: z.output<typeof updateDestinationBody>): Promise<Destination> {
  await existing(id);
  if (change.url !== undefined) await checkUrl(change.url);
  const updated = await updateDestination(id, change, new Date());
  if (!updated) throw notFound(`No destination with id ${id}.`);
  return updated;
}

/**
 * Gives a webhook destination a new signing secret, shown in this answer only.
 * The old one stops at once: every request from now on, retries of queued
 * notifications too, is signed with the new one (signatures are made at send time).
 */
export async function rotateSecret(id: number): Promise<DestinationWithSecret> {
  const row = await existing(id);
  if (row.format !== "webhook") {
    throw new AppError(409, "no_secret", `Destination ${id} is a ${row.format} destination: only webhook destinations sign with a secret.`);
  }
  const rotated = await replaceSecret(id, newWebhookSecret(), new Date());
  if (!rotated) throw notFound(`No destination with id ${id}.`);
  return rotated;
}

export async function removeDestination(id: number): Promise<void> {
  if (!(await deleteDestination(id))) throw notFound(`No destination with id ${id}.`);
}

export async function testDestination(id: number): Promise<Attempt> {
  return sendTestNotification(await existing(id));
}

export async function destinationAttempts(id: number, cursor: number | undefined, limit: number): Promise<Page<Attempt>> {
  await existing(id);
  return listAttempts(id, cursor, limit);
}
