import { getTaskMidi } from "@/db/queries/tasks";
import { notFound } from "@/lib/core/errors";
import { standardMidiFile } from "@/lib/export/midi";
import { FILE_LENGTH_HEADER } from "@/lib/server/content-length";
import { route } from "@/lib/server/route";
import { safeSegment } from "@/lib/storage";
import * as api from "../../schema";

/** A MIDI task's notes as a Standard MIDI File (one track per instrument); 404 for a task without notes. */
export const GET = route(api.taskMidi, async ({ params }) => {
  const midi = await getTaskMidi(params.taskId);
  if (!midi) throw notFound(`Task ${params.taskId} has no MIDI notes.`);
  const bytes = standardMidiFile(midi, params.taskId);
  return new Response(Buffer.from(bytes), {
    headers: {
      "content-type": "audio/midi",
      // Next drops Content-Length; lib/server/content-length.ts restores it from this.
      [FILE_LENGTH_HEADER]: String(bytes.byteLength),
      "content-disposition": `attachment; filename="${safeSegment(params.taskId)}.mid"`,
      "cache-control": "private, no-cache",
      "x-content-type-options": "nosniff",
    },
  });
});
