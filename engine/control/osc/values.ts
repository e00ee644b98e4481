/**
 * Value reports from the page to the bridge (for OSCQuery VALUE and LISTEN): parameters whose
 * value changed since the last report, as one records frame. Preallocated per bank size.
 */
import type { ParamBank } from '../../params/index.ts';
import { FRAME_VALUES, RECORD_BYTES, RECORDS_HEADER, writeRecord, writeRecordsHeader } from './wire.ts';

export class ValueReporter {
  private last = new Float32Array(0);
  private sent = new Uint8Array(0);
  private buf = new ArrayBuffer(RECORDS_HEADER);
  private view = new DataView(this.buf);
  private params = -1;

  /** Resize for the bank (set-up time); everything is reported again after this. */
  private fit(bank: ParamBank): void {
    const n = bank.count;
    this.params = n;
    this.last = new Float32Array(bank.slotCount);
    this.sent = new Uint8Array(n);
    this.buf = new ArrayBuffer(RECORDS_HEADER + n * RECORD_BYTES);
    this.view = new DataView(this.buf);
  }

  /** Force every parameter into the next report (a new listener connected). */
  resend(): void {
    this.sent.fill(0);
  }

  /**
   * Changed parameters as a records frame (index = bank id, n values), or null when none
   * changed. The returned bytes are reused by the next call: send them before calling again.
   */
  collect(bank: ParamBank): Uint8Array<ArrayBuffer> | null {
    if (bank.count !== this.params) this.fit(bank);
    const values = bank.values;
    let count = 0;
    for (let id = 0; id < this.params; id++) {
      const off = bank.offsetOf(id);
      const size = bank.declOf(id)?.size ?? 1;
      let changed = this.sent[id] === 0;
      for (let k = 0; k < size; k++) if (values[off + k] !== this.last[off + k]) changed = true;
      if (!changed) continue;
      for (let k = 0; k < size; k++) this.last[off + k] = values[off + k];
      this.sent[id] = 1;
      writeRecord(this.view, count++, id, size, values[off], size > 1 ? values[off + 1] : 0, size > 2 ? values[off + 2] : 0);
    }
    if (count === 0) return null;
    writeRecordsHeader(this.view, FRAME_VALUES, count);
    return new Uint8Array(this.buf, 0, RECORDS_HEADER + count * RECORD_BYTES);
  }
}
