import { serveWaveform } from "@/lib/media/serve";
import { route } from "@/lib/server/route";
import { notFound } from "@/lib/core/errors";
import { assetIdSchema } from "../../schema";

type Context = { params: Promise<{ id: string }> };

/** A stored WAV's waveform: `{"peaks","durationSeconds","sampleRate","channels"}`; 404 `no_waveform`. */
export const GET = route(async (_request, { params }: Context) => {
  const id = assetIdSchema.safeParse((await params).id);
  if (!id.success) throw notFound("No such asset.");
  return serveWaveform(id.data);
});
