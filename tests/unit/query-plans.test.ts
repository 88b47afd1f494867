// How SQLite runs statements whose cost must not grow with the tables:
// - a read that leans on the partial indexes of migration 0014: a task's
//   children are searched by parent and by audio id, never looked for among
//   all the tasks without a parent (most tasks), as they were while the parent
//   index also held the NULLs;
// - the claims of queued work (downloads, notifications, polls): the first
//   due rows are taken from an index in its order, never found by sorting
//   every due row (a backlog of thousands of files made each download claim
//   take milliseconds on the thread that answers callbacks).
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useUnitDb } from "../helpers/unit-db";

describe("query plans", () => {
  const db = useUnitDb("better-sqlite3");
  afterEach(() => vi.restoreAllMocks());

  /** The plan of the statement the app prepares while `work` runs that `which` picks (its SQL). */
  async function planOf(work: () => Promise<unknown>, which: (sql: string) => boolean): Promise<string[]> {
    const prepare = vi.spyOn(Database.prototype, "prepare");
    await work();
    const prepared = prepare.mock.calls.map(([source]) => source);
    const statement = prepared.find(which);
    expect(statement, prepared.join("\n")).toBeDefined();
    const sqlite = new Database(db().file!, { readonly: true });
    try {
      const params = statement!.split("?").length - 1;
      const rows = sqlite.prepare(`explain query plan ${statement}`).all(...Array<null>(params).fill(null)) as { detail: string }[];
      return rows.map((r) => r.detail);
    } finally {
      sqlite.close();
    }
  }

  /**
   * A queue's first due rows (db/queries/due-first.ts): the waiting ones
   * searched in the index's order, the held ones by status. One condition
   * with OR was searched as such, then every due row sorted.
   */
  function expectDueFirst(steps: string[], table: string, index: string) {
    const search = (s: string, range: string) => s.startsWith(`SEARCH ${table} USING `) && s.endsWith(`INDEX ${index} (${range})`);
    expect(
      steps.some((s) => search(s, "status=? AND next_attempt_at<?")),
      steps.join("\n"),
    ).toBe(true);
    expect(
      steps.some((s) => search(s, "status=?")),
      steps.join("\n"),
    ).toBe(true);
    expect(steps).not.toContain("MULTI-INDEX OR");
    expect(steps.filter((s) => s.startsWith(`SCAN ${table}`))).toEqual([]);
  }

  const now = new Date();
  const lease = new Date(now.getTime() + 60_000);

  it("a task's children: by parent, or by the audio id of one of its tracks", async () => {
    const { getTaskDetail } = await import("@/db/queries/tasks");
    const steps = await planOf(
      () => getTaskDetail("t-plans"),
      (s) => s.includes('"tasks"."parent_task_id" is null'),
    );
    expect(steps).toContain("MULTI-INDEX OR");
    expect(steps).toContain("SEARCH tasks USING INDEX tasks_parent_task_id_idx (parent_task_id=?)");
    expect(steps).toContain("SEARCH tasks USING INDEX tasks_audio_id_idx (audio_id=?)");
    // The parent index is searched once (by value), never for the tasks without one.
    expect(steps.filter((s) => s.includes("tasks_parent_task_id_idx"))).toHaveLength(1);
  });

  it("a download claim: pending files in the status index's order, lapsed leases apart", async () => {
    const { claimDueAssets } = await import("@/db/queries/assets");
    const steps = await planOf(
      () => claimDueAssets(now, 4, lease),
      (s) => s.startsWith('update "assets"'),
    );
    expectDueFirst(steps, "assets", "assets_status_next_attempt_idx");
    // The claimed rows by id.
    expect(steps).toContain("SEARCH assets USING INTEGER PRIMARY KEY (rowid=?)");
  });

  it("a notification claim's candidates: pending ones in the status index's order, lapsed leases apart", async () => {
    const { claimDueNotifications } = await import("@/db/queries/notifications");
    const steps = await planOf(
      () => claimDueNotifications(now, 4, () => 4, lease),
      (s) => s.startsWith('select "id", "destination_id" from "notifications"'),
    );
    expectDueFirst(steps, "notifications", "notifications_status_next_idx");
  });

  it("a poll claim: due tasks in the next-poll index's order", async () => {
    const { claimDuePolls } = await import("@/db/queries/polls");
    const steps = await planOf(
      () => claimDuePolls(now, 4, lease),
      (s) => s.startsWith('update "tasks"'),
    );
    expect(steps).toContain("SEARCH tasks USING INTEGER PRIMARY KEY (rowid=?)");
    expect(steps.some((s) => s.startsWith("SEARCH tasks USING INDEX tasks_next_poll_at_idx"))).toBe(true);
    // Found through the status index, every pending task was sorted by its next poll.
    expect(steps).not.toContain("USE TEMP B-TREE FOR ORDER BY");
  });
});
