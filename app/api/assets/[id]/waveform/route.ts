import { serveWaveform } from "@/lib/media/serve";
import { route } from "@/lib/server/route";
import * as api from "../../schema";

/** A stored WAV's waveform: `{"peaks","durationSeconds","sampleRate","channels"}`; 404 `no_waveform`. */
export const GET = route(api.assetWaveform, async ({ params }) => serveWaveform(params.id));
