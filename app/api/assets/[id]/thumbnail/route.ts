import { serveThumbnail } from "@/lib/media/serve";
import { route } from "@/lib/server/route";
import { notFound } from "@/lib/core/errors";
import { assetIdSchema } from "../../schema";

type Context = { params: Promise<{ id: string }> };

/** A stored cover's thumbnail (WebP, ≤ 320 px wide), cached for a year under its `?v=` URL; 404 `no_thumbnail`. */
export const GET = route(async (request, { params }: Context) => {
  const id = assetIdSchema.safeParse((await params).id);
  if (!id.success) throw notFound("No such asset.");
  return serveThumbnail(request, id.data);
});
