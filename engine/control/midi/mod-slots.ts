/**
 * MIDI as modulation sources: every CC (7-bit and 14-bit), note, pitch bend and channel pressure
 * also writes an external slot of the modulation matrix, so a route with source
 * `ext:midi:1:cc:74` follows that knob. Slot names use 1-based channels, as controllers print them:
 *
 *   midi:<ch>:cc:<n>      controller n, 0..1 (a 14-bit pair writes its MSB controller's slot at full resolution)
 *   midi:<ch>:note:<n>    velocity 0..1 while held, 0 after note-off (gate and velocity in one)
 *   midi:<ch>:bend        pitch bend, 0..1 (0.5 at rest)
 *   midi:<ch>:pressure    channel pressure, 0..1
 *
 * A control gets its slot the first time it is seen (or earlier, when a route names it: the
 * matrix keys slots by name, so either order lands on the same slot). After that, an event is a
 * table lookup and one typed-array store: nothing allocates.
 */
import { MidiEventType, type MidiEvent } from './parser.ts';

/** The part of the modulation matrix the control layer writes (ModulationMatrix satisfies it). */
export interface ExternalSlotSink {
  /** Slot values by index; may be replaced when a slot is registered, so it is re-read per write. */
  readonly external: Float32Array;
  externalSlot(name: string): number;
}

const NOTE_BASE = 128;
const BEND = 256;
const PRESSURE = 257;
/** Table entries per channel: CC 0..127, notes 0..127, bend, pressure. */
const PER_CHANNEL = 258;

/** Slot name of a control: `channel` 0..15 (named 1..16), `index` as laid out in the table. */
function nameOf(channel: number, index: number): string {
  const ch = channel + 1;
  if (index < NOTE_BASE) return `midi:${ch}:cc:${index}`;
  if (index < BEND) return `midi:${ch}:note:${index - NOTE_BASE}`;
  return index === BEND ? `midi:${ch}:bend` : `midi:${ch}:pressure`;
}

export class MidiModulationSlots {
  /** Names of the controls seen so far, in the order they first moved (for source pickers). */
  readonly seen: string[] = [];
  /** Table position of each seen name. */
  private readonly seenAt: number[] = [];
  private sink: ExternalSlotSink | null = null;
  /** Matrix slot per (channel, control), -1 until the control is first seen. */
  private readonly table = new Int32Array(16 * PER_CHANNEL).fill(-1);

  /** Write slots of `sink` (null: MIDI stays a direct control only). Slot indices belong to one matrix. */
  attach(sink: ExternalSlotSink | null): void {
    this.sink = sink;
    this.table.fill(-1);
    // Seen controls keep their names (and a slot) in the new matrix.
    if (sink !== null) for (let i = 0; i < this.seen.length; i++) this.table[this.seenAt[i]] = sink.externalSlot(this.seen[i]);
  }

  /** Update the slot of one parsed event (other event kinds are ignored). Allocates nothing once the control is known. */
  handle(e: MidiEvent): void {
    const sink = this.sink;
    if (sink === null) return;
    const ch = e.channel;
    if (ch < 0 || ch > 15) return;
    let index: number;
    let v: number;
    switch (e.type) {
      case MidiEventType.ControlChange:
        index = e.number;
        v = e.value / 127;
        break;
      case MidiEventType.ControlChange14:
        index = e.number;
        v = e.value / 16383;
        break;
      case MidiEventType.NoteOn:
        index = NOTE_BASE + e.number;
        v = e.value / 127;
        break;
      case MidiEventType.NoteOff:
        index = NOTE_BASE + e.number;
        v = 0;
        break;
      case MidiEventType.PitchBend:
        index = BEND;
        v = e.value / 16383;
        break;
      case MidiEventType.ChannelPressure:
        index = PRESSURE;
        v = e.value / 127;
        break;
      default:
        return;
    }
    if (index < 0 || index >= PER_CHANNEL) return;
    const at = ch * PER_CHANNEL + index;
    let slot = this.table[at];
    if (slot < 0) {
      // First sight of this control: edge work, once per control for the session.
      const name = nameOf(ch, index);
      this.seen.push(name);
      this.seenAt.push(at);
      slot = sink.externalSlot(name);
      this.table[at] = slot;
    }
    sink.external[slot] = v;
  }
}
