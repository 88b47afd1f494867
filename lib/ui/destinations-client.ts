// The setup page's calls to /api/destinations and /api/notifications.
import type { Attempt, Destination, DestinationWithSecret } from "@/db/queries/destinations";
import type { Page } from "@/db/queries/dto";
import type { CreateDestinationBody, UpdateDestinationBody } from "@/lib/notifications/schemas";
import { request } from "./api-client";

export type { Attempt, Destination, DestinationWithSecret };
export type AttemptPage = Page<Attempt>;

export const DESTINATIONS_URL = "/api/destinations";
export const attemptsUrl = (id: number) => `${DESTINATIONS_URL}/${id}/attempts`;

export const createDestination = (body: CreateDestinationBody) => request<DestinationWithSecret>("POST", DESTINATIONS_URL, body);
export const updateDestination = (id: number, body: UpdateDestinationBody) =>
  request<Destination>("PATCH", `${DESTINATIONS_URL}/${id}`, body);
export const deleteDestination = (id: number) => request<null>("DELETE", `${DESTINATIONS_URL}/${id}`);
export const rotateDestinationSecret = (id: number) => request<DestinationWithSecret>("POST", `${DESTINATIONS_URL}/${id}/rotate-secret`);
export const testDestination = (id: number) => request<Attempt>("POST", `${DESTINATIONS_URL}/${id}/test`);
export const resendNotification = (id: number) => request<{ id: number; status: string }>("POST", `/api/notifications/${id}/resend`);
