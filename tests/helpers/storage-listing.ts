// What storage holds against what the database names: after any removal,
// storage must hold no file that no asset row names (stored copies and
// thumbnails). Lists the local folder (without the temp folder of uploads in
// progress and health-check files) or the bucket through the S3 API.
import fs from "node:fs";
import path from "node:path";
import type { S3Server } from "./s3";
import type { TestServer } from "./server";

/** Every key in the server's storage: its bucket (under `prefix`) when given, else its folder. */
export async function storageKeys(server: TestServer, bucket?: { s3: S3Server; prefix?: string }): Promise<string[]> {
  if (bucket) {
    const start = bucket.prefix ? `${bucket.prefix}/` : "";
    return (await bucket.s3.keys()).filter((key) => key.startsWith(start)).map((key) => key.slice(start.length));
  }
  if (!fs.existsSync(server.storageDir)) return [];
  return fs
    .readdirSync(server.storageDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(server.storageDir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .filter((key) => !key.startsWith(".tmp/") && !key.startsWith(".health-"))
    .sort();
}

/** Every key an asset row names (its stored copy and its thumbnail). */
export async function namedKeys(server: TestServer): Promise<string[]> {
  const rows = await server.sql<{ key: string }>(
    "select storage_path as key from assets where storage_path is not null union select thumbnail_path from assets where thumbnail_path is not null",
  );
  return rows.map((r) => r.key).sort();
}
