"use client";
// Delete a task for good, after a confirmation in a modal dialog (native
// <dialog>: focus moves in, Escape cancels, the page behind is inert).
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { useToast } from "@/components/toast";
import { BUTTON, Spinner } from "@/components/ui";
import { deleteTask } from "@/lib/ui/data-api";

const DANGER =
  "inline-flex h-9 items-center justify-center gap-1.5 rounded-lg bg-red-600 px-3.5 text-sm font-medium text-white hover:bg-red-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-500 disabled:opacity-50";

export function DeleteTask({ taskId, files }: { taskId: string; files: number }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  const notify = useToast();
  const titleId = useId();
  const textId = useId();

  async function confirm() {
    setBusy(true);
    try {
      await deleteTask(taskId);
      dialog.current?.close();
      notify("success", `Task ${taskId} deleted`, files ? `${files} stored file${files === 1 ? "" : "s"} removed.` : undefined);
      router.push("/");
      router.refresh();
    } catch (error) {
      notify("error", "The task was not deleted", error instanceof Error ? error.message : String(error));
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" className={`${BUTTON.secondary} text-red-700 dark:text-red-400`} onClick={() => dialog.current?.showModal()}>
        Delete
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        aria-describedby={textId}
        className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-zinc-200 bg-white p-5 text-zinc-900 shadow-xl backdrop:bg-black/50 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <h2 id={titleId} className="text-base font-semibold">
          Delete this task?
        </h2>
        <p id={textId} className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          Task <span className="font-mono break-all">{taskId}</span>, its {files ? `${files} stored file${files === 1 ? "" : "s"}, ` : ""}
          timeline and deliveries are deleted for good. A later callback for this id creates it again.
        </p>
        <div className="mt-5 flex justify-end gap-2">
          {/* First in the dialog, so it takes the focus: the safe choice. */}
          <button type="button" className={BUTTON.secondary} onClick={() => dialog.current?.close()} disabled={busy}>
            Cancel
          </button>
          <button type="button" className={DANGER} onClick={confirm} disabled={busy}>
            {busy && <Spinner />}
            Delete task
          </button>
        </div>
      </dialog>
    </>
  );
}
