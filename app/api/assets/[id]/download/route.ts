import { NextResponse } from "next/server";
import { redownloadAsset } from "@/lib/files/downloads";
import { route } from "@/lib/server/route";
import { notFound } from "@/lib/core/errors";
import { assetIdSchema } from "../../schema";

type Context = { params: Promise<{ id: string }> };

/** Queues the asset for a fresh download (also when its stored file was deleted); answers 202 with its task's detail. */
export const POST = route(async (_request, { params }: Context) => {
  const id = assetIdSchema.safeParse((await params).id);
  if (!id.success) throw notFound("No such asset.");
  return NextResponse.json(await redownloadAsset(id.data), { status: 202 });
});
