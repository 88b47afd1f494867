// Serving a stored file. From a local folder: conditional requests (ETag =
// sha256), single byte ranges (206/416) so audio can seek, and a useful
// download name; the file is streamed from disk and always resolves inside
// STORAGE_DIR. From object storage: a 302 to a presigned URL of the object
// (the store then serves ranges itself), after checking the object exists.
import "server-only";
import path from "node:path";
import { Readable } from "node:stream";
import { getAssetRow } from "@/db/queries/assets";
import { FILE_LENGTH_HEADER } from "@/lib/server/content-length";
import { errorJson } from "@/lib/server/route";
import { AppError, notFound } from "@/lib/core/errors";
import { safeSegment, storage } from "@/lib/storage";

type ByteRange = { start: number; end: number };

const fileMissing = (assetId: number) =>
  new AppError(
    404,
    "file_missing",
    `The stored file of asset ${assetId} is missing from storage; re-download it with POST /api/assets/${assetId}/download.`,
  );

/** The answer to GET (or HEAD) /api/assets/{id}/file; `?download=1` asks for an attachment. */
export async function serveAssetFile(request: Request, assetId: number, method: "GET" | "HEAD"): Promise<Response> {
  const asset = await getAssetRow(assetId);
  if (!asset) throw notFound(`No asset with id ${assetId}.`);
  // A copy being re-downloaded keeps being served until the new one replaces it.
  if (!asset.storagePath) {
    throw new AppError(404, "not_stored", `Asset ${assetId} is not stored yet (status: ${asset.status}).`);
  }
  const store = storage();
  const download = new URL(request.url).searchParams.get("download") === "1";
  const fileName = `${asset.role}-${safeSegment(asset.taskId)}-${asset.position + 1}${path.extname(asset.storagePath)}`;
  const contentType = asset.contentType ?? "application/octet-stream";
  const etag = (size: number) => `"${asset.sha256 ?? `${size}`}"`;
  const headers = new Headers({
    "content-type": contentType,
    "accept-ranges": "bytes",
    "cache-control": "private, no-cache",
    "content-disposition": `${download ? "attachment" : "inline"}; filename="${fileName}"`,
    "x-content-type-options": "nosniff",
  });
  if (asset.storedAt) headers.set("last-modified", asset.storedAt.toUTCString());

  if (store.signedUrl) {
    // Checked first, so a missing object is a clear 404 here rather than a redirect to the store's 404.
    const found = await store.stat(asset.storagePath);
    if (!found) throw fileMissing(assetId);
    if (method === "HEAD") {
      // A presigned GET URL does not answer HEAD: describe the file here.
      headers.set("etag", etag(found.size));
      headers.set("content-length", String(found.size));
      headers.set(FILE_LENGTH_HEADER, String(found.size));
      return new Response(null, { status: 200, headers });
    }
    const location = await store.signedUrl(asset.storagePath, { fileName, contentType, download });
    // The URL expires: neither the browser nor a proxy may keep this answer.
    return new Response(null, { status: 302, headers: { location, "cache-control": "private, no-store" } });
  }

  const opened = await store.open(asset.storagePath);
  if (!opened) throw fileMissing(assetId);
  const { size } = opened;
  const tag = etag(size);
  headers.set("etag", tag);

  if (matchesEtag(request.headers.get("if-none-match"), tag)) {
    await opened.close();
    return new Response(null, { status: 304, headers });
  }
  const ifRange = request.headers.get("if-range");
  const rangeHeader = ifRange === null || ifRange === tag ? request.headers.get("range") : null;
  const range = rangeHeader ? parseRange(rangeHeader, size) : null;
  if (range === "unsatisfiable") {
    await opened.close();
    headers.set("content-range", `bytes */${size}`);
    return errorJson(416, "range_not_satisfiable", `The file has ${size} bytes.`, headers);
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  headers.set("content-length", String(end - start + 1));
  // Next drops Content-Length; lib/server/content-length.ts restores it from this.
  headers.set(FILE_LENGTH_HEADER, String(end - start + 1));
  if (range) headers.set("content-range", `bytes ${start}-${end}/${size}`);
  const status = range ? 206 : 200;
  if (method === "HEAD") {
    await opened.close();
    return new Response(null, { status, headers });
  }
  return new Response(Readable.toWeb(opened.read({ start, end })) as ReadableStream<Uint8Array>, { status, headers });
}

function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/** One `bytes=` range of RFC 9110; null when absent, malformed or multi-range (then the whole file is sent). */
function parseRange(header: string, size: number): ByteRange | "unsatisfiable" | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return null;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const last = match[2] === "" ? Infinity : Number(match[2]);
  if (last < start) return null;
  if (start >= size) return "unsatisfiable";
  return { start, end: Math.min(last, size - 1) };
}
