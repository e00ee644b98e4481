/**
 * Feedback out: the bytes that make pad LEDs, encoder rings and motor faders follow parameter
 * state. Only changes are sent, at most one message per mapping every `minIntervalMs` (the last
 * value always goes out once the interval has passed), and values the controller itself just
 * sent are not echoed back. Pure and allocation-free: bytes are written into the caller's buffer.
 */
import type { MidiMapper } from './mapping.ts';

export interface MidiFeedbackOptions {
  /** Shortest gap between two messages for one control. Default 30 ms. */
  minIntervalMs?: number;
}

export class MidiFeedback {
  readonly minIntervalMs: number;
  /** Messages written so far. */
  sent = 0;

  constructor(
    private readonly mapper: MidiMapper,
    opts: MidiFeedbackOptions = {},
  ) {
    this.minIntervalMs = opts.minIntervalMs ?? 30;
  }

  /**
   * Write pending feedback for the mappings bound to output `portSlot` (the mapper's slot of the
   * port name) into `out` from `offset`; returns the number of bytes written. Messages that do
   * not fit wait for the next call.
   */
  collect(portSlot: number, nowMs: number, out: Uint8Array, offset = 0): number {
    const m = this.mapper;
    const n = m.count;
    let o = offset;
    const end = out.length;
    for (let i = 0; i < n; i++) {
      if (m.feedback[i] === 0 || m.portSlot[i] !== portSlot || m.param[i] < 0) continue;
      const kind = m.kind[i];
      const size = kind === 2 ? 6 : kind === 3 || kind === 4 ? 12 : kind === 7 ? 0 : 3;
      if (size === 0) continue;
      const v = m.feedbackValue(i);
      if (v === m.sentValue[i] || nowMs - m.sentAt[i] < this.minIntervalMs) continue;
      if (o + size > end) break;
      const ch = m.channel[i];
      const num = m.number[i];
      if (kind === 1) {
        out[o++] = 0xb0 | ch;
        out[o++] = num;
        out[o++] = v;
      } else if (kind === 2) {
        out[o++] = 0xb0 | ch;
        out[o++] = num;
        out[o++] = v >> 7;
        out[o++] = 0xb0 | ch;
        out[o++] = num + 32;
        out[o++] = v & 127;
      } else if (kind === 3 || kind === 4) {
        const rpn = kind === 4;
        out[o++] = 0xb0 | ch;
        out[o++] = rpn ? 101 : 99;
        out[o++] = num >> 7;
        out[o++] = 0xb0 | ch;
        out[o++] = rpn ? 100 : 98;
        out[o++] = num & 127;
        out[o++] = 0xb0 | ch;
        out[o++] = 6;
        out[o++] = v >> 7;
        out[o++] = 0xb0 | ch;
        out[o++] = 38;
        out[o++] = v & 127;
      } else if (kind === 5) {
        // Note-on with velocity 0 is "off" to every controller; its velocity picks the LED colour.
        out[o++] = 0x90 | ch;
        out[o++] = num;
        out[o++] = v;
      } else {
        out[o++] = 0xe0 | ch;
        out[o++] = v & 127;
        out[o++] = v >> 7;
      }
      m.sentValue[i] = v;
      m.sentAt[i] = nowMs;
      this.sent++;
    }
    return o - offset;
  }

  /** Forget what was sent (a controller reconnected and shows nothing): everything is sent again. */
  resend(): void {
    const m = this.mapper;
    for (let i = 0; i < m.count; i++) {
      m.sentValue[i] = -1;
      m.sentAt[i] = -Infinity;
    }
  }
}
