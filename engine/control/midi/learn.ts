/**
 * MIDI learn: arm a parameter, move a control, and that control becomes its mapping. Only a real
 * move counts: clock, sensing, SysEx and note-offs are ignored, an absolute control must move by
 * at least 2 steps (a jittery pot flickering by one does not steal the learn), and a relative
 * encoder must send a few steps. A 14-bit pair (MSB then LSB) wins over its two 7-bit halves.
 */
import type { ParamType } from '../../params/types.ts';
import { defaultMode, type MidiControlKind, type MidiMapping, type MidiMappingMode } from './mapping.ts';
import { MidiEventType, type MidiEvent } from './parser.ts';
import { findProfile, profileControl } from './profiles/index.ts';

const SLOTS = 32;
/** Absolute controls must move this far (of their range) to count as moved. */
const MIN_MOVE = 2 / 127;
/** Messages an encoder must send before it counts (no profile to say it is one). */
const ENCODER_MESSAGES = 4;
/** CCs that belong to NRPN/RPN selection and data entry, never learned as plain controls. */
function isParameterCc(n: number): boolean {
  return n === 6 || n === 38 || (n >= 96 && n <= 101);
}

export type LearnState = 'idle' | 'armed';

export class MidiLearn {
  state: LearnState = 'idle';
  /** Path of the armed parameter. */
  param = '';
  private paramType: ParamType = 'number';
  /** The mapping made by the newest completed learn (null until one completes). */
  lastLearned: MidiMapping | null = null;

  // Candidates seen since arming (a control moved once is not yet a learn).
  private readonly key = new Float64Array(SLOTS);
  private readonly kindCode = new Uint8Array(SLOTS);
  private readonly first = new Float64Array(SLOTS);
  private readonly count = new Int32Array(SLOTS);
  private readonly relLike = new Uint8Array(SLOTS);
  private used = 0;

  /** Arm `paramPath`; its type picks how buttons behave (trigger → trigger, boolean → toggle). */
  arm(paramPath: string, paramType: ParamType = 'number'): void {
    this.state = 'armed';
    this.param = paramPath;
    this.paramType = paramType;
    this.used = 0;
  }

  cancel(): void {
    this.state = 'idle';
    this.param = '';
    this.used = 0;
  }

  /**
   * Offer an event received on port `portName`. Returns the new mapping when this event
   * completes the learn (the learn then returns to idle), else null.
   */
  offer(e: MidiEvent, portName = ''): MidiMapping | null {
    if (this.state !== 'armed') return null;
    let kind: MidiControlKind;
    let number = e.number;
    let pos = e.value / (e.max || 127);
    switch (e.type) {
      case MidiEventType.ControlChange:
        if (isParameterCc(e.number)) return null;
        kind = 'cc';
        break;
      case MidiEventType.ControlChange14:
        kind = 'cc14';
        break;
      case MidiEventType.Nrpn:
      case MidiEventType.Rpn:
        kind = e.type === MidiEventType.Nrpn ? 'nrpn' : 'rpn';
        if (e.delta !== 0) return this.finish(kind, e.channel, number, portName, 'absolute');
        break;
      case MidiEventType.NoteOn:
        return this.finish('note', e.channel, number, portName, null);
      case MidiEventType.PitchBend:
        kind = 'pitchbend';
        number = 0;
        break;
      default:
        return null; // clock, sensing, SysEx, note-off, pressure, program change
    }
    const code = kind === 'cc' ? 1 : kind === 'cc14' ? 2 : kind === 'nrpn' ? 3 : kind === 'rpn' ? 4 : 6;
    const k = (code * 16 + e.channel) * 16384 + number;
    let s = -1;
    for (let i = 0; i < this.used; i++) if (this.key[i] === k) s = i;
    if (s < 0) {
      if (this.used === SLOTS) return null;
      s = this.used++;
      this.key[s] = k;
      this.kindCode[s] = code;
      this.first[s] = pos;
      this.count[s] = 0;
      this.relLike[s] = 1;
    }
    this.count[s]++;
    if (kind === 'cc' && !(e.value <= 8 || e.value >= 120 || (e.value >= 56 && e.value <= 72 && e.value !== 64))) this.relLike[s] = 0;
    if (kind === 'cc' && number < 64 && this.hasPair(e.channel, number)) return null; // its 14-bit pair will be learned
    const profile = findProfile(portName);
    const known = profileControl(profile, kind, e.channel, number);
    if (known?.mode && known.mode.startsWith('relative')) {
      if (this.count[s] >= 2) return this.finish(kind, e.channel, number, portName, known.mode);
      return null;
    }
    if (Math.abs(pos - this.first[s]) >= MIN_MOVE) return this.finish(kind, e.channel, number, portName, known?.mode ?? 'absolute');
    if (!known && kind === 'cc' && this.relLike[s] === 1 && this.count[s] >= ENCODER_MESSAGES) {
      const v = e.value;
      const mode: MidiMappingMode = v >= 56 && v <= 72 ? 'relative-binary-offset' : 'relative-twos-complement';
      return this.finish(kind, e.channel, number, portName, mode);
    }
    return null;
  }

  private hasPair(channel: number, cc: number): boolean {
    const msb = cc < 32 ? cc : cc - 32;
    const k = (2 * 16 + channel) * 16384 + msb;
    for (let i = 0; i < this.used; i++) if (this.key[i] === k) return true;
    return false;
  }

  private finish(kind: MidiControlKind, channel: number, number: number, portName: string, mode: MidiMappingMode | null): MidiMapping {
    const profile = findProfile(portName);
    const known = profileControl(profile, kind, channel, number);
    let m: MidiMappingMode = mode ?? known?.mode ?? defaultMode(kind);
    if (kind === 'note' || (known?.mode && !known.mode.startsWith('relative') && known.mode !== 'absolute')) {
      // A button: what it does follows the parameter's type.
      m = this.paramType === 'trigger' ? 'trigger' : this.paramType === 'boolean' || this.paramType === 'enum' ? 'toggle' : kind === 'note' ? 'gate' : m;
    }
    const mapping: MidiMapping = {
      control: { kind, channel, number },
      param: this.param,
      ...(portName ? { port: portName } : {}),
      mode: m,
      ...(known?.onValue !== undefined ? { onValue: known.onValue } : {}),
      ...(known?.offValue !== undefined ? { offValue: known.offValue } : {}),
      ...(known?.feedback === false ? { feedback: false } : {}),
    };
    this.lastLearned = mapping;
    this.state = 'idle';
    this.param = '';
    this.used = 0;
    return mapping;
  }
}
