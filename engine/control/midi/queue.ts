/**
 * A preallocated ring of parsed MIDI events: the input callback (Web MIDI, bridge) pushes, the
 * frame tick drains into one reused record. Full ring: the oldest events are overwritten and
 * counted, because for knobs and faders the newest value is the one that matters.
 */
import { MidiEvent, type MidiEventTypeId } from './parser.ts';

const STRIDE = 8;

export class MidiEventQueue {
  /** Events overwritten before they were drained. */
  overruns = 0;
  private readonly data: Float64Array;
  private readonly capacity: number;
  private head = 0;
  private size = 0;
  private readonly scratch = new MidiEvent();

  constructor(capacity = 1024) {
    this.capacity = Math.max(1, capacity | 0);
    this.data = new Float64Array(this.capacity * STRIDE);
  }

  get length(): number {
    return this.size;
  }

  /** Copy an event in (the parser's record is reused, so it is copied). Allocates nothing. */
  push(e: MidiEvent): void {
    let slot: number;
    if (this.size === this.capacity) {
      slot = this.head;
      this.head = (this.head + 1) % this.capacity;
      this.overruns++;
    } else {
      slot = (this.head + this.size) % this.capacity;
      this.size++;
    }
    const d = this.data;
    const o = slot * STRIDE;
    d[o] = e.type;
    d[o + 1] = e.channel;
    d[o + 2] = e.number;
    d[o + 3] = e.value;
    d[o + 4] = e.max;
    d[o + 5] = e.delta;
    d[o + 6] = e.time;
    d[o + 7] = e.port;
  }

  /** Hand each queued event, oldest first, to `fn` (one reused record); returns how many. */
  drain(fn: (e: MidiEvent) => unknown): number {
    const d = this.data;
    const e = this.scratch;
    let n = 0;
    // Integers go back as small integers (`| 0`): a double in an integer field makes V8 box it on every write.
    while (this.size > 0) {
      const o = this.head * STRIDE;
      e.type = (d[o] | 0) as MidiEventTypeId;
      e.channel = d[o + 1] | 0;
      e.number = d[o + 2] | 0;
      e.value = d[o + 3] | 0;
      e.max = d[o + 4] | 0;
      e.delta = d[o + 5] | 0;
      e.time = d[o + 6];
      e.port = d[o + 7] | 0;
      this.head = (this.head + 1) % this.capacity;
      this.size--;
      n++;
      fn(e);
    }
    return n;
  }

  clear(): void {
    this.size = 0;
  }
}
