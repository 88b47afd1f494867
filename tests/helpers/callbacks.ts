// Builders of provider callbacks and small HTTP helpers for tests and benchmarks.

/** A copy of a callback body with its task id (whichever key names it: MIDI's at the top, the others' under data) replaced by `taskId`. */
export function withTaskId<T extends Record<string, unknown>>(body: T, taskId: string): T {
  const copy = structuredClone(body) as Record<string, unknown>;
  const data = copy.data as Record<string, unknown> | null;
  if (typeof copy.task_id === "string") copy.task_id = taskId;
  if (data && typeof data.task_id === "string") data.task_id = taskId;
  if (data && typeof data.taskId === "string") data.taskId = taskId;
  return copy as T;
}

export function coverSuccess(
  taskId: string,
  images = [`https://files.example.com/${taskId}/0.png`, `https://files.example.com/${taskId}/1.png`],
) {
  return { code: 200, msg: "success", data: { taskId, images } };
}

export function coverFailure(taskId: string, code = 501, msg = "Cover generation failed") {
  return { code, msg, data: { taskId, images: null } };
}

export function wavSuccess(taskId: string, url = `https://files.example.com/${taskId}.wav`) {
  return { code: 200, msg: "success", data: { audioWavUrl: url, task_id: taskId } };
}

export function wavFailure(taskId: string, code = 451, msg = "Download Failed - Unable to download source audio file") {
  return { code, msg, data: { audioWavUrl: null, task_id: taskId } };
}

/** Runs `jobs` with at most `concurrency` in flight. */
export async function pool<T>(count: number, concurrency: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await job(i);
      }
    }),
  );
  return results;
}
