import "server-only";
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { deliveries, type DeliveryRow, type DeliveryVerdict } from "@/db/schema";
import { toDelivery, type Delivery, type Page } from "./dto";

export type DeliveryFilter = { verdict?: DeliveryVerdict; cursor?: number; limit: number };

/** The callback inbox, newest first. */
export async function listDeliveries(filter: DeliveryFilter): Promise<Page<Delivery>> {
  const where: SQL[] = [];
  if (filter.verdict) where.push(eq(deliveries.verdict, filter.verdict));
  if (filter.cursor !== undefined) where.push(lt(deliveries.id, filter.cursor));
  const rows = await getDb()
    .select()
    .from(deliveries)
    .where(and(...where))
    .orderBy(desc(deliveries.id))
    .limit(filter.limit + 1);
  const items = rows.slice(0, filter.limit);
  return { items: items.map(toDelivery), nextCursor: rows.length > filter.limit ? String(items.at(-1)!.id) : null };
}

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
