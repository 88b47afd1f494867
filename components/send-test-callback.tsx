"use client";
import Link from "next/link";
import { useState } from "react";
import { BUTTON, Spinner } from "@/components/ui";
import { sendTestCallback } from "@/lib/ui/api-client";
import { useToast } from "./toast";

/** Sends a sample cover callback to this dashboard and links to the task it made. */
export function SendTestCallback({ onSent, primary = false }: { onSent?: (taskId: string) => unknown; primary?: boolean }) {
  const [pending, setPending] = useState(false);
  const [taskId, setTaskId] = useState<string | null>(null);
  const notify = useToast();
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button
        type="button"
        className={primary ? BUTTON.primary : BUTTON.secondary}
        disabled={pending}
        onClick={async () => {
          setPending(true);
          try {
            const result = await sendTestCallback();
            setTaskId(result.taskId);
            notify("success", "Test callback received", `Task ${result.taskId} was created with 2 sample covers.`);
            onSent?.(result.taskId);
          } catch (error) {
            notify("error", "Test callback failed", error instanceof Error ? error.message : String(error));
          } finally {
            setPending(false);
          }
        }}
      >
        {pending && <Spinner />}
        Send a test callback
      </button>
      {taskId && (
        <Link
          href={`/tasks/${encodeURIComponent(taskId)}`}
          className="text-sm font-medium text-violet-700 underline-offset-2 hover:underline dark:text-violet-300"
          data-testid="test-task-link"
        >
          Open task {taskId} →
        </Link>
      )}
    </div>
  );
}
