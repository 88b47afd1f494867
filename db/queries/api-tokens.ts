// API tokens, kept by the SHA-256 of the token (lib/auth/api-tokens.ts makes
// and checks them): deleting a row revokes that token at once.
import "server-only";
import { and, desc, eq, isNull, lte, or, sql } from "drizzle-orm";
import { getDb, write, writeReturning } from "@/db/client";
import { apiTokens, loginFailures, type ApiTokenRow } from "@/db/schema";
import type { TokenScope } from "@/lib/core/enums";

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

/**
 * What the proxy needs to judge a bearer request, in one statement (one round
 * trip to a libSQL server): the token with this hash, if it exists, and until
 * when the login limiter's `lockKey` is locked, if it is. Two unique-index lookups.
 */
export async function findApiTokenAndLock(
  tokenHash: string,
  lockKey: string,
): Promise<{ token: Pick<ApiTokenRow, "id" | "scope" | "lastUsedAt"> | null; lockedUntil: Date | null }> {
  const [row] = await getDb().all<{
    id: number | null;
    scope: TokenScope | null;
    lastUsedAt: number | null;
    lockedUntil: number | null;
  }>(sql`
    select t.id as id, t.scope as scope, t.last_used_at as lastUsedAt, f.locked_until as lockedUntil
    from (select 1) as one
    left join ${apiTokens} t on t.token_hash = ${tokenHash}
    left join ${loginFailures} f on f.key = ${lockKey}`);
  const at = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(Number(ms)));
  return {
    token: row?.id != null && row.scope ? { id: Number(row.id), scope: row.scope, lastUsedAt: at(row.lastUsedAt) } : null,
    lockedUntil: at(row?.lockedUntil),
  };
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
