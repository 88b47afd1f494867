// The search index of raw bodies, filled after the commit (db/search-index.ts),
// on both drivers: a search finds a delivery whether or not it is indexed yet,
// pages across the boundary without a gap or a repeat, and deletes and prunes
// on either side of it leave an index that FTS5's own integrity check finds
// exact. Here the main thread indexes (from source there is no thread); the
// thread is tested on the built server (tests/inbox-search.test.ts).
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DATABASES } from "../helpers/drivers";
import { useUnitDb } from "../helpers/unit-db";

describe.each(DATABASES)("search index [%s]", (driver) => {
  const db = useUnitDb(driver);
  const modules = async () => ({
    index: await import("@/db/search-index"),
    deliveriesQueries: await import("@/db/queries/deliveries"),
  });

  /** Stores deliveries as a callback would, without telling the indexer. */
  const store = async (...bodies: string[]) => {
    const { atomic, step, getDb } = db().client;
    const { deliveries } = db().schema;
    const results = await atomic(
      bodies.map((body) =>
        step(
          getDb().insert(deliveries).values({ receivedAt: new Date(), verdict: "accepted", body, headers: "{}", path: "/api/callbacks" }),
        ),
      ),
    );
    return results.map((r) => r.lastInsertRowid);
  };
  const search = async (q: string, more: { limit?: number; cursor?: number } = {}) =>
    (await modules()).deliveriesQueries.listDeliveries({ q, limit: more.limit ?? 50, cursor: more.cursor });
  const idsFound = async (q: string) => (await search(q)).items.map((d) => d.id);
  /** FTS5 compares the index with the bodies it was made from; throws on any difference. */
  const checkIndex = () =>
    db().client.atomic([db().client.sqlStep(sql`insert into deliveries_fts (deliveries_fts) values ('integrity-check')`)]);

  it("finds deliveries not indexed yet, then the same ones indexed", async () => {
    const { index } = await modules();
    const ids = await store('{"data":{"taskId":"fresh-AbC-1"}}', '{"data":{"taskId":"fresh-aBc-2"}}');
    expect(await index.deliveriesNotIndexed()).toBe(2);
    expect(await idsFound("FRESH-abc")).toEqual([...ids].reverse());

    expect(await index.indexDeliveries()).toBe(2);
    expect(await index.deliveriesNotIndexed()).toBe(0);
    expect(await idsFound("FRESH-abc")).toEqual([...ids].reverse());
    expect(await index.indexDeliveries()).toBe(0);
    await checkIndex();
  });

  it("pages across the boundary newest first, each delivery once", async () => {
    const { index } = await modules();
    const older = await store(...[1, 2, 3].map((n) => `{"page":"boundary ${n}"}`));
    await index.indexDeliveries();
    const newer = await store(...[4, 5, 6].map((n) => `{"page":"boundary ${n}"}`));
    const seen: number[] = [];
    let cursor: number | undefined;
    do {
      const page = await search("boundary", { limit: 2, cursor });
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor === null ? undefined : Number(page.nextCursor);
    } while (cursor !== undefined);
    expect(seen).toEqual([...older, ...newer].reverse());
    await index.indexDeliveries();
  });

  it("keeps the index exact through deletes and prunes on both sides of the boundary", async () => {
    const { index } = await modules();
    const { atomic, step, getDb } = db().client;
    const { deliveries } = db().schema;
    const [keptIndexed, deletedIndexed, prunedIndexed] = await store('{"x":"sideA kept"}', '{"x":"sideA deleted"}', '{"x":"sideA pruned"}');
    await index.indexDeliveries();
    const [keptLater, deletedLater, prunedLater] = await store('{"x":"sideB kept"}', '{"x":"sideB deleted"}', '{"x":"sideB pruned"}');
    await atomic([
      step(getDb().delete(deliveries).where(eq(deliveries.id, deletedIndexed!))),
      step(getDb().delete(deliveries).where(eq(deliveries.id, deletedLater!))),
      // What DELIVERY_RETENTION_DAYS does.
      step(getDb().update(deliveries).set({ body: "", headers: "{}", prunedAt: new Date() }).where(eq(deliveries.id, prunedIndexed!))),
      step(getDb().update(deliveries).set({ body: "", headers: "{}", prunedAt: new Date() }).where(eq(deliveries.id, prunedLater!))),
    ]);
    await checkIndex();
    expect(await idsFound("sideA")).toEqual([keptIndexed]);
    expect(await idsFound("sideB")).toEqual([keptLater]);
    await index.indexDeliveries();
    await checkIndex();
    expect(await idsFound("side")).toEqual([keptLater, keptIndexed]);
    expect(await idsFound("pruned")).toEqual([]);
  });

  it("indexes large bodies a few at a time, and two indexers at once never index one twice", async () => {
    const { index } = await modules();
    const big = (n: number) => JSON.stringify({ n: `large-${n}`, pad: "x".repeat(10_000) });
    const ids = await store(...Array.from({ length: 12 }, (_, n) => big(n)));
    const indexed = await Promise.all([index.indexDeliveries(), index.indexDeliveries(), index.indexDeliveries()]);
    expect(indexed.reduce((a, b) => a + b)).toBe(12);
    expect(await index.deliveriesNotIndexed()).toBe(0);
    await checkIndex();
    expect(await idsFound("large-")).toEqual([...ids].reverse());
  });
});
