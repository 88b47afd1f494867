"use client";
// A task of a kind the dashboard does not know: what the provider sent, as it came.
import { useState } from "react";
import { CopyButton } from "@/components/copy-button";
import { KindIcon } from "@/components/kind-icon";
import { BUTTON, Card, CardHeader, EmptyState, Spinner } from "@/components/ui";
import { getDelivery, type Delivery } from "@/lib/ui/api-client";
import { formatBytes, prettyJson } from "@/lib/ui/format";

export function RawBody({ delivery }: { delivery: Delivery | null }) {
  const [whole, setWhole] = useState<Delivery | null>(null);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const shown = whole?.id === delivery?.id ? whole : delivery;

  async function loadWhole(id: number) {
    setLoading(true);
    setFailure(null);
    try {
      setWhole(await getDelivery(id));
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setLoading(false);
    }
  }

  const text = shown ? (shown.bodyTruncated ? `${shown.body}…` : prettyJson(shown.body)) : "";
  return (
    <Card>
      <CardHeader
        id="raw-body"
        title="What the provider sent"
        description="The dashboard does not know this kind of task: it keeps the body as it came, newest callback first."
        actions={shown && !shown.prunedAt ? <CopyButton text={text} label="Copy the body" showLabel /> : undefined}
      />
      {!shown ? (
        <EmptyState title="No callback received" icon={<KindIcon kind="other" className="size-8" />}>
          Nothing has been sent for this task yet.
        </EmptyState>
      ) : shown.prunedAt ? (
        <EmptyState title="Body pruned">The body of this callback was removed by the delivery retention.</EmptyState>
      ) : (
        <div className="space-y-2 p-4 sm:p-5">
          {shown.bodyTruncated && (
            <p className="flex flex-wrap items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
              Showing the start of this body.
              <button type="button" className={BUTTON.small} disabled={loading} onClick={() => loadWhole(shown.id)}>
                {loading && <Spinner />}
                Show all ({formatBytes(shown.bodyBytes)})
              </button>
              {failure && <span className="text-red-700 dark:text-red-400">{failure}</span>}
            </p>
          )}
          <pre
            className="max-h-[32rem] overflow-auto rounded-lg border border-zinc-200 bg-zinc-50 p-3 font-mono text-xs leading-relaxed whitespace-pre text-zinc-800 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-200"
            data-testid="raw-body"
          >
            {text}
          </pre>
        </div>
      )}
    </Card>
  );
}
