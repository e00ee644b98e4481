/**
 * Flood control between OSC input and the page: continuous values coalesce per address (the
 * newest wins, at most one record per address per flush); events (triggers, taps, commands
 * that act on every message) queue up to a cap per address per flush and the rest are dropped
 * and counted. Preallocated; push and drain allocate nothing.
 */
import { writeRecord, writeRecordsHeader } from './wire.ts';

/** Events per address kept between two flushes; more are dropped (a tap flood is not a tempo). */
export const EVENTS_PER_FLUSH = 4;

export class Coalescer {
  /** Values replaced by a newer one before they were sent. */
  coalesced = 0;
  /** Events dropped because an address sent more than EVENTS_PER_FLUSH between flushes. */
  dropped = 0;
  private readonly vals: Float64Array;
  private readonly nv: Uint8Array;
  private readonly dirty: Uint8Array;
  private readonly order: Int32Array;
  private orderCount = 0;
  private readonly evCount: Uint8Array;
  private readonly evEntry: Int32Array;
  private readonly evVals: Float64Array;
  private readonly evN: Uint8Array;
  private evTotal = 0;

  constructor(readonly entries: number) {
    this.vals = new Float64Array(entries * 3);
    this.nv = new Uint8Array(entries);
    this.dirty = new Uint8Array(entries);
    this.order = new Int32Array(entries);
    this.evCount = new Uint8Array(entries);
    const cap = Math.max(64, entries * EVENTS_PER_FLUSH);
    this.evEntry = new Int32Array(cap);
    this.evVals = new Float64Array(cap * 3);
    this.evN = new Uint8Array(cap);
  }

  /** Most records a drain can produce. */
  get capacity(): number {
    return this.entries + this.evEntry.length;
  }

  get pending(): number {
    return this.orderCount + this.evTotal;
  }

  /** A value for `entry` (n = 1 or 3 values in `v`); `event` keeps every message instead of the newest. */
  push(entry: number, n: number, v: Float64Array, event: boolean): void {
    if (entry < 0 || entry >= this.entries) return;
    if (event) {
      if (this.evCount[entry] >= EVENTS_PER_FLUSH || this.evTotal >= this.evEntry.length) {
        this.dropped++;
        return;
      }
      this.evCount[entry]++;
      const k = this.evTotal++;
      this.evEntry[k] = entry;
      this.evN[k] = n;
      this.evVals[k * 3] = v[0];
      this.evVals[k * 3 + 1] = n > 1 ? v[1] : 0;
      this.evVals[k * 3 + 2] = n > 2 ? v[2] : 0;
      return;
    }
    if (this.dirty[entry]) this.coalesced++;
    else {
      this.dirty[entry] = 1;
      this.order[this.orderCount++] = entry;
    }
    this.nv[entry] = n;
    this.vals[entry * 3] = v[0];
    this.vals[entry * 3 + 1] = n > 1 ? v[1] : 0;
    this.vals[entry * 3 + 2] = n > 2 ? v[2] : 0;
  }

  /**
   * Write everything pending as a records frame of `type` into `view` (sized for `capacity`
   * records) and clear. Values first in arrival order, then events. Returns the record count.
   */
  drain(view: DataView, type: number): number {
    let i = 0;
    for (let k = 0; k < this.orderCount; k++) {
      const e = this.order[k];
      writeRecord(view, i++, e, this.nv[e], this.vals[e * 3], this.vals[e * 3 + 1], this.vals[e * 3 + 2]);
      this.dirty[e] = 0;
    }
    this.orderCount = 0;
    for (let k = 0; k < this.evTotal; k++) {
      writeRecord(view, i++, this.evEntry[k], this.evN[k], this.evVals[k * 3], this.evVals[k * 3 + 1], this.evVals[k * 3 + 2]);
      this.evCount[this.evEntry[k]] = 0;
    }
    this.evTotal = 0;
    writeRecordsHeader(view, type, i);
    return i;
  }
}
