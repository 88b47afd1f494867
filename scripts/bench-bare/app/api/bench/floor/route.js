// The least a durable ack can do, the floor under the callback route's cost:
// check the token, read the body, parse it with a schema, then commit the raw
// delivery, its task and its files in one transaction, and answer. No group
// commit, no signature, no events or roll-ups: each callback commits alone,
// as the simplest such route would. The database is set up as the
// dashboard's (WAL, synchronous = NORMAL) and, as there, checkpointed by a
// thread of its own, so the thread that answers only commits.
import { createHash, timingSafeEqual } from "node:crypto";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { z } from "zod";

const callbackSchema = z.object({
  code: z.number().int(),
  msg: z.string(),
  data: z.object({ taskId: z.string().min(1).max(200), images: z.array(z.string().min(1).max(4096)).max(20).nullish() }),
});

const digest = (text) => createHash("sha256").update(text).digest();

/** Opened on the first callback: the file is the benchmark's (BENCH_FLOOR_DATABASE). */
let store;

function openStore() {
  const file = process.env.BENCH_FLOOR_DATABASE;
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("wal_autocheckpoint = 0");
  db.exec(`
    create table if not exists deliveries (id integer primary key, received_at integer not null, body text not null, headers text not null, task_id text);
    create index if not exists deliveries_task_id on deliveries (task_id);
    create table if not exists tasks (id integer primary key, task_id text not null unique, code integer not null, message text, updated_at integer not null);
    create table if not exists files (id integer primary key, task_id text not null, position integer not null, url text not null, unique (task_id, position));`);
  const checkpoints = new Worker(
    `const db = new (require("better-sqlite3"))(require("node:worker_threads").workerData);
     setInterval(() => db.pragma("wal_checkpoint(PASSIVE)"), 1000);`,
    { eval: true, workerData: file },
  );
  checkpoints.unref();
  const insertDelivery = db.prepare("insert into deliveries (received_at, body, headers, task_id) values (?, ?, ?, ?)");
  const upsertTask = db.prepare(
    "insert into tasks (task_id, code, message, updated_at) values (?, ?, ?, ?) on conflict (task_id) do update set code = excluded.code, message = excluded.message, updated_at = excluded.updated_at",
  );
  const insertFile = db.prepare("insert or ignore into files (task_id, position, url) values (?, ?, ?)");
  // better-sqlite3 itself (this app has no db/client.ts), with a synchronous body.
  // eslint-disable-next-line no-restricted-syntax
  const commit = db.transaction((at, body, headers, callback) => {
    const { taskId, images } = callback.data;
    upsertTask.run(taskId, callback.code, callback.msg, at);
    (images ?? []).forEach((url, position) => insertFile.run(taskId, position, url));
    insertDelivery.run(at, body, headers, taskId);
  });
  return { commit, token: digest(process.env.BENCH_FLOOR_TOKEN ?? "") };
}

/** @param {Request} request */
export async function POST(request) {
  store ??= openStore();
  const token = new URL(request.url).searchParams.get("token") ?? "";
  if (!timingSafeEqual(digest(token), store.token)) return Response.json({ error: "unauthorized" }, { status: 401 });
  const body = Buffer.from(await request.arrayBuffer()).toString("utf8");
  let callback;
  try {
    callback = callbackSchema.parse(JSON.parse(body));
  } catch {
    return Response.json({ error: "invalid_callback" }, { status: 400 });
  }
  const headers = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  store.commit.immediate(Date.now(), body, JSON.stringify(headers), callback);
  return Response.json({ status: "received", taskId: callback.data.taskId });
}
