// The setup page's retention settings and what the last run removed.
import { RelativeTime } from "@/components/relative-time";
import { Card, CardHeader } from "@/components/ui";
import { lastRetentionRun } from "@/db/queries/retention";
import { env } from "@/lib/core/env";
import { formatBytes } from "@/lib/ui/format";

const keep = (days: number, what: string) =>
  days > 0 ? `${what} older than ${days} day${days === 1 ? "" : "s"} are removed` : "kept forever";

export async function RetentionCard() {
  const { DELIVERY_RETENTION_DAYS: deliveryDays, FILE_RETENTION_DAYS: fileDays } = env();
  const last = await lastRetentionRun();
  return (
    <Card>
      <CardHeader title="Retention" description="What is removed with age; set by environment variables, checked every few minutes." />
      <dl className="space-y-3 p-4 text-sm sm:p-5" data-testid="retention">
        <div>
          <dt className="text-xs font-medium text-zinc-500 dark:text-zinc-400">
            Raw callback bodies (<code className="font-mono">DELIVERY_RETENTION_DAYS={deliveryDays}</code>)
          </dt>
          <dd className="mt-0.5">{keep(deliveryDays, "Bodies and headers")}; the delivery, its verdict and task link stay.</dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-zinc-500 dark:text-zinc-400">
            Stored files (<code className="font-mono">FILE_RETENTION_DAYS={fileDays}</code>)
          </dt>
          <dd className="mt-0.5">{keep(fileDays, "Files")}; Re-download fetches one again while the provider has it.</dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-zinc-500 dark:text-zinc-400">Last removal</dt>
          <dd className="mt-0.5" data-testid="retention-last">
            {last ? (
              <>
                <RelativeTime iso={last.at} />: {last.deliveriesPruned} deliver{last.deliveriesPruned === 1 ? "y" : "ies"} pruned,{" "}
                {last.filesRemoved} file{last.filesRemoved === 1 ? "" : "s"} removed ({formatBytes(last.bytesFreed)} freed)
              </>
            ) : (
              "nothing removed yet"
            )}
          </dd>
        </div>
      </dl>
    </Card>
  );
}
