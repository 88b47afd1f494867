// Serving a stored file: conditional requests (ETag = sha256), single byte
// ranges (206/416) so audio can seek, and a useful download name. The file is
// streamed from disk; its path always resolves inside STORAGE_DIR.
import "server-only";
import path from "node:path";
import { Readable } from "node:stream";
import { getAssetRow } from "@/db/queries/assets";
import { FILE_LENGTH_HEADER } from "@/lib/content-length";
import { AppError, notFound } from "@/lib/errors";
import { KIND_FOLDER, openStored, safeSegment } from "@/lib/storage";

type ByteRange = { start: number; end: number };

/** The answer to GET (or HEAD) /api/assets/{id}/file. */
export async function serveAssetFile(request: Request, assetId: number, method: "GET" | "HEAD"): Promise<Response> {
  const asset = await getAssetRow(assetId);
  if (!asset) throw notFound(`No asset with id ${assetId}.`);
  // A copy being re-downloaded keeps being served until the new one replaces it.
  if (!asset.storagePath) {
    throw new AppError(404, "not_stored", `Asset ${assetId} is not stored yet (status: ${asset.status}).`);
  }
  const opened = await openStored(asset.storagePath);
  if (!opened) {
    throw new AppError(
      404,
      "file_missing",
      `The stored file of asset ${assetId} is missing from storage; re-download it with POST /api/assets/${assetId}/download.`,
    );
  }
  const { handle, size } = opened;
  const etag = `"${asset.sha256 ?? `${size}`}"`;
  const fileName = `${KIND_FOLDER[asset.type]}-${safeSegment(asset.taskId)}-${asset.position + 1}${path.extname(asset.storagePath)}`;
  const headers = new Headers({
    "content-type": asset.contentType ?? "application/octet-stream",
    etag,
    "accept-ranges": "bytes",
    "cache-control": "private, no-cache",
    "content-disposition": `inline; filename="${fileName}"`,
    "x-content-type-options": "nosniff",
  });
  if (asset.storedAt) headers.set("last-modified", asset.storedAt.toUTCString());

  if (matchesEtag(request.headers.get("if-none-match"), etag)) {
    await handle.close();
    return new Response(null, { status: 304, headers });
  }
  const ifRange = request.headers.get("if-range");
  const rangeHeader = ifRange === null || ifRange === etag ? request.headers.get("range") : null;
  const range = rangeHeader ? parseRange(rangeHeader, size) : null;
  if (range === "unsatisfiable") {
    await handle.close();
    headers.set("content-range", `bytes */${size}`);
    return Response.json({ error: { code: "range_not_satisfiable", message: `The file has ${size} bytes.` } }, { status: 416, headers });
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  headers.set("content-length", String(end - start + 1));
  // Next drops Content-Length; lib/content-length.ts restores it from this.
  headers.set(FILE_LENGTH_HEADER, String(end - start + 1));
  if (range) headers.set("content-range", `bytes ${start}-${end}/${size}`);
  const status = range ? 206 : 200;
  if (method === "HEAD") {
    await handle.close();
    return new Response(null, { status, headers });
  }
  const stream = handle.createReadStream({ start, end, highWaterMark: 1 << 20 });
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, headers });
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
