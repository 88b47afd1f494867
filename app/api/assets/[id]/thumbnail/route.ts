import { serveThumbnail } from "@/lib/media/serve";
import { route } from "@/lib/server/route";
import { assetParams } from "../../schema";

/** A stored cover's thumbnail (WebP, ≤ 320 px wide), cached for a year under its `?v=` URL; 404 `no_thumbnail`. */
export const GET = route({ params: assetParams }, async ({ params }, request) => serveThumbnail(request, params.id));
