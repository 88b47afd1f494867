import type { TaskKind } from "@/lib/core/enums";

/** What the provider told us about a task, from a callback or a record-info poll. */
export type ProviderResult = {
  kind: TaskKind;
  taskId: string;
  state: "pending" | "succeeded" | "failed";
  code: number | null;
  message: string | null;
  /** Result file URLs in order: cover images, or the one WAV. */
  urls: string[];
  parentTaskId?: string | null;
  audioId?: string | null;
  /** When the provider made the task; its files vanish about two weeks later. */
  remoteCreatedAt?: Date | null;
  completedAt?: Date | null;
};

/** A callback body read as a result, or why it is not one (the kind when it could still be told). */
export type ParsedCallback =
  | { ok: true; result: ProviderResult }
  /** `code`: the answer's error code when a more precise one than invalid_callback applies. */
  | { ok: false; kind: TaskKind | null; error: string; code?: "conflicting_task_ids" };
