import { serveThumbnail } from "@/lib/media/serve";
import { route } from "@/lib/server/route";
import * as api from "../../schema";

/** A stored cover's thumbnail (WebP, ≤ 320 px wide), cached for a year under its `?v=` URL; 404 `no_thumbnail`. */
export const GET = route(api.assetThumbnail, async ({ params }, request) => serveThumbnail(request, params.id));
