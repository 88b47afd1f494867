// What a user may ask of the provider through POST /api/tasks. Shared by the
// route, the Setup forms and the submission module, so all refuse the same
// input the same way.
import { z } from "zod";
import { TASK_KINDS } from "@/lib/core/enums";
import { taskIdSchema } from "@/lib/callbacks/schemas";

/**
 * Follow an existing provider task of any kind (optionally saying what it was
 * made from: the parent task, the track), or submit new cover / WAV work.
 */
export const createTaskBody = z.discriminatedUnion("action", [
  z.object({
    action: z.literal("track"),
    kind: z.enum(TASK_KINDS),
    taskId: taskIdSchema,
    parentTaskId: taskIdSchema.optional(),
    audioId: taskIdSchema.optional(),
  }),
  z.object({ action: z.literal("cover"), musicTaskId: taskIdSchema }),
  z.object({ action: z.literal("wav"), musicTaskId: taskIdSchema, audioId: taskIdSchema }),
]);
export type CreateTaskBody = z.infer<typeof createTaskBody>;
