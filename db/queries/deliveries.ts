import "server-only";
import { and, asc, desc, eq, getTableColumns, gt, gte, isNull, lt, lte, sql, type SQL } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { getDb, read, readBatch } from "@/db/client";
import { deliveries, searchIndex, type DeliveryRow } from "@/db/schema";
import type { DeliveryVerdict } from "@/lib/core/enums";
import { DELIVERY_PREVIEW_BYTES, toDelivery, toDeliveryPreview, type Delivery, type DeliveryPreviewRow, type Page } from "./dto";

export type DeliveryFilter = { verdict?: DeliveryVerdict; taskId?: string; q?: string; cursor?: number; limit: number };

const { body, ...otherColumns } = getTableColumns(deliveries);
/**
 * A row with only the start of its body, cut in the database: a page of the
 * inbox must not read megabytes it will not show. substr() counts characters,
 * so this is at least DELIVERY_PREVIEW_BYTES bytes; toDeliveryPreview cuts it to size.
 */
export const deliveryPreviewColumns = {
  ...otherColumns,
  body: sql<string>`substr(${body}, 1, ${DELIVERY_PREVIEW_BYTES})`,
  bodyBytes: sql<number>`length(cast(${body} as blob))`.mapWith(Number),
};

/**
 * The trigram index of raw bodies (migrations 0005 and 0013: FTS5, external
 * content, detail=none; filled a little after each commit,
 * db/search-index.ts). Declared here, not in db/schema.ts: drizzle-kit does
 * not model virtual tables.
 */
const deliveriesFts = sqliteTable("deliveries_fts", { rowid: integer("rowid").notNull(), body: text("body") });
/** Deliveries up to here are in the index; later ones are not yet. */
const indexedThrough = sql`(select ${searchIndex.indexedThrough} from ${searchIndex})`;

/** The trigram tokenizer indexes 3-character pieces: shorter queries cannot use it. */
const MIN_INDEXED_QUERY = 3;

/**
 * The bodies holding every 3-character piece of `q`, as an FTS5 query: the
 * index knows which pieces a body holds, not where (detail=none), so
 * bodyContains then checks each one. Pieces side by side cover `q`, the last
 * one ending it; each is a quoted string, every character literal (quotes
 * doubled), matched ignoring case.
 */
function ftsPieces(q: string): string {
  const chars = [...q];
  const pieces = new Set<string>();
  for (let at = 0; at + 3 <= chars.length; at += 3) pieces.add(chars.slice(at, at + 3).join(""));
  pieces.add(chars.slice(-3).join(""));
  return [...pieces].map((piece) => `"${piece.replaceAll('"', '""')}"`).join(" AND ");
}
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
/** The test of a body, scanned or found through the index; it ignores the case of ASCII letters. */
const bodyContains = (q: string) => sql`${deliveries.body} like ${`%${escapeLike(q)}%`} escape '\\'`;

/**
 * The callback inbox, newest first, by verdict, task and a substring of the
 * raw body. A search walks the trigram index newest first and stops at a
 * page, so it stays fast on large inboxes whether `q` is rare or common; the
 * few newest bodies not indexed yet are scanned, in the same snapshot.
 * Each body and its headers are shortened to a preview.
 */
export async function listDeliveries(filter: DeliveryFilter): Promise<Page<Delivery>> {
  const where: SQL[] = [];
  if (filter.verdict) where.push(eq(deliveries.verdict, filter.verdict));
  if (filter.taskId) where.push(eq(deliveries.taskId, filter.taskId));
  // Every body found, scanned or through the index, is checked for q itself.
  if (filter.q) where.push(bodyContains(filter.q));
  const cursor = filter.cursor;
  const db = getDb();
  const scan = (...conditions: SQL[]) =>
    db
      .select(deliveryPreviewColumns)
      .from(deliveries)
      .where(and(...where, cursor === undefined ? undefined : lt(deliveries.id, cursor), ...conditions))
      .orderBy(desc(deliveries.id))
      .limit(filter.limit + 1);
  let rows: DeliveryPreviewRow[];
  if (filter.q && [...filter.q].length >= MIN_INDEXED_QUERY) {
    const [notIndexed, indexed] = await readBatch([
      read(scan(sql`${deliveries.id} > ${indexedThrough}`)),
      read(
        db
          .select(deliveryPreviewColumns)
          .from(deliveriesFts)
          .innerJoin(deliveries, eq(deliveries.id, deliveriesFts.rowid))
          .where(
            and(
              sql`${deliveriesFts} match ${ftsPieces(filter.q)}`,
              // On the index's rowid: FTS5 starts its walk there.
              sql`${deliveriesFts.rowid} <= ${indexedThrough}`,
              cursor === undefined ? undefined : lt(deliveriesFts.rowid, cursor),
              ...where,
            ),
          )
          .orderBy(desc(deliveriesFts.rowid))
          .limit(filter.limit + 1),
      ),
    ]);
    // Every delivery not indexed yet is newer than every indexed one.
    rows = [...notIndexed, ...indexed];
  } else {
    // One or two characters: a scan.
    rows = await scan();
  }
  const items = rows.slice(0, filter.limit);
  return { items: items.map(toDeliveryPreview), nextCursor: rows.length > filter.limit ? String(items.at(-1)!.id) : null };
}

/** One delivery, its body and headers whole. */
export async function getDelivery(id: number): Promise<Delivery | null> {
  const row = await getDb().select().from(deliveries).where(eq(deliveries.id, id)).get();
  return row ? toDelivery(row) : null;
}

/** What a replay reads of a stored delivery: its body as received and the kind its path fixed. */
export async function getReplaySource(id: number): Promise<Pick<DeliveryRow, "body" | "pathKind" | "signature" | "prunedAt"> | null> {
  return (
    (await getDb()
      .select({ body: deliveries.body, pathKind: deliveries.pathKind, signature: deliveries.signature, prunedAt: deliveries.prunedAt })
      .from(deliveries)
      .where(eq(deliveries.id, id))
      .get()) ?? null
  );
}

/**
 * Ids of deliveries with `verdict` received since `since`, after `afterId` and
 * up to `upToId`, oldest first: one batch of a bulk replay. Pruned ones have no
 * body left to replay.
 */
export async function replayCandidates(filter: {
  verdict: DeliveryVerdict;
  since: Date;
  afterId: number;
  upToId: number;
  limit: number;
}): Promise<number[]> {
  const rows = await getDb()
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.verdict, filter.verdict),
        gte(deliveries.receivedAt, filter.since),
        gt(deliveries.id, filter.afterId),
        lte(deliveries.id, filter.upToId),
        isNull(deliveries.prunedAt),
      ),
    )
    .orderBy(asc(deliveries.id))
    .limit(filter.limit);
  return rows.map((r) => r.id);
}

/** The newest delivery's id (0 when there is none). */
export async function lastDeliveryId(): Promise<number> {
  const row = await getDb()
    .select({ id: sql<number>`coalesce(max(${deliveries.id}), 0)` })
    .from(deliveries)
    .get();
  return Number(row?.id ?? 0);
}
