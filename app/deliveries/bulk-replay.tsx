"use client";
// "Replay every rejected delivery since …": after fixing what made callbacks
// fail (e.g. deleting a task tracked as the wrong kind), process them again.
import { useId, useState } from "react";
import { useToast } from "@/components/toast";
import { BUTTON, Card, INPUT, Spinner } from "@/components/ui";
import { replayMatching, type BulkReplayResult } from "@/lib/ui/data-api";

const DAY_MS = 86_400_000;

/** A time as a datetime-local input's value (local time, minutes). */
function localInputValue(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

export function BulkReplay({ onDone }: { onDone: () => void }) {
  const [since, setSince] = useState(() => localInputValue(new Date(Date.now() - DAY_MS)));
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<BulkReplayResult | null>(null);
  const notify = useToast();
  const inputId = useId();

  async function run() {
    const at = new Date(since);
    if (Number.isNaN(at.getTime())) return notify("error", "Pick a date and time to replay from.");
    setBusy(true);
    setResult(null);
    try {
      const answer = await replayMatching({ verdict: "rejected", since: at.toISOString() });
      setResult(answer);
      onDone();
    } catch (error) {
      notify("error", "Bulk replay failed", error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card className="mb-6">
      <form
        className="flex flex-col gap-3 p-4 text-sm sm:flex-row sm:flex-wrap sm:items-center sm:p-5"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label htmlFor={inputId} className="font-medium">
          Replay every rejected delivery since
        </label>
        <input
          id={inputId}
          type="datetime-local"
          className={`${INPUT} sm:w-56`}
          value={since}
          onChange={(e) => setSince(e.target.value)}
          required
        />
        <button type="submit" className={BUTTON.secondary} disabled={busy}>
          {busy && <Spinner />}
          Replay these
        </button>
        <p role="status" className="text-zinc-600 dark:text-zinc-400" data-testid="bulk-replay-result">
          {result &&
            `${result.replayed} replayed: ${result.accepted} accepted, ${result.rejected} still rejected` +
              (result.skipped ? `, ${result.skipped} skipped (refused for their signature)` : "") +
              "."}
        </p>
      </form>
    </Card>
  );
}
