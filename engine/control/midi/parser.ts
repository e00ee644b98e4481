/**
 * Streaming MIDI 1.0 byte parser, shared by Web MIDI in the page and raw bytes arriving from the
 * Node bridge. It keeps running status, lets real-time bytes (0xF8-0xFF) interleave anywhere
 * without breaking the message they land in, collects SysEx into a bounded buffer, pairs 14-bit
 * controllers (MSB 0-31 + LSB 32-63), assembles NRPN/RPN from CC 99/98/101/100 with data entry
 * 6/38 and increment/decrement 96/97, and turns note-on with velocity 0 into note-off.
 *
 * Every message is written into one reused `MidiEvent` record and handed to the callback; the
 * per-byte path allocates nothing. Junk (stray data bytes, truncated messages) is counted in
 * `stats`, never thrown.
 */

/** Event kinds (numeric, for the hot path). */
export const MidiEventType = {
  NoteOff: 1,
  NoteOn: 2,
  PolyPressure: 3,
  ControlChange: 4,
  ProgramChange: 5,
  ChannelPressure: 6,
  PitchBend: 7,
  /** A 14-bit controller pair (number = MSB controller 0..31), value 0..16383. */
  ControlChange14: 8,
  /** Non-registered parameter: number 0..16383, value 0..16383 (data entry) or delta (increment). */
  Nrpn: 9,
  /** Registered parameter (pitch-bend range, tuning...): as Nrpn. */
  Rpn: 10,
  SysEx: 11,
  /** Song position in sixteenths (value). */
  SongPosition: 12,
  SongSelect: 13,
  TimeCodeQuarterFrame: 14,
  TuneRequest: 15,
  Clock: 16,
  Start: 17,
  Continue: 18,
  Stop: 19,
  ActiveSensing: 20,
  Reset: 21,
} as const;
export type MidiEventTypeId = (typeof MidiEventType)[keyof typeof MidiEventType];

/** Names by event type code (for logs, tests and the UI). */
export const MIDI_EVENT_NAMES: readonly string[] = [
  'none', 'note-off', 'note-on', 'poly-pressure', 'cc', 'program-change', 'pressure', 'pitch-bend', 'cc14', 'nrpn', 'rpn',
  'sysex', 'song-position', 'song-select', 'mtc-quarter-frame', 'tune-request', 'clock', 'start', 'continue', 'stop',
  'active-sensing', 'reset',
];

/** One parsed message. The parser reuses a single record: copy what you keep. */
export class MidiEvent {
  type: MidiEventTypeId | 0 = 0;
  /** 0..15 for channel messages, -1 for system messages. */
  channel = -1;
  /** Note, controller (MSB controller for 14-bit pairs), program, or parameter number. */
  number = 0;
  /** Velocity, pressure, controller value, 14-bit value, song position... */
  value = 0;
  /** Largest `value` of this kind (127 or 16383), so value / max is a 0..1 position. */
  max = 127;
  /** Data increment/decrement steps of an NRPN/RPN (+1 or -1 per message); 0 for data entry. */
  delta = 0;
  /** Time stamp passed in with the bytes (the caller's unit and clock). Starts as a double so V8 stores it unboxed. */
  time = Number.NaN;
  /** SysEx: bytes in `sysex` (0xF0 and 0xF7 excluded); truncated is true when it overflowed. */
  sysexLength = 0;
  truncated = false;
  /** Index of the input (port) the parser was created for; the caller's numbering. */
  port = 0;
}

export interface MidiParserStats {
  /** Complete messages emitted. */
  messages: number;
  /** Data bytes with no status to belong to (stray or after a cancelled message). */
  strayBytes: number;
  /** Messages cut short by a new status byte before all their data arrived. */
  truncated: number;
  /** SysEx messages longer than the buffer (delivered cut, with `truncated` set). */
  sysexOverflows: number;
  /** Undefined status bytes (0xF4, 0xF5, 0xF9, 0xFD) and a lone 0xF7. */
  undefinedStatus: number;
}

export type MidiListener = (e: MidiEvent) => void;

export interface MidiParserOptions {
  /** SysEx buffer size in bytes (longer messages are cut and flagged). Default 512. */
  sysexCapacity?: number;
  /** Pair CC 0-31 with 32-63 into ControlChange14 events. Default true. */
  pair14Bit?: boolean;
  /** Assemble NRPN/RPN from CC 98/99/100/101 + 6/38/96/97. Default true. */
  parameterNumbers?: boolean;
  /** Port index stamped on each event. */
  port?: number;
}

/** Parameter number 127/127: the "null" selection that ends NRPN/RPN data entry. */
const NONE = (127 << 7) | 127;

/** Data bytes each channel status needs, by high nibble 0x8..0xE. */
function dataLengthOf(status: number): number {
  const hi = status & 0xf0;
  if (hi === 0xc0 || hi === 0xd0) return 1;
  if (hi < 0xf0) return 2;
  if (status === 0xf1 || status === 0xf3) return 1;
  if (status === 0xf2) return 2;
  return 0;
}

export class MidiParser {
  readonly event = new MidiEvent();
  readonly stats: MidiParserStats = { messages: 0, strayBytes: 0, truncated: 0, sysexOverflows: 0, undefinedStatus: 0 };
  /** SysEx payload of the newest SysEx event (valid during the callback). */
  readonly sysex: Uint8Array;

  private readonly onEvent: MidiListener;
  private readonly pair14: boolean;
  private readonly paramNumbers: boolean;
  /** Running status (channel messages only), 0 when none. */
  private status = 0;
  private need = 0;
  private have = 0;
  private d0 = 0;
  private inSysex = false;
  private sysexLen = 0;
  private sysexOver = false;
  /** Newest MSB per channel × controller 0..31, and whether a real MSB+LSB pair was seen. */
  private readonly msb = new Uint8Array(16 * 32);
  private readonly pairSeen = new Uint8Array(16 * 32);
  /** The previous channel message was this channel×controller MSB (for pairing). */
  private lastMsbKey = -1;
  /** Per channel: selected parameter number (14-bit), whether it is an RPN, and data-entry MSB. */
  private readonly paramMsb = new Int16Array(16);
  private readonly paramLsb = new Int16Array(16);
  private readonly paramIsRpn = new Uint8Array(16);
  private readonly dataMsb = new Int16Array(16);

  constructor(onEvent: MidiListener, opts: MidiParserOptions = {}) {
    this.onEvent = onEvent;
    this.sysex = new Uint8Array(Math.max(16, opts.sysexCapacity ?? 512));
    this.pair14 = opts.pair14Bit ?? true;
    this.paramNumbers = opts.parameterNumbers ?? true;
    this.event.port = opts.port ?? 0;
    this.paramMsb.fill(127);
    this.paramLsb.fill(127);
    this.dataMsb.fill(-1);
  }

  /** Forget running status, pending data and parameter selections (a port reconnected). */
  reset(): void {
    this.status = 0;
    this.need = 0;
    this.have = 0;
    this.inSysex = false;
    this.sysexLen = 0;
    this.lastMsbKey = -1;
    this.paramMsb.fill(127);
    this.paramLsb.fill(127);
    this.dataMsb.fill(-1);
    this.pairSeen.fill(0);
  }

  /** Feed `length` bytes of `data` from `offset`, all received at `time`. */
  feed(data: Uint8Array, time: number, offset = 0, length = data.length - offset): void {
    const end = offset + length;
    for (let i = offset; i < end; i++) this.byte(data[i], time);
  }

  /** Feed one byte (0..255; anything else counts as stray) received at `time`. */
  byte(b: number, time: number): void {
    if (!(b >= 0 && b <= 255)) {
      this.stats.strayBytes++;
      return;
    }
    b |= 0;
    if (b >= 0xf8) {
      this.realtime(b, time);
      return;
    }
    if (b >= 0x80) {
      this.statusByte(b, time);
      return;
    }
    if (this.inSysex) {
      if (this.sysexLen < this.sysex.length) this.sysex[this.sysexLen++] = b;
      else this.sysexOver = true;
      return;
    }
    if (this.status === 0) {
      this.stats.strayBytes++;
      return;
    }
    if (this.have === 0) {
      this.d0 = b;
      this.have = 1;
    } else {
      this.have = 2;
    }
    if (this.have === this.need) {
      const d1 = this.need === 2 ? b : 0;
      const st = this.status;
      this.have = 0;
      // System common messages do not set running status.
      if (st >= 0xf0) this.status = 0;
      this.message(st, this.d0, d1, time);
    }
  }

  private realtime(b: number, time: number): void {
    let t: MidiEventTypeId | 0 = 0;
    if (b === 0xf8) t = MidiEventType.Clock;
    else if (b === 0xfa) t = MidiEventType.Start;
    else if (b === 0xfb) t = MidiEventType.Continue;
    else if (b === 0xfc) t = MidiEventType.Stop;
    else if (b === 0xfe) t = MidiEventType.ActiveSensing;
    else if (b === 0xff) t = MidiEventType.Reset;
    if (t === 0) {
      this.stats.undefinedStatus++;
      return;
    }
    if (b === 0xff) this.reset(); // System reset: every receiver returns to its power-up state.
    this.emit(t, -1, 0, 0, 0, time);
  }

  private statusByte(b: number, time: number): void {
    if (this.inSysex) {
      // 0xF7 ends it; any other status ends it too (the end byte was lost) and is then parsed.
      this.inSysex = false;
      const e = this.event;
      e.sysexLength = this.sysexLen;
      e.truncated = this.sysexOver || b !== 0xf7;
      if (this.sysexOver) this.stats.sysexOverflows++;
      if (b !== 0xf7) this.stats.truncated++;
      this.emit(MidiEventType.SysEx, -1, 0, this.sysexLen, 0, time);
      e.sysexLength = 0;
      e.truncated = false;
      if (b === 0xf7) return;
    } else if (b === 0xf7) {
      this.stats.undefinedStatus++;
      return;
    }
    if (this.have > 0) {
      this.stats.truncated++;
      this.have = 0;
    }
    if (b === 0xf0) {
      this.inSysex = true;
      this.sysexLen = 0;
      this.sysexOver = false;
      this.status = 0;
      return;
    }
    if (b === 0xf4 || b === 0xf5) {
      this.stats.undefinedStatus++;
      this.status = 0;
      return;
    }
    if (b === 0xf6) {
      this.status = 0;
      this.emit(MidiEventType.TuneRequest, -1, 0, 0, 0, time);
      return;
    }
    this.status = b;
    this.need = dataLengthOf(b);
    this.have = 0;
  }

  private message(st: number, d0: number, d1: number, time: number): void {
    if (st >= 0xf0) {
      if (st === 0xf2) this.emit(MidiEventType.SongPosition, -1, 0, d0 | (d1 << 7), 16383, time);
      else if (st === 0xf3) this.emit(MidiEventType.SongSelect, -1, d0, d0, 127, time);
      else this.emit(MidiEventType.TimeCodeQuarterFrame, -1, d0 >> 4, d0 & 15, 15, time);
      return;
    }
    const ch = st & 15;
    const hi = st & 0xf0;
    if (hi !== 0xb0) this.lastMsbKey = -1;
    switch (hi) {
      case 0x80:
        this.emit(MidiEventType.NoteOff, ch, d0, d1, 127, time);
        return;
      case 0x90:
        this.emit(d1 === 0 ? MidiEventType.NoteOff : MidiEventType.NoteOn, ch, d0, d1, 127, time);
        return;
      case 0xa0:
        this.emit(MidiEventType.PolyPressure, ch, d0, d1, 127, time);
        return;
      case 0xc0:
        this.emit(MidiEventType.ProgramChange, ch, d0, d0, 127, time);
        return;
      case 0xd0:
        this.emit(MidiEventType.ChannelPressure, ch, 0, d0, 127, time);
        return;
      case 0xe0:
        this.emit(MidiEventType.PitchBend, ch, 0, d0 | (d1 << 7), 16383, time);
        return;
      default:
        this.controlChange(ch, d0, d1, time);
    }
  }

  private controlChange(ch: number, cc: number, v: number, time: number): void {
    const prevMsb = this.lastMsbKey;
    this.lastMsbKey = -1;
    this.emit(MidiEventType.ControlChange, ch, cc, v, 127, time);
    if (this.paramNumbers && this.parameterCc(ch, cc, v, time)) return;
    if (!this.pair14) return;
    if (cc < 32) {
      const key = ch * 32 + cc;
      this.msb[key] = v;
      this.lastMsbKey = key;
    } else if (cc < 64) {
      const key = ch * 32 + cc - 32;
      // A pair is an LSB right after its MSB; once seen, lone LSBs are fine adjustments (MIDI 1.0).
      // Without that, controllers that use CC 32-63 as plain buttons would fake 14-bit moves.
      if (prevMsb === key) this.pairSeen[key] = 1;
      if (this.pairSeen[key] === 1) this.emit(MidiEventType.ControlChange14, ch, cc - 32, (this.msb[key] << 7) | v, 16383, time);
    }
  }

  /** NRPN/RPN selection and data entry; returns true when the CC belonged to it. */
  private parameterCc(ch: number, cc: number, v: number, time: number): boolean {
    switch (cc) {
      case 99:
      case 101:
        this.paramIsRpn[ch] = cc === 101 ? 1 : 0;
        this.paramMsb[ch] = v;
        this.dataMsb[ch] = -1;
        return true;
      case 98:
      case 100:
        this.paramIsRpn[ch] = cc === 100 ? 1 : 0;
        this.paramLsb[ch] = v;
        this.dataMsb[ch] = -1;
        return true;
      case 6:
      case 38:
      case 96:
      case 97: {
        const num = (this.paramMsb[ch] << 7) | this.paramLsb[ch];
        if (num === NONE) return false; // no parameter selected: plain data-entry CC
        const t = this.paramIsRpn[ch] === 1 ? MidiEventType.Rpn : MidiEventType.Nrpn;
        if (cc === 6) {
          // Emit on MSB too: many controllers send only the MSB (7-bit NRPN).
          this.dataMsb[ch] = v;
          this.emitParam(t, ch, num, v << 7, 0, time);
        } else if (cc === 38) {
          const m = this.dataMsb[ch] < 0 ? 0 : this.dataMsb[ch];
          this.emitParam(t, ch, num, (m << 7) | v, 0, time);
        } else {
          this.emitParam(t, ch, num, 0, cc === 96 ? 1 : -1, time);
        }
        return true;
      }
      default:
        return false;
    }
  }

  private emitParam(t: MidiEventTypeId, ch: number, num: number, value: number, delta: number, time: number): void {
    this.event.delta = delta;
    this.emit(t, ch, num, value, 16383, time);
    this.event.delta = 0;
  }

  private emit(t: MidiEventTypeId, ch: number, num: number, value: number, max: number, time: number): void {
    const e = this.event;
    e.type = t;
    e.channel = ch;
    e.number = num;
    e.value = value;
    e.max = max;
    e.time = time;
    this.stats.messages++;
    this.onEvent(e);
  }
}

/** Is this a real-time clock/transport byte the beat clock wants (clock, start, continue, stop)? */
export function isClockByte(b: number): boolean {
  return b === 0xf8 || b === 0xfa || b === 0xfb || b === 0xfc;
}
