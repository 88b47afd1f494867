// Builders of provider callbacks and small HTTP helpers for tests and benchmarks.

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
