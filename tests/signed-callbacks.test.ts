// Signed callbacks (http-api.md "Signed callbacks") over real HTTP, once per
// database driver. Callbacks are signed here independently of the app: with the
// standardwebhooks package, and for kie.ai by hand with node:crypto.
import { createHmac, randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import type { Delivery } from "@/db/queries/dto";
import { coverFailure } from "./helpers/callbacks";
import { taskDetail } from "./helpers/http";
import { uniqueTaskId } from "./helpers/ids";
import { describeEachDatabase, setupServer } from "./helpers/drivers";
import { fixture, type TestServer } from "./helpers/server";

const WHSEC = `whsec_${randomBytes(32).toString("base64")}`;
const KIE_KEY = `kie-${randomBytes(16).toString("hex")}`;

/** A shared fixture with a fresh task id, so every test has its own task. */
function payload(name: "cover-success.json" | "wav-success.json", taskId = uniqueTaskId()) {
  const body = JSON.parse(fixture(`callbacks/${name}`));
  if ("taskId" in body.data) body.data.taskId = taskId;
  else body.data.task_id = taskId;
  return { taskId, body: JSON.stringify(body) };
}

// Whole seconds, rounded so that when the server reads them a moment later the
// distance from its clock is still on the named side of 300 s (for up to a second).
const now = () => Date.now() / 1000;
const olderThan = (s: number) => Math.floor(now() - s);
const aheadBy = (s: number) => Math.ceil(now() + s);
const within = { old: (s: number) => Math.ceil(now() - s), ahead: (s: number) => Math.floor(now() + s) };

function standardHeaders(body: string, options: { secret?: string; at?: number; id?: string } = {}): Record<string, string> {
  const id = options.id ?? `msg_${randomBytes(8).toString("hex")}`;
  const at = options.at ?? Math.floor(now());
  const signature = new Webhook(options.secret ?? WHSEC).sign(id, new Date(at * 1000), body);
  return { "webhook-id": id, "webhook-timestamp": String(at), "webhook-signature": signature };
}

function kieHeaders(taskId: string, options: { key?: string; at?: number } = {}): Record<string, string> {
  const at = String(options.at ?? Math.floor(now()));
  const signature = createHmac("sha256", options.key ?? KIE_KEY)
    .update(`${taskId}.${at}`)
    .digest("base64");
  return { "X-Webhook-Timestamp": at, "X-Webhook-Signature": signature };
}

async function lastDelivery(server: TestServer): Promise<Delivery> {
  const inbox = await server.getJson<{ items: Delivery[] }>("/api/deliveries?limit=1");
  return inbox.body.items[0]!;
}

async function expectRefused(res: Response, code: "invalid_signature" | "signature_required") {
  expect(res.status).toBe(401);
  expect((await res.json()).error.code).toBe(code);
}

async function expectNoTask(server: TestServer, taskId: string) {
  expect((await server.getJson(`/api/tasks/${taskId}`)).status).toBe(404);
}

describeEachDatabase("signed callbacks", (database) => {
  describe("Standard Webhooks key, unsigned callbacks allowed", () => {
    const server = setupServer(database, { env: { CALLBACK_SIGNING_KEY: WHSEC } });

    it("a good signature is accepted and recorded as verified", async () => {
      const { taskId, body } = payload("cover-success.json");
      const res = await server().callback(body, { headers: standardHeaders(body) });
      expect(res.status).toBe(200);
      const detail = await taskDetail(server(), taskId);
      expect(detail.task.status).toBe("succeeded");
      expect(detail.deliveries).toHaveLength(1);
      expect(detail.deliveries[0]).toMatchObject({ verdict: "accepted", signature: "verified", signatureScheme: "standard-webhooks" });
    });

    it("another key is refused 401 invalid_signature, stored as rejected and invalid, and creates no task", async () => {
      const { taskId, body } = payload("cover-success.json");
      const res = await server().callback(body, {
        headers: standardHeaders(body, { secret: `whsec_${randomBytes(32).toString("base64")}` }),
      });
      await expectRefused(res, "invalid_signature");
      await expectNoTask(server(), taskId);
      expect(await lastDelivery(server())).toMatchObject({
        body,
        verdict: "rejected",
        taskId: null,
        kind: "cover",
        signature: "invalid",
        signatureScheme: "standard-webhooks",
        error: "Invalid callback signature: signature does not match.",
      });
    });

    it("a forged callback leaves an existing task as it was", async () => {
      const taskId = uniqueTaskId();
      const failure = JSON.stringify(coverFailure(taskId));
      expect((await server().callback(failure, { headers: standardHeaders(failure) })).status).toBe(200);
      const { body } = payload("cover-success.json", taskId);
      const forged = standardHeaders(body, { secret: `whsec_${randomBytes(32).toString("base64")}` });
      await expectRefused(await server().callback(body, { headers: forged }), "invalid_signature");
      const detail = await taskDetail(server(), taskId);
      expect(detail.task).toMatchObject({ status: "failed", code: 501, deliveryCount: 1 });
      expect(detail.assets).toHaveLength(0);
      expect(detail.deliveries.map((d) => d.signature)).toEqual(["verified"]);
    });

    it("a body changed after signing is refused", async () => {
      const { taskId, body } = payload("cover-success.json");
      const changed = body.replace("https://", "http://");
      await expectRefused(await server().callback(changed, { headers: standardHeaders(body) }), "invalid_signature");
      await expectNoTask(server(), taskId);
    });

    it("a timestamp 301 s old or 301 s ahead is refused; 299 s either way is accepted", async () => {
      for (const at of [olderThan(301), aheadBy(301)]) {
        const { taskId, body } = payload("cover-success.json");
        const res = await server().callback(body, { headers: standardHeaders(body, { at }) });
        await expectRefused(res, "invalid_signature");
        expect((await lastDelivery(server())).error).toMatch(/timestamp is 30[12] s from now/);
        await expectNoTask(server(), taskId);
      }
      for (const at of [within.old(299), within.ahead(299)]) {
        const { taskId, body } = payload("cover-success.json");
        expect((await server().callback(body, { headers: standardHeaders(body, { at }) })).status).toBe(200);
        expect((await taskDetail(server(), taskId)).task.status).toBe("succeeded");
      }
    });

    it("an unsigned callback is accepted on its token and recorded as unsigned", async () => {
      const { taskId, body } = payload("wav-success.json");
      expect((await server().callback(body)).status).toBe(200);
      const detail = await taskDetail(server(), taskId);
      expect(detail.deliveries[0]).toMatchObject({ verdict: "accepted", signature: "unsigned", signatureScheme: null });
    });

    it("the inbox API carries signature and scheme on every delivery", async () => {
      const inbox = await server().getJson<{ items: Delivery[] }>("/api/deliveries?limit=200");
      expect(inbox.status).toBe(200);
      expect(new Set(inbox.body.items.map((d) => d.signature))).toEqual(new Set(["verified", "invalid", "unsigned"]));
      for (const d of inbox.body.items) expect(d.signatureScheme).toBe(d.signature === "unsigned" ? null : "standard-webhooks");
      const rejected = await server().getJson<{ items: Delivery[] }>("/api/deliveries?verdict=rejected&limit=200");
      expect(rejected.body.items.length).toBeGreaterThan(0);
      expect(rejected.body.items.every((d) => d.signature === "invalid")).toBe(true);
    });

    it("a delivery refused for its signature is never replayed", async () => {
      const { taskId, body } = payload("cover-success.json");
      await server().callback(body, { headers: standardHeaders(body, { at: olderThan(400) }) });
      const refused = await lastDelivery(server());
      const res = await fetch(`${server().url}/api/deliveries/${refused.id}/replay`, { method: "POST" });
      expect(res.status).toBe(409);
      expect((await res.json()).error.code).toBe("invalid_signature");
      await expectNoTask(server(), taskId);
    });

    it("the setup page's test callback is signed with the key", async () => {
      const res = await fetch(`${server().url}/api/setup/test-callback`, { method: "POST" });
      const { taskId } = (await res.json()) as { taskId: string };
      const detail = await taskDetail(server(), taskId);
      expect(detail.deliveries[0]).toMatchObject({ verdict: "accepted", signature: "verified", signatureScheme: "standard-webhooks" });
    });

    it("a body whose data.taskId and data.task_id name different tasks is refused 400 and kept as rejected", async () => {
      const [first, second] = [uniqueTaskId("one"), uniqueTaskId("two")];
      const body = JSON.stringify({
        code: 200,
        msg: "success",
        data: { task_id: first, taskId: second, audioWavUrl: "https://x.example/a.wav" },
      });
      for (const path of ["/api/callbacks", "/api/callbacks/wav", "/api/callbacks/cover"]) {
        const res = await server().callback(body, { path });
        expect(res.status).toBe(400);
        expect((await res.json()).error).toEqual({
          code: "conflicting_task_ids",
          message: `data.taskId ("${second}") and data.task_id ("${first}") name different tasks.`,
        });
        expect(await lastDelivery(server())).toMatchObject({ body, verdict: "rejected", taskId: null, signature: "unsigned" });
      }
      await expectNoTask(server(), first);
      await expectNoTask(server(), second);
      // Replayed, it is refused again for the same reason.
      const replay = await fetch(`${server().url}/api/deliveries/${(await lastDelivery(server())).id}/replay`, { method: "POST" });
      expect(replay.status).toBe(400);
      expect((await replay.json()).error.message).toContain("name different tasks");
      await expectNoTask(server(), first);
    });
  });

  describe("kie.ai key, signatures required", () => {
    const server = setupServer(database, { env: { CALLBACK_SIGNING_KEY: KIE_KEY, CALLBACK_REQUIRE_SIGNATURE: "1" } });

    it.each([
      ["cover-success.json", "data.taskId", "cover"],
      ["wav-success.json", "data.task_id", "wav"],
    ] as const)("%s: a signature over %s is verified", async (name, _spelling, kind) => {
      const { taskId, body } = payload(name);
      const res = await server().callback(body, { headers: kieHeaders(taskId) });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "received", taskId });
      const detail = await taskDetail(server(), taskId);
      expect(detail.task).toMatchObject({ kind, status: "succeeded" });
      expect(detail.deliveries[0]).toMatchObject({ signature: "verified", signatureScheme: "kie" });
    });

    it("another key, another task id or a stale timestamp is refused and creates no task", async () => {
      const wrongKey = payload("wav-success.json");
      await expectRefused(
        await server().callback(wrongKey.body, { headers: kieHeaders(wrongKey.taskId, { key: "not-the-key" }) }),
        "invalid_signature",
      );
      await expectNoTask(server(), wrongKey.taskId);

      const otherTask = payload("cover-success.json");
      await expectRefused(await server().callback(otherTask.body, { headers: kieHeaders(uniqueTaskId()) }), "invalid_signature");
      await expectNoTask(server(), otherTask.taskId);

      const stale = payload("cover-success.json");
      await expectRefused(
        await server().callback(stale.body, { headers: kieHeaders(stale.taskId, { at: olderThan(301) }) }),
        "invalid_signature",
      );
      await expectNoTask(server(), stale.taskId);
      expect(await lastDelivery(server())).toMatchObject({ verdict: "rejected", signature: "invalid", signatureScheme: "kie" });

      const fresh = payload("cover-success.json");
      expect((await server().callback(fresh.body, { headers: kieHeaders(fresh.taskId, { at: within.old(299) }) })).status).toBe(200);
    });

    it("a kie.ai signature made for one task never applies to another (data.task_id: victim, data.taskId: signed)", async () => {
      const victim = uniqueTaskId("victim");
      const failure = JSON.stringify({ code: 451, msg: "Download Failed", data: { task_id: victim, audioWavUrl: null } });
      expect((await server().callback(failure, { headers: kieHeaders(victim) })).status).toBe(200);

      // Signed, honestly, for a task of the sender's own; the WAV parser reads data.task_id.
      const signed = uniqueTaskId("signed");
      const attack = JSON.stringify({
        code: 200,
        msg: "success",
        data: { task_id: victim, taskId: signed, audioWavUrl: "https://attacker.example/evil.wav" },
      });
      for (const path of ["/api/callbacks", "/api/callbacks/wav"]) {
        const res = await server().callback(attack, { path, headers: kieHeaders(signed) });
        expect(res.status).toBe(400);
        expect((await res.json()).error.code).toBe("conflicting_task_ids");
        expect(await lastDelivery(server())).toMatchObject({
          body: attack,
          verdict: "rejected",
          taskId: null,
          kind: "wav",
          signature: "invalid",
          signatureScheme: "kie",
          error: `data.taskId ("${signed}") and data.task_id ("${victim}") name different tasks.`,
        });
      }
      const detail = await taskDetail(server(), victim);
      expect(detail.task).toMatchObject({ status: "failed", code: 451, deliveryCount: 1 });
      expect(detail.assets).toEqual([]);
      await expectNoTask(server(), signed);
    });

    it("an unsigned callback is refused 401 signature_required, kept as rejected, and never replayed", async () => {
      const { taskId, body } = payload("cover-success.json");
      await expectRefused(await server().callback(body), "signature_required");
      await expectNoTask(server(), taskId);
      const refused = await lastDelivery(server());
      expect(refused).toMatchObject({ body, verdict: "rejected", signature: "unsigned", signatureScheme: null, taskId: null });
      const res = await fetch(`${server().url}/api/deliveries/${refused.id}/replay`, { method: "POST" });
      expect(res.status).toBe(409);
      expect((await res.json()).error.code).toBe("signature_required");
      await expectNoTask(server(), taskId);
    });

    it("the setup page's test callback is signed with the key and passes", async () => {
      const res = await fetch(`${server().url}/api/setup/test-callback`, { method: "POST" });
      expect(res.status).toBe(201);
      const { taskId } = (await res.json()) as { taskId: string };
      const detail = await taskDetail(server(), taskId);
      expect(detail.deliveries[0]).toMatchObject({ verdict: "accepted", signature: "verified", signatureScheme: "kie" });
    });
  });
});
