/**
 * MIDI mappings: which control (channel + CC, 14-bit CC, NRPN/RPN, note, pitch bend, pressure)
 * drives which parameter, with range, curve, invert, soft takeover, relative encoders and note
 * modes. Specs are plain JSON (presets, autosave) with a validator that explains every bad
 * field; `MidiMapper` compiles them against a ParamBank into typed arrays so applying an event
 * allocates nothing.
 */
import { CURVE_EXP, CURVE_LINEAR, CURVE_LOG, CURVE_S, curveCode, curveSteepness } from '../../params/curves.ts';
import type { ParamBank } from '../../params/bank.ts';
import type { ParamCurve, ParamId } from '../../params/types.ts';
import { MidiEventType, type MidiEvent } from './parser.ts';

export type MidiControlKind = 'cc' | 'cc14' | 'nrpn' | 'rpn' | 'note' | 'pitchbend' | 'pressure';
export const MIDI_CONTROL_KINDS: readonly MidiControlKind[] = ['cc', 'cc14', 'nrpn', 'rpn', 'note', 'pitchbend', 'pressure'];

/**
 * absolute: the control's position is the value. relative-*: encoders sending steps
 * (two's complement: 1..63 up, 127..65 down; binary offset: 64 ± n; sign-magnitude: bit 6 = down).
 * Buttons (notes, or CCs sending 127/0): gate (held = max), toggle (each press flips),
 * trigger (each press fires a trigger parameter, or jumps to max), velocity (press sets the value
 * from the velocity; release leaves it).
 */
export type MidiMappingMode =
  | 'absolute'
  | 'relative-twos-complement'
  | 'relative-binary-offset'
  | 'relative-sign-magnitude'
  | 'gate'
  | 'toggle'
  | 'trigger'
  | 'velocity';
export const MIDI_MAPPING_MODES: readonly MidiMappingMode[] = [
  'absolute',
  'relative-twos-complement',
  'relative-binary-offset',
  'relative-sign-magnitude',
  'gate',
  'toggle',
  'trigger',
  'velocity',
];

const CURVES: readonly ParamCurve[] = ['linear', 'exp', 'log', 's-curve'];

export interface MidiControl {
  readonly kind: MidiControlKind;
  /** 0..15 (shown to people as 1..16). */
  readonly channel: number;
  /** CC 0..127 (cc14: the MSB controller 0..31), note 0..127, NRPN/RPN 0..16383; 0 for pitch bend and pressure. */
  readonly number: number;
}

export interface MidiMapping {
  readonly control: MidiControl;
  /** Parameter path in the bank, e.g. `/scene/veil/speed`. */
  readonly param: string;
  /** Input port name ('' = any port). Feedback goes to the output port of the same name. */
  readonly port?: string;
  readonly mode?: MidiMappingMode;
  /** Part of the parameter's 0..1 (normalised) range the control sweeps. Default 0..1. */
  readonly min?: number;
  readonly max?: number;
  /** Response of the control before the parameter's own curve. Default linear. */
  readonly curve?: ParamCurve;
  readonly invert?: boolean;
  /** jump: the value follows the control at once; pickup: ignored until the control crosses the current value. */
  readonly takeover?: 'jump' | 'pickup';
  /** Relative encoders: fraction of the range per step. Default 1/128. */
  readonly step?: number;
  /** Send the parameter's state back (LEDs, motor faders, encoder rings). Default true when a port is named. */
  readonly feedback?: boolean;
  /** Note/button feedback: values sent for on and off (LED colour or brightness). Default 127 / 0. */
  readonly onValue?: number;
  readonly offValue?: number;
}

export interface MidiMappingSet {
  readonly version: 1;
  readonly mappings: readonly MidiMapping[];
}

export interface ValidationResult {
  /** The usable mappings, with bad optional fields replaced by their defaults. */
  readonly mappings: MidiMapping[];
  /** One line per problem: which mapping, which field, what was wrong. */
  readonly problems: string[];
}

function show(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '...' : s;
  } catch {
    return String(v);
  }
}

function isInt(v: unknown, lo: number, hi: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
}

function numberLimit(kind: MidiControlKind): number {
  return kind === 'cc' || kind === 'note' ? 127 : kind === 'cc14' ? 31 : kind === 'nrpn' || kind === 'rpn' ? 16383 : 0;
}

/** The mode a control gets when nothing says otherwise. */
export function defaultMode(kind: MidiControlKind): MidiMappingMode {
  return kind === 'note' ? 'gate' : 'absolute';
}

/**
 * Check loaded JSON (a MidiMappingSet, or a bare array of mappings). Never throws: mappings
 * without a valid control or parameter are dropped, bad optional fields fall back to their
 * defaults, and every decision is listed in `problems`.
 */
export function validateMappings(input: unknown): ValidationResult {
  const problems: string[] = [];
  const mappings: MidiMapping[] = [];
  let list: unknown = input;
  if (input && typeof input === 'object' && !Array.isArray(input)) {
    const o = input as { version?: unknown; mappings?: unknown };
    if (o.version !== undefined && o.version !== 1) problems.push(`mapping set: version ${show(o.version)} is not 1; reading it as version 1`);
    list = o.mappings;
  }
  if (!Array.isArray(list)) {
    problems.push(`mapping set: expected {version: 1, mappings: [...]} or an array, got ${show(input)}`);
    return { mappings, problems };
  }
  const seen = new Map<string, number>();
  list.forEach((raw, i) => {
    const where = `mapping ${i}`;
    if (!raw || typeof raw !== 'object') {
      problems.push(`${where}: not an object (${show(raw)}); dropped`);
      return;
    }
    const m = raw as Record<string, unknown>;
    const c = m.control as Record<string, unknown> | undefined;
    if (!c || typeof c !== 'object') {
      problems.push(`${where}: missing "control"; dropped`);
      return;
    }
    const kind = c.kind as MidiControlKind;
    if (!MIDI_CONTROL_KINDS.includes(kind)) {
      problems.push(`${where}: control.kind ${show(c.kind)} is not one of ${MIDI_CONTROL_KINDS.join(', ')}; dropped`);
      return;
    }
    if (!isInt(c.channel, 0, 15)) {
      problems.push(`${where}: control.channel ${show(c.channel)} must be an integer 0..15; dropped`);
      return;
    }
    const lim = numberLimit(kind);
    const number = c.number === undefined && lim === 0 ? 0 : c.number;
    if (!isInt(number, 0, lim)) {
      problems.push(`${where}: control.number ${show(c.number)} must be an integer 0..${lim} for ${kind}; dropped`);
      return;
    }
    if (typeof m.param !== 'string' || !m.param.startsWith('/')) {
      problems.push(`${where}: param ${show(m.param)} must be a parameter path like "/scene/x/speed"; dropped`);
      return;
    }
    const out: { -readonly [K in keyof MidiMapping]: MidiMapping[K] } = {
      control: { kind, channel: c.channel, number },
      param: m.param,
    };
    if (m.port !== undefined) {
      if (typeof m.port === 'string') out.port = m.port;
      else problems.push(`${where}: port ${show(m.port)} must be a string; any port is used`);
    }
    if (m.mode !== undefined) {
      if (MIDI_MAPPING_MODES.includes(m.mode as MidiMappingMode)) out.mode = m.mode as MidiMappingMode;
      else problems.push(`${where}: mode ${show(m.mode)} is not one of ${MIDI_MAPPING_MODES.join(', ')}; ${defaultMode(kind)} is used`);
    }
    for (const f of ['min', 'max'] as const) {
      const v = m[f];
      if (v === undefined) continue;
      if (typeof v === 'number' && v >= 0 && v <= 1) out[f] = v;
      else problems.push(`${where}: ${f} ${show(v)} must be a number 0..1 (part of the parameter's range); ${f === 'min' ? 0 : 1} is used`);
    }
    if (m.curve !== undefined) {
      if (CURVES.includes(m.curve as ParamCurve)) out.curve = m.curve as ParamCurve;
      else problems.push(`${where}: curve ${show(m.curve)} is not one of ${CURVES.join(', ')}; linear is used`);
    }
    for (const f of ['invert', 'feedback'] as const) {
      const v = m[f];
      if (v === undefined) continue;
      if (typeof v === 'boolean') out[f] = v;
      else problems.push(`${where}: ${f} ${show(v)} must be true or false; ignored`);
    }
    if (m.takeover !== undefined) {
      if (m.takeover === 'jump' || m.takeover === 'pickup') out.takeover = m.takeover;
      else problems.push(`${where}: takeover ${show(m.takeover)} must be "jump" or "pickup"; jump is used`);
    }
    if (m.step !== undefined) {
      if (typeof m.step === 'number' && m.step > 0 && m.step <= 1) out.step = m.step;
      else problems.push(`${where}: step ${show(m.step)} must be a number in (0, 1]; 1/128 is used`);
    }
    for (const f of ['onValue', 'offValue'] as const) {
      const v = m[f];
      if (v === undefined) continue;
      if (isInt(v, 0, 127)) out[f] = v;
      else problems.push(`${where}: ${f} ${show(v)} must be an integer 0..127; ${f === 'onValue' ? 127 : 0} is used`);
    }
    const key = `${out.port ?? ''}|${controlKey(out.control)}`;
    const prev = seen.get(key);
    if (prev !== undefined) {
      problems.push(`${where}: the same control as mapping ${prev} (${describeControl(out.control)}); the later one is kept`);
      mappings[mappings.findIndex((x) => `${x.port ?? ''}|${controlKey(x.control)}` === key)] = out;
      return;
    }
    seen.set(key, i);
    mappings.push(out);
  });
  return { mappings, problems };
}

const KIND_CODE: Readonly<Record<MidiControlKind, number>> = { cc: 1, cc14: 2, nrpn: 3, rpn: 4, note: 5, pitchbend: 6, pressure: 7 };

/** Numeric key of a control on any port (kind, channel, number). */
export function controlKey(c: MidiControl): number {
  return (KIND_CODE[c.kind] * 16 + c.channel) * 16384 + c.number;
}

/** Keys stay small integers (V8 SMIs, so Map lookups allocate nothing): control keys are < 2^21. */
const PORT_KEY = 1 << 21;

function keyOf(kindCode: number, channel: number, number: number): number {
  return (kindCode * 16 + channel) * 16384 + number;
}

/** "CC 50 ch 1", "Note C3 ch 10", "Pitch bend ch 2" (1-based channels, as controllers print them). */
export function describeControl(c: MidiControl): string {
  const ch = `ch ${c.channel + 1}`;
  switch (c.kind) {
    case 'cc':
      return `CC ${c.number} ${ch}`;
    case 'cc14':
      return `CC ${c.number}/${c.number + 32} (14-bit) ${ch}`;
    case 'nrpn':
      return `NRPN ${c.number} ${ch}`;
    case 'rpn':
      return `RPN ${c.number} ${ch}`;
    case 'note':
      return `Note ${noteName(c.number)} ${ch}`;
    case 'pitchbend':
      return `Pitch bend ${ch}`;
    default:
      return `Pressure ${ch}`;
  }
}

const NOTE_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
export function noteName(n: number): string {
  return `${NOTE_NAMES[n % 12]}${Math.floor(n / 12) - 1}`;
}

// Mode codes for the hot path.
const M_ABS = 0;
const M_TWOS = 1;
const M_OFFSET = 2;
const M_SIGNMAG = 3;
const M_GATE = 4;
const M_TOGGLE = 5;
const M_TRIGGER = 6;
const M_VELOCITY = 7;
const MODE_CODE: Readonly<Record<MidiMappingMode, number>> = {
  absolute: M_ABS,
  'relative-twos-complement': M_TWOS,
  'relative-binary-offset': M_OFFSET,
  'relative-sign-magnitude': M_SIGNMAG,
  gate: M_GATE,
  toggle: M_TOGGLE,
  trigger: M_TRIGGER,
  velocity: M_VELOCITY,
};

/** A controller within this distance (of the 0..1 range) of the value picks it up. */
const PICKUP_TOLERANCE = 1.5 / 127;
/** Someone else moved the parameter when it differs from what we wrote by more than this. */
const MOVED_ELSEWHERE = 1e-4;

// Slots of the mapper's scratch doubles.
const F_POS = 0; // control position of the event, 0..1
const F_IN = 1; // input of forward()
const F_U = 2; // parameter normalised value to write
const F_CUR = 3; // parameter normalised value read
const F_OUT = 4; // output of inverse()
const F_X = 5; // curve input
const F_K = 6; // curve steepness
const F_Y = 7; // curve output

/** Decode one relative-encoder byte into signed steps. */
export function relativeSteps(mode: 'relative-twos-complement' | 'relative-binary-offset' | 'relative-sign-magnitude', v: number): number {
  return decodeRelative(MODE_CODE[mode], v);
}

function decodeRelative(code: number, v: number): number {
  if (code === M_TWOS) return v < 64 ? v : v - 128;
  if (code === M_OFFSET) return v - 64;
  return (v & 64) !== 0 ? -(v & 63) : v & 63;
}

/**
 * Applies mappings to a ParamBank. Compile-time work (paths → ids) happens in `setMappings`,
 * `setMapping` and when the bank's parameter set changes; `handle` and `applyAll` allocate nothing.
 */
export class MidiMapper {
  /** Events that matched a mapping and changed (or deliberately did not change) a parameter. */
  applied = 0;
  /** Events ignored by soft takeover while the control had not yet picked the value up. */
  heldByPickup = 0;
  /** Bumped whenever the list of mappings changes (UI re-lists, autosave writes). */
  version = 0;

  private specs: MidiMapping[] = [];
  private readonly portNames: string[] = [];
  private byKey = new Map<number, number>();
  private compiledFor = -1;
  private n = 0;
  private cap = 0;
  /** Per mapping (compiled). */
  param = new Int32Array(0);
  portSlot = new Int32Array(0);
  kind = new Uint8Array(0);
  channel = new Uint8Array(0);
  number = new Int32Array(0);
  private mode = new Uint8Array(0);
  private curve = new Uint8Array(0);
  private steep = new Float64Array(0);
  private lo = new Float64Array(0);
  private hi = new Float64Array(0);
  private invert = new Uint8Array(0);
  private pickup = new Uint8Array(0);
  private picked = new Uint8Array(0);
  private stepSize = new Float64Array(0);
  private isTrigger = new Uint8Array(0);
  /** The parameter as the bank stores it: slot offset, range, curve, steepness, step; -1 offset = not writable. */
  private pOffset = new Int32Array(0);
  private pMin = new Float64Array(0);
  private pMax = new Float64Array(0);
  private pCurve = new Uint8Array(0);
  private pSteep = new Float64Array(0);
  private pStep = new Float64Array(0);
  /** Normalised parameter value we last wrote (NaN: none), to notice moves from elsewhere. */
  private written = new Float64Array(0);
  /** Last control position seen (for pickup crossing), -1 when none. */
  private lastPos = new Float64Array(0);
  /** Relative encoders: position 0..1 in the mapping's own space. */
  private relPos = new Float64Array(0);
  /** Feedback: wants feedback, values for buttons, and the last value sent (-1 = never). */
  feedback = new Uint8Array(0);
  onValue = new Uint8Array(0);
  offValue = new Uint8Array(0);
  sentValue = new Int32Array(0);
  sentAt = new Float64Array(0);

  /** Scratch doubles shared by the hot-path helpers (see `handle`). */
  private readonly f = new Float64Array(8);

  constructor(private readonly bank: ParamBank) {}

  /** Numeric slot of an input port name (stable for the session); '' is slot -1 (any port). */
  portSlotOf(name: string): number {
    if (!name) return -1;
    let i = this.portNames.indexOf(name);
    if (i < 0) {
      i = this.portNames.length;
      this.portNames.push(name);
    }
    return i;
  }

  portName(slot: number): string {
    return this.portNames[slot] ?? '';
  }

  /** The mappings as plain JSON (for presets and autosave). */
  toJSON(): MidiMappingSet {
    return { version: 1, mappings: this.specs.slice() };
  }

  get mappings(): readonly MidiMapping[] {
    return this.specs;
  }

  /** Replace every mapping (from a preset or autosave); returns the validator's problems. */
  setMappings(input: unknown): string[] {
    const r = validateMappings(input);
    this.specs = r.mappings;
    this.version++;
    this.compile();
    return r.problems;
  }

  /**
   * Add a mapping. One control drives one parameter, and one parameter listens to one control
   * per port: an existing mapping of the same control, or of the same parameter, is replaced.
   */
  setMapping(m: MidiMapping): string[] {
    const r = validateMappings([m]);
    if (r.mappings.length === 0) return r.problems;
    const add = r.mappings[0];
    const key = controlKey(add.control);
    const port = add.port ?? '';
    this.specs = this.specs.filter((x) => !((x.port ?? '') === port && controlKey(x.control) === key) && !(x.param === add.param && (x.port ?? '') === port));
    this.specs.push(add);
    this.version++;
    this.compile();
    return r.problems;
  }

  /** Remove the mapping at `index` (as listed in `mappings`). */
  remove(index: number): void {
    if (index < 0 || index >= this.specs.length) return;
    this.specs = this.specs.filter((_, i) => i !== index);
    this.version++;
    this.compile();
  }

  /** Change fields of the mapping at `index` (the UI's invert / pickup / range edits). */
  update(index: number, patch: Partial<MidiMapping>): string[] {
    const old = this.specs[index];
    if (!old) return [`no mapping ${index}`];
    const r = validateMappings([{ ...old, ...patch }]);
    if (r.mappings.length === 0) return r.problems;
    this.specs = this.specs.map((x, i) => (i === index ? r.mappings[0] : x));
    this.version++;
    this.compile();
    return r.problems;
  }

  clear(): void {
    this.specs = [];
    this.version++;
    this.compile();
  }

  private grow(n: number): void {
    if (n <= this.cap) return;
    const c = Math.max(16, n, this.cap * 2);
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(c);
      b.set(a);
      return b;
    };
    const u8 = (a: Uint8Array) => {
      const b = new Uint8Array(c);
      b.set(a);
      return b;
    };
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(c);
      b.set(a);
      return b;
    };
    this.param = i32(this.param);
    this.portSlot = i32(this.portSlot);
    this.kind = u8(this.kind);
    this.channel = u8(this.channel);
    this.number = i32(this.number);
    this.mode = u8(this.mode);
    this.curve = u8(this.curve);
    this.steep = f64(this.steep);
    this.lo = f64(this.lo);
    this.hi = f64(this.hi);
    this.invert = u8(this.invert);
    this.pickup = u8(this.pickup);
    this.picked = u8(this.picked);
    this.stepSize = f64(this.stepSize);
    this.isTrigger = u8(this.isTrigger);
    this.pOffset = i32(this.pOffset);
    this.pMin = f64(this.pMin);
    this.pMax = f64(this.pMax);
    this.pCurve = u8(this.pCurve);
    this.pSteep = f64(this.pSteep);
    this.pStep = f64(this.pStep);
    this.written = f64(this.written);
    this.lastPos = f64(this.lastPos);
    this.relPos = f64(this.relPos);
    this.feedback = u8(this.feedback);
    this.onValue = u8(this.onValue);
    this.offValue = u8(this.offValue);
    this.sentValue = i32(this.sentValue);
    this.sentAt = f64(this.sentAt);
    this.cap = c;
  }

  /** Resolve paths to ids (again when the bank's parameters changed). Edge work: may allocate. */
  compile(): void {
    const list = this.specs;
    this.grow(list.length);
    this.byKey = new Map();
    this.n = list.length;
    for (let i = 0; i < list.length; i++) {
      const m = list[i];
      const id = this.bank.idOf(m.param);
      const decl = this.bank.declOf(id);
      this.param[i] = id;
      this.portSlot[i] = this.portSlotOf(m.port ?? '');
      this.kind[i] = KIND_CODE[m.control.kind];
      this.channel[i] = m.control.channel;
      this.number[i] = m.control.number;
      this.mode[i] = MODE_CODE[m.mode ?? defaultMode(m.control.kind)];
      const cc = curveCode(m.curve ?? 'linear');
      this.curve[i] = cc;
      this.steep[i] = curveSteepness(0, 1);
      this.lo[i] = m.min ?? 0;
      this.hi[i] = m.max ?? 1;
      this.invert[i] = m.invert ? 1 : 0;
      this.pickup[i] = m.takeover === 'pickup' ? 1 : 0;
      this.picked[i] = 0;
      this.stepSize[i] = m.step ?? 1 / 128;
      this.isTrigger[i] = decl?.type === 'trigger' ? 1 : 0;
      // Same normalised scale as bank.setNormalized/getNormalized (numbers take their curve and step;
      // booleans and enums are integers with step 1), read and written here without double-passing calls.
      const writable = decl !== undefined && decl.type !== 'color';
      this.pOffset[i] = writable ? this.bank.offsetOf(id) : -1;
      this.pMin[i] = decl?.min ?? 0;
      this.pMax[i] = decl?.max ?? 1;
      this.pCurve[i] = decl?.type === 'number' ? curveCode(decl.curve) : CURVE_LINEAR;
      this.pSteep[i] = curveSteepness(decl?.min ?? 0, decl?.max ?? 1);
      this.pStep[i] = decl?.type === 'number' ? decl.step : decl?.type === 'boolean' || decl?.type === 'enum' ? 1 : 0;
      this.written[i] = Number.NaN;
      this.lastPos[i] = -1;
      this.relPos[i] = Number.NaN;
      this.feedback[i] = (m.feedback ?? !!m.port) && decl?.type !== 'color' ? 1 : 0;
      this.onValue[i] = m.onValue ?? 127;
      this.offValue[i] = m.offValue ?? 0;
      this.sentValue[i] = -1;
      this.sentAt[i] = -Infinity;
      const key = (this.portSlot[i] + 1) * PORT_KEY + keyOf(this.kind[i], this.channel[i], this.number[i]);
      this.byKey.set(key, i);
    }
    this.compiledFor = this.bank.version;
  }

  get count(): number {
    return this.n;
  }

  /** Index of the mapping an event drives (port-specific first, then any-port), or -1. */
  find(kindCode: number, channel: number, number: number, portSlot: number): number {
    if (this.compiledFor !== this.bank.version) this.compile();
    const k = keyOf(kindCode, channel, number);
    if (portSlot >= 0) {
      const i = this.byKey.get((portSlot + 1) * PORT_KEY + k);
      if (i !== undefined) return i;
    }
    const j = this.byKey.get(k);
    return j === undefined ? -1 : j;
  }

  /**
   * Apply one parsed event; returns true when a mapping took it. Allocates nothing: doubles move
   * between the helpers through `f` (V8 boxes a double passed to or returned from a call it does
   * not inline), and the helpers take and return only small integers.
   */
  handle(e: MidiEvent): boolean {
    const t = e.type;
    const f = this.f;
    let kc = 0;
    let num = e.number;
    let press = -1; // 1 press, 0 release, -1 not a button event
    switch (t) {
      case MidiEventType.ControlChange:
        kc = 1;
        f[F_POS] = e.value / 127;
        press = e.value >= 64 ? 1 : 0;
        break;
      case MidiEventType.ControlChange14:
        kc = 2;
        f[F_POS] = e.value / 16383;
        press = e.value >= 8192 ? 1 : 0;
        break;
      case MidiEventType.Nrpn:
      case MidiEventType.Rpn:
        kc = t === MidiEventType.Nrpn ? 3 : 4;
        f[F_POS] = e.value / 16383;
        break;
      case MidiEventType.NoteOn:
        kc = 5;
        f[F_POS] = e.value / 127;
        press = 1;
        break;
      case MidiEventType.NoteOff:
        kc = 5;
        f[F_POS] = 0;
        press = 0;
        break;
      case MidiEventType.PitchBend:
        kc = 6;
        num = 0;
        f[F_POS] = e.value / 16383;
        break;
      case MidiEventType.ChannelPressure:
        kc = 7;
        num = 0;
        f[F_POS] = e.value / 127;
        break;
      default:
        return false;
    }
    const i = this.find(kc, e.channel, num, e.port);
    if (i < 0) return false;
    const id = this.param[i];
    if (id < 0 || this.pOffset[i] < 0) return false;
    const mode = this.mode[i];
    if ((t === MidiEventType.Nrpn || t === MidiEventType.Rpn) && e.delta !== 0) return this.step(i, id, e.delta);
    if (mode === M_ABS) return this.absolute(i, id);
    if (mode <= M_SIGNMAG) {
      if (kc !== 1) return this.absolute(i, id); // relative decoding is for 7-bit CC bytes
      return this.step(i, id, decodeRelative(mode, e.value));
    }
    if (press < 0) return this.absolute(i, id);
    return this.button(i, id, mode, press);
  }

  /** f[F_U] = parameter's normalised value for mapping position f[F_IN] (curve, invert, range). */
  private forward(i: number): void {
    const f = this.f;
    f[F_X] = f[F_IN];
    f[F_K] = this.steep[i];
    this.shapeFwd(this.curve[i]);
    let s = f[F_Y];
    if (this.invert[i] === 1) s = 1 - s;
    f[F_U] = this.lo[i] + (this.hi[i] - this.lo[i]) * s;
  }

  /** f[F_OUT] = mapping position 0..1 of parameter value f[F_CUR] (for pickup, encoders, feedback). */
  private inverse(i: number): void {
    const f = this.f;
    const span = this.hi[i] - this.lo[i];
    let s = span === 0 ? 0 : (f[F_CUR] - this.lo[i]) / span;
    if (this.invert[i] === 1) s = 1 - s;
    f[F_X] = s < 0 ? 0 : s > 1 ? 1 : s;
    f[F_K] = this.steep[i];
    this.shapeInv(this.curve[i]);
    f[F_OUT] = f[F_Y];
  }

  // The curves of engine/params/curves.ts (shapeForward/shapeInverse), on the scratch slots so no
  // double crosses a call: f[F_Y] = curve(f[F_X]) with steepness f[F_K].
  private shapeFwd(code: number): void {
    const f = this.f;
    const x = f[F_X] < 0 ? 0 : f[F_X] > 1 ? 1 : f[F_X];
    const k = f[F_K];
    f[F_Y] = code === CURVE_EXP ? Math.expm1(k * x) / Math.expm1(k) : code === CURVE_LOG ? 1 - Math.expm1(k * (1 - x)) / Math.expm1(k) : code === CURVE_S ? x * x * (3 - 2 * x) : x;
  }

  private shapeInv(code: number): void {
    const f = this.f;
    const y = f[F_X] < 0 ? 0 : f[F_X] > 1 ? 1 : f[F_X];
    const k = f[F_K];
    f[F_Y] =
      code === CURVE_EXP
        ? Math.log1p(y * Math.expm1(k)) / k
        : code === CURVE_LOG
          ? 1 - Math.log1p((1 - y) * Math.expm1(k)) / k
          : code === CURVE_S
            ? 0.5 - Math.sin(Math.asin(1 - 2 * y) / 3)
            : y;
  }

  /** f[F_CUR] = the parameter's normalised value (as bank.getNormalized). */
  private readParam(i: number): void {
    const f = this.f;
    const lo = this.pMin[i];
    const span = this.pMax[i] - lo;
    if (!(span > 0)) {
      f[F_CUR] = 0;
      return;
    }
    f[F_X] = (this.bank.values[this.pOffset[i]] - lo) / span;
    f[F_K] = this.pSteep[i];
    this.shapeInv(this.pCurve[i]);
    f[F_CUR] = f[F_Y];
  }

  /** Store normalised value f[F_U] into the parameter (as bank.setNormalized: curve, step, clamp). */
  private writeParam(i: number, id: ParamId): void {
    const f = this.f;
    if (this.isTrigger[i] === 1) {
      if (f[F_U] >= 0.5) this.bank.fire(id);
      return;
    }
    const lo = this.pMin[i];
    const hi = this.pMax[i];
    f[F_X] = f[F_U];
    f[F_K] = this.pSteep[i];
    this.shapeFwd(this.pCurve[i]);
    let x = lo + (hi - lo) * f[F_Y];
    const st = this.pStep[i];
    if (st > 0) x = lo + Math.round((x - lo) / st) * st;
    this.bank.values[this.pOffset[i]] = x < lo ? lo : x > hi ? hi : x;
  }

  /** Mapping position of normalised parameter value `u` (edge use: UI, tests). */
  positionOf(i: number, u: number): number {
    this.f[F_CUR] = u;
    this.inverse(i);
    return this.f[F_OUT];
  }

  /** Write f[F_U] to the parameter. */
  private write(i: number, id: ParamId): boolean {
    const f = this.f;
    this.writeParam(i, id);
    this.readParam(i);
    this.written[i] = f[F_CUR];
    this.applied++;
    // The controller already shows this state: no feedback echo (motor faders would fight the hand).
    this.sentValue[i] = this.feedbackValue(i);
    return true;
  }

  private movedElsewhere(i: number, id: ParamId): boolean {
    const f = this.f;
    this.readParam(i);
    const w = this.written[i];
    return w !== w || Math.abs(f[F_CUR] - w) > MOVED_ELSEWHERE;
  }

  private absolute(i: number, id: ParamId): boolean {
    const f = this.f;
    if (this.pickup[i] === 1) {
      if (this.picked[i] === 1 && this.movedElsewhere(i, id)) this.picked[i] = 0;
      if (this.picked[i] === 0) {
        this.readParam(i);
        this.inverse(i);
        const target = f[F_OUT];
        const pos = f[F_POS];
        const last = this.lastPos[i];
        const near = Math.abs(pos - target) <= PICKUP_TOLERANCE;
        const crossed = last >= 0 && (last - target) * (pos - target) <= 0;
        this.lastPos[i] = pos;
        if (!near && !crossed) {
          this.heldByPickup++;
          return true;
        }
        this.picked[i] = 1;
      }
    }
    this.lastPos[i] = f[F_POS];
    f[F_IN] = f[F_POS];
    this.forward(i);
    return this.write(i, id);
  }

  private step(i: number, id: ParamId, steps: number): boolean {
    const f = this.f;
    let p = this.relPos[i];
    if (p !== p || this.movedElsewhere(i, id)) {
      this.readParam(i);
      this.inverse(i);
      p = f[F_OUT];
    }
    p += steps * this.stepSize[i];
    p = p < 0 ? 0 : p > 1 ? 1 : p;
    this.relPos[i] = p;
    f[F_IN] = p;
    this.forward(i);
    return this.write(i, id);
  }

  private button(i: number, id: ParamId, mode: number, press: number): boolean {
    const f = this.f;
    if (mode === M_GATE) {
      f[F_IN] = press;
      this.forward(i);
      return this.write(i, id);
    }
    if (press === 0) return true;
    if (mode === M_TOGGLE) {
      this.readParam(i);
      this.inverse(i);
      f[F_IN] = f[F_OUT] >= 0.5 ? 0 : 1;
      this.forward(i);
      return this.write(i, id);
    }
    if (mode === M_TRIGGER) {
      if (this.isTrigger[i] === 1) {
        this.bank.fire(id);
        this.applied++;
        return true;
      }
      f[F_IN] = 1;
      this.forward(i);
      return this.write(i, id);
    }
    f[F_IN] = f[F_POS]; // velocity
    this.forward(i);
    return this.write(i, id);
  }

  /** The value the control should show for its parameter's state (7-bit, or 14-bit for cc14/nrpn/rpn/pitch bend). */
  feedbackValue(i: number): number {
    if (this.pOffset[i] < 0) return 0;
    this.readParam(i);
    this.inverse(i);
    const pos = this.f[F_OUT];
    const kc = this.kind[i];
    const mode = this.mode[i];
    if (mode === M_GATE || mode === M_TOGGLE || mode === M_TRIGGER) {
      if (this.isTrigger[i] === 1) return this.bank.values[this.pOffset[i]] > 0 ? this.onValue[i] : this.offValue[i];
      return pos >= 0.5 ? this.onValue[i] : this.offValue[i];
    }
    const wide = kc === 2 || kc === 3 || kc === 4 || kc === 6;
    return Math.round(pos * (wide ? 16383 : 127));
  }
}
