// Pages and lists stay small whatever the payloads: thirty deliveries of about
// 1 MiB each for one task once made the task page and the inbox 141 MB of HTML.
// Lists carry a preview of each body; the full body is one request away.
import { beforeAll, describe, expect, it } from "vitest";
import { pool } from "./helpers/callbacks";
import { uniqueTaskId } from "./helpers/ids";
import { setupServer } from "./helpers/drivers";
import { defaultDatabase } from "./helpers/server";

const server = setupServer(defaultDatabase(), { env: { WORKER: "0" } });
const MB = 1_000_000;
const COUNT = 30;
const taskId = uniqueTaskId("heavy");

/** A failed cover callback padded with quotes and non-ASCII text to just under the 1 MiB limit. */
function heavyBody(i: number): string {
  const head = JSON.stringify({ code: 501, msg: `failed ${i}`, data: { taskId, images: null }, pad: "" });
  const unit = 'é"<>&\\ ';
  const room = 1_048_576 - Buffer.byteLength(head) - 64;
  const pad = unit.repeat(Math.floor(room / (Buffer.byteLength(JSON.stringify(unit)) - 2)));
  return JSON.stringify({ code: 501, msg: `failed ${i}`, data: { taskId, images: null }, pad });
}

type Item = { id: number; taskId: string | null; body: string; bodyBytes: number; bodyTruncated: boolean };

describe("page weight", () => {
  const sent = new Map<number, string>();
  beforeAll(async () => {
    await pool(COUNT, 4, async (i) => {
      const body = heavyBody(i);
      expect(Buffer.byteLength(body)).toBeGreaterThan(1_000_000);
      const res = await server().callback(body);
      expect(res.status).toBe(200);
      sent.set(i, body);
    });
  }, 120_000);

  it("the task page and the inbox stay under 1 MB of HTML", async () => {
    for (const path of [`/tasks/${taskId}`, "/deliveries", `/deliveries?taskId=${taskId}`]) {
      const res = await fetch(`${server().url}${path}`);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html.length, path).toBeLessThan(MB);
    }
    // The task page shows the newest deliveries and links to the rest in the inbox.
    const html = await (await fetch(`${server().url}/tasks/${taskId}`)).text();
    expect(html).toContain(`/deliveries?taskId=${taskId}`);
  });

  it("the JSON the pages refresh from stays under 1 MB too, with each body's preview and size", async () => {
    const detail = await fetch(`${server().url}/api/tasks/${taskId}`);
    expect((await detail.text()).length).toBeLessThan(MB);

    const res = await fetch(`${server().url}/api/deliveries?limit=200&taskId=${taskId}`);
    const text = await res.text();
    expect(text.length).toBeLessThan(MB);
    const { items } = JSON.parse(text) as { items: Item[] };
    expect(items).toHaveLength(COUNT);
    for (const item of items) {
      expect(item.taskId).toBe(taskId);
      expect(item.bodyTruncated).toBe(true);
      expect(item.bodyBytes).toBeGreaterThan(1_000_000);
      expect(Buffer.byteLength(item.body)).toBeLessThanOrEqual(4096);
    }
  });

  it("the full body is reachable: GET /api/deliveries/{id} answers it whole", async () => {
    const { items } = (await (await fetch(`${server().url}/api/deliveries?limit=1&taskId=${taskId}`)).json()) as { items: Item[] };
    const full = (await (await fetch(`${server().url}/api/deliveries/${items[0]!.id}`)).json()) as Item;
    expect(full.bodyTruncated).toBe(false);
    expect(Buffer.byteLength(full.body)).toBe(items[0]!.bodyBytes);
    expect(full.body.startsWith(items[0]!.body)).toBe(true);
    expect([...sent.values()]).toContain(full.body);
    expect((await fetch(`${server().url}/api/deliveries/999999999`)).status).toBe(404);
  });
});
