// API tokens, kept by the SHA-256 of the token (lib/auth/api-tokens.ts makes
// and checks them): deleting a row revokes that token at once.
import "server-only";
import { and, desc, eq, isNull, lte, or } from "drizzle-orm";
import { getDb, write, writeReturning } from "@/db/client";
import { apiTokens, type ApiTokenRow } from "@/db/schema";

/** A token as lists show it: never the token, nor its hash. */
export function toApiToken(row: Omit<ApiTokenRow, "tokenHash">) {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}
export type ApiToken = ReturnType<typeof toApiToken>;

const listed = {
  id: apiTokens.id,
  name: apiTokens.name,
  scope: apiTokens.scope,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
};

export async function insertApiToken(row: Omit<ApiTokenRow, "id" | "lastUsedAt">): Promise<ApiToken> {
  const [made] = await writeReturning((db) => db.insert(apiTokens).values(row).returning(listed));
  return toApiToken(made!);
}

export async function listApiTokens(): Promise<ApiToken[]> {
  const rows = await getDb().select(listed).from(apiTokens).orderBy(desc(apiTokens.id));
  return rows.map(toApiToken);
}

/** The token with this hash (the unique index), if it exists. */
export async function findApiToken(tokenHash: string): Promise<Pick<ApiTokenRow, "id" | "scope" | "lastUsedAt"> | undefined> {
  return getDb()
    .select({ id: apiTokens.id, scope: apiTokens.scope, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, tokenHash))
    .get();
}

/** Records a use, unless another request (on any instance) already did within `everyMs`. */
export async function touchApiToken(id: number, now: Date, everyMs: number): Promise<void> {
  const stale = new Date(now.getTime() - everyMs);
  await write(
    getDb()
      .update(apiTokens)
      .set({ lastUsedAt: now })
      .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lte(apiTokens.lastUsedAt, stale)))),
  );
}

/** Deletes the token; answers whether it existed. */
export async function deleteApiToken(id: number): Promise<boolean> {
  const { changes } = await write(getDb().delete(apiTokens).where(eq(apiTokens.id, id)));
  return changes > 0;
}
