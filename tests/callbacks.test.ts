import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, startServer, type TestServer } from "./helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

type Detail = { task: { status: string; code: number | null; deliveryCount: number }; assets: { remoteUrl: string; status: string }[] };

describe("fixtures", () => {
  const cases: [string, number, string | null][] = [
    ["cover-success.json", 200, "succeeded"],
    ["cover-failed-501.json", 200, "failed"],
    ["cover-refunded-531.json", 200, "failed"],
    ["wav-success.json", 200, "succeeded"],
    ["wav-success-snake-url.json", 200, "succeeded"],
    ["wav-failed-451.json", 200, "failed"],
    ["not-a-callback.json", 400, null],
    ["truncated-json.txt", 400, null],
  ];
  it.each(cases)("%s → %i", async (name, status, taskStatus) => {
    const body = fixture(`callbacks/${name}`);
    const res = await server.callback(body);
    expect(res.status).toBe(status);
    const answer = await res.json();
    if (taskStatus) {
      expect(answer.status).toBe("received");
      const detail = await server.getJson<Detail>(`/api/tasks/${answer.taskId}`);
      expect(detail.body.task.status).toBe(taskStatus);
    } else {
      expect(answer.error.code).toBe("invalid_callback");
    }
  });
});
