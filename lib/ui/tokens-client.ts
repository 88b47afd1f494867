// The setup page's calls to /api/tokens.
import type { ApiToken } from "@/db/queries/api-tokens";
import type { CreateTokenBody } from "@/lib/auth/token-request";
import { request } from "./api-client";

export type { ApiToken };
export type NewApiToken = ApiToken & { token: string };

export const TOKENS_URL = "/api/tokens";

export const createApiToken = (body: CreateTokenBody) => request<NewApiToken>("POST", TOKENS_URL, body);
export const revokeApiToken = (id: number) => request<null>("DELETE", `${TOKENS_URL}/${id}`);
