import "server-only";
import { and, desc, eq, getTableColumns, lt, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { deliveries, type DeliveryRow, type DeliveryVerdict } from "@/db/schema";
import { DELIVERY_PREVIEW_BYTES, toDelivery, toDeliveryPreview, type Delivery, type Page } from "./dto";

export type DeliveryFilter = { verdict?: DeliveryVerdict; taskId?: string; cursor?: number; limit: number };

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

/** The callback inbox, newest first, each body and its headers shortened to a preview. */
export async function listDeliveries(filter: DeliveryFilter): Promise<Page<Delivery>> {
  const where: SQL[] = [];
  if (filter.verdict) where.push(eq(deliveries.verdict, filter.verdict));
  if (filter.taskId) where.push(eq(deliveries.taskId, filter.taskId));
  if (filter.cursor !== undefined) where.push(lt(deliveries.id, filter.cursor));
  const rows = await getDb()
    .select(deliveryPreviewColumns)
    .from(deliveries)
    .where(and(...where))
    .orderBy(desc(deliveries.id))
    .limit(filter.limit + 1);
  const items = rows.slice(0, filter.limit);
  return { items: items.map(toDeliveryPreview), nextCursor: rows.length > filter.limit ? String(items.at(-1)!.id) : null };
}

/** One delivery, its body and headers whole. */
export async function getDelivery(id: number): Promise<Delivery | null> {
  const row = await getDb().select().from(deliveries).where(eq(deliveries.id, id)).get();
  return row ? toDelivery(row) : null;
}

/** What a replay reads of a stored delivery: its body as received and the kind its path fixed. */
export async function getReplaySource(id: number): Promise<Pick<DeliveryRow, "body" | "pathKind" | "signature"> | null> {
  return (
    (await getDb()
      .select({ body: deliveries.body, pathKind: deliveries.pathKind, signature: deliveries.signature })
      .from(deliveries)
      .where(eq(deliveries.id, id))
      .get()) ?? null
  );
}
