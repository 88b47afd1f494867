import { serveAssetFile } from "@/lib/files/asset-file";
import { route } from "@/lib/server/route";
import * as api from "../../schema";

/**
 * The stored file: Content-Type, Content-Length, ETag (sha256), Range → 206/416, If-None-Match → 304;
 * with object storage a 302 to a presigned URL. `?download=1` → Content-Disposition: attachment.
 */
export const GET = route(api.assetFile, async ({ params }, request) => serveAssetFile(request, params.id, "GET"));
export const HEAD = route(api.assetFileHead, async ({ params }, request) => serveAssetFile(request, params.id, "HEAD"));
