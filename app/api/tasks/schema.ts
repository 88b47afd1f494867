import { z } from "zod";
import { taskIdSchema } from "@/lib/callbacks/schemas";
import { TASK_KINDS, TASK_STATUSES } from "@/lib/core/enums";
import { createTaskBody } from "@/lib/provider/requests";
import { taskDetailShape, taskPageShape } from "@/lib/server/api-shapes";
import { EXAMPLE_IDS, EXAMPLES } from "@/lib/server/api-examples";
import { errorsOf, operation, PROVIDER_ERRORS } from "@/lib/server/operation";

export const cursorSchema = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, "is not a cursor this API gave out")
  .transform(Number)
  .meta({ description: "The `nextCursor` of the previous page." });

export const limitSchema = z.coerce.number().int().min(1).max(200).default(50);

/**
 * Text to search for, trimmed; empty means absent, so a cleared search box is
 * no filter. Control characters are refused: no search needs them, and a NUL
 * ends the text early in SQLite (a LIKE on "%\0%" matches every row).
 */
export const searchText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => !/\p{Cc}/u.test(v), "must not contain control characters")
    .optional()
    .transform((v) => v || undefined);

export const listTasksQuery = z.object({
  kind: z.enum(TASK_KINDS).optional(),
  status: z.enum(TASK_STATUSES).optional(),
  q: searchText(200).meta({ description: "Part of the task id or of its parent task id." }),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
});

export { createTaskBody };

/** The `[taskId]` of a task's routes; unknown (404) when it cannot be a task id. */
export const taskParams = { schema: z.object({ taskId: taskIdSchema }), notFound: "No such task." };

const TAG = "Tasks";
const detail = (description: string) => ({ description, json: taskDetailShape });

export const listTasks = operation({
  method: "GET",
  path: "/api/tasks",
  id: "listTasks",
  tag: TAG,
  summary: "List tasks, newest first",
  access: "read",
  query: listTasksQuery,
  answers: { 200: { description: "A page of tasks with their files' progress.", json: taskPageShape } },
});

export const createTask = operation({
  method: "POST",
  path: "/api/tasks",
  id: "createTask",
  tag: TAG,
  summary: "Track a provider task of any kind, or submit a cover or a WAV conversion",
  description: "Submissions go to the provider with `callBackUrl` pointing here; tracking follows a task made elsewhere.",
  access: "write",
  body: createTaskBody,
  example: '{"action":"cover","musicTaskId":"..."}',
  bodyExamples: {
    cover: { action: "cover", musicTaskId: EXAMPLE_IDS.musicTaskId },
    wav: { action: "wav", musicTaskId: EXAMPLE_IDS.musicTaskId, audioId: EXAMPLE_IDS.audioId },
    track: { action: "track", kind: "wav", taskId: EXAMPLES.wavSuccess.data.task_id },
  },
  answers: { 201: detail("The task was created."), 200: detail("The task already existed.") },
  errors: errorsOf(PROVIDER_ERRORS, { 409: ["kind_mismatch"] }),
});

export const getTask = operation({
  method: "GET",
  path: "/api/tasks/{taskId}",
  id: "getTask",
  tag: TAG,
  summary: "A task's detail: the task, its files, latest deliveries and timeline",
  access: "read",
  params: taskParams,
  answers: { 200: detail("The task's detail.") },
});

export const deleteTask = operation({
  method: "DELETE",
  path: "/api/tasks/{taskId}",
  id: "deleteTask",
  tag: TAG,
  summary: "Delete a task with its stored files, timeline and deliveries",
  access: "write",
  params: taskParams,
  answers: { 204: { description: "Deleted." } },
});

export const pollTask = operation({
  method: "POST",
  path: "/api/tasks/{taskId}/poll",
  id: "pollTask",
  tag: TAG,
  summary: "Ask the provider about the task now",
  access: "write",
  params: taskParams,
  answers: { 200: detail("The updated detail.") },
  errors: errorsOf(PROVIDER_ERRORS, { 409: ["not_pollable"] }),
});

export const downloadTask = operation({
  method: "POST",
  path: "/api/tasks/{taskId}/download",
  id: "downloadTask",
  tag: TAG,
  summary: "Download every file of the task again",
  access: "write",
  params: taskParams,
  answers: { 202: detail("Queued; the task's detail.") },
  errors: { 409: ["no_files"] },
});

export const taskArchive = operation({
  method: "GET",
  path: "/api/tasks/{taskId}/archive",
  id: "taskArchive",
  tag: TAG,
  summary: "The task's files, metadata.json and SHA256SUMS as one ZIP",
  access: "read",
  params: taskParams,
  answers: {
    200: {
      description: "`<taskId>.zip`, streamed.",
      media: "application/zip",
      headers: { "Content-Disposition": "attachment; filename=<taskId>.zip" },
    },
  },
});

export const taskMidi = operation({
  method: "GET",
  path: "/api/tasks/{taskId}/midi",
  id: "taskMidi",
  tag: TAG,
  summary: "A MIDI task's notes as a Standard MIDI File, one track per instrument",
  description: "404 `not_found` for a task without notes (any kind but a MIDI task that succeeded).",
  access: "read",
  params: taskParams,
  answers: {
    200: {
      description: "`<taskId>.mid`.",
      media: "audio/midi",
      headers: { "Content-Disposition": "attachment; filename=<taskId>.mid" },
    },
  },
});
