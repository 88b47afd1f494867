// A MIDI task's notes as a Standard MIDI File (format 1): one track per
// instrument, named after it, drums on the General MIDI percussion channel,
// other instruments with their General MIDI program when the name is one.
// Times are the provider's seconds at a fixed 120 BPM, so a tick is the same
// length all through the file. Written by @tonejs/midi.
import { Midi } from "@tonejs/midi";
import type { MidiData } from "@/lib/core/result";

/** Channel 10 (0-based 9) is percussion in General MIDI. */
const PERCUSSION_CHANNEL = 9;
const MELODIC_CHANNELS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15];
export const MIDI_TEMPO_BPM = 120;

const isPercussion = (name: string) => /\b(drums?|drum kit|percussion)\b/i.test(name);

/**
 * The provider's velocity is 0–1; one past 1 is taken as MIDI's own 0–127.
 * Never 0: a note-on of velocity 0 is a note-off.
 */
export function midiVelocity(velocity: number): number {
  const unit = velocity > 1 ? velocity / 127 : velocity;
  return Math.min(1, Math.max(1 / 127, unit));
}

/** The notes of `data` as the bytes of a .mid file; `title` names the sequence. */
export function standardMidiFile(data: MidiData, title: string): Uint8Array {
  const midi = new Midi();
  midi.header.name = title;
  midi.header.setTempo(MIDI_TEMPO_BPM);
  let melodic = 0;
  for (const instrument of data.instruments) {
    const track = midi.addTrack();
    track.name = instrument.name;
    if (isPercussion(instrument.name)) {
      track.channel = PERCUSSION_CHANNEL;
    } else {
      track.channel = MELODIC_CHANNELS[melodic++ % MELODIC_CHANNELS.length]!;
      // A General MIDI name ("Electric Bass (finger)") sets its program; any other leaves piano.
      track.instrument.name = instrument.name.toLowerCase();
    }
    for (const note of instrument.notes) {
      track.addNote({
        midi: note.pitch,
        time: note.start,
        duration: Math.max(0, note.end - note.start),
        velocity: midiVelocity(note.velocity),
      });
    }
  }
  return midi.toArray();
}
