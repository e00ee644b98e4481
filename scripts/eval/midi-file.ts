/**
 * A minimal Standard MIDI File writer (format 0) for the evaluation set: notes are given in
 * seconds and written at a fixed 120 BPM with 960 ticks per quarter, so one tick is 1/1920 s
 * and the file needs no tempo map (the musical tempo lives in the ground truth, not the file).
 */

export interface MidiNote {
  /** Onset in seconds. */
  readonly time: number;
  /** Length in seconds (> 0). */
  readonly duration: number;
  /** 0..15 (9 = General MIDI drums). */
  readonly channel: number;
  readonly note: number;
  /** 1..127 */
  readonly velocity: number;
}

export interface MidiProgram {
  readonly channel: number;
  /** General MIDI program 0..127. */
  readonly program: number;
  /** Channel volume (CC 7), 0..127. */
  readonly volume?: number;
}

export const TICKS_PER_QUARTER = 960;
/** Ticks per second at the file's fixed 120 BPM. */
export const TICKS_PER_SECOND = TICKS_PER_QUARTER * 2;

function varLen(n: number, out: number[]): void {
  const bytes = [n & 0x7f];
  n >>>= 7;
  while (n > 0) {
    bytes.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  for (let i = bytes.length - 1; i >= 0; i--) out.push(bytes[i]);
}

function clamp7(v: number): number {
  return Math.max(0, Math.min(127, Math.round(v)));
}

/** Encode notes and program changes as a format-0 SMF. */
export function writeMidiFile(notes: readonly MidiNote[], programs: readonly MidiProgram[]): Uint8Array {
  interface Ev {
    tick: number;
    order: number;
    bytes: number[];
  }
  const events: Ev[] = [];
  for (const p of programs) {
    events.push({ tick: 0, order: 0, bytes: [0xc0 | (p.channel & 15), clamp7(p.program)] });
    events.push({ tick: 0, order: 0, bytes: [0xb0 | (p.channel & 15), 7, clamp7(p.volume ?? 100)] });
  }
  for (const n of notes) {
    if (!(n.duration > 0) || !(n.time >= 0)) throw new Error(`bad note at ${n.time}s: duration ${n.duration}`);
    const on = Math.round(n.time * TICKS_PER_SECOND);
    const off = Math.max(on + 1, Math.round((n.time + n.duration) * TICKS_PER_SECOND));
    const ch = n.channel & 15;
    // Offs sort before ons at the same tick so a repeated note is re-struck, not cut.
    events.push({ tick: on, order: 2, bytes: [0x90 | ch, clamp7(n.note), Math.max(1, clamp7(n.velocity))] });
    events.push({ tick: off, order: 1, bytes: [0x80 | ch, clamp7(n.note), 0] });
  }
  events.sort((a, b) => a.tick - b.tick || a.order - b.order);

  const track: number[] = [];
  // Tempo meta event: 500000 µs per quarter (120 BPM).
  track.push(0x00, 0xff, 0x51, 0x03, 0x07, 0xa1, 0x20);
  let last = 0;
  for (const e of events) {
    varLen(e.tick - last, track);
    last = e.tick;
    track.push(...e.bytes);
  }
  track.push(0x00, 0xff, 0x2f, 0x00);

  const out = new Uint8Array(14 + 8 + track.length);
  const dv = new DataView(out.buffer);
  out.set([0x4d, 0x54, 0x68, 0x64], 0); // MThd
  dv.setUint32(4, 6);
  dv.setUint16(8, 0); // format 0
  dv.setUint16(10, 1); // one track
  dv.setUint16(12, TICKS_PER_QUARTER);
  out.set([0x4d, 0x54, 0x72, 0x6b], 14); // MTrk
  dv.setUint32(18, track.length);
  out.set(track, 22);
  return out;
}
