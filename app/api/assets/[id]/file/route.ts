import { serveAssetFile } from "@/lib/files/asset-file";
import { route } from "@/lib/server/route";
import { notFound } from "@/lib/core/errors";
import { assetIdSchema } from "../../schema";

type Context = { params: Promise<{ id: string }> };

async function serve(request: Request, { params }: Context, method: "GET" | "HEAD") {
  const id = assetIdSchema.safeParse((await params).id);
  if (!id.success) throw notFound("No such asset.");
  return serveAssetFile(request, id.data, method);
}

/**
 * The stored file: Content-Type, Content-Length, ETag (sha256), Range → 206/416, If-None-Match → 304;
 * with object storage a 302 to a presigned URL. `?download=1` → Content-Disposition: attachment.
 */
export const GET = route((request, context: Context) => serve(request, context, "GET"));
export const HEAD = route((request, context: Context) => serve(request, context, "HEAD"));
