/**
 * Type-tag coercion: an OSC message's arguments turned into the numbers an address takes
 * (native value, normalised position, colour components, enum index, scene index). Runs
 * in the bridge, so the page receives plain numbers and never parses strings.
 */
import type { OscMessage } from './codec.ts';
import { COMMANDS, EntryKind, type OscAddressSpace } from './address-space.ts';

export const CoerceError = {
  NoArgs: -1,
  WrongType: -2,
  UnknownOption: -3,
  NotFinite: -4,
  WrongCount: -5,
} as const;

export const COERCE_ERROR_TEXT: Readonly<Record<number, string>> = {
  [-1]: 'needs an argument',
  [-2]: 'argument type does not fit this address',
  [-3]: 'no such option or scene',
  [-4]: 'value is not a finite number',
  [-5]: 'a colour needs three numbers (r g b, 0..1), one r (RGBA) or a "#rrggbb" string',
};

const T_I = 0x69;
const T_F = 0x66;
const T_D = 0x64;
const T_H = 0x68;
const T_S = 0x73;
const T_SS = 0x53;
const T_TRUE = 0x54;
const T_FALSE = 0x46;
const T_NIL = 0x4e;
const T_IMPULSE = 0x49;
const T_RGBA = 0x72;

function isNumberTag(t: number): boolean {
  return t === T_I || t === T_F || t === T_D || t === T_H;
}

function parseHexColor(s: string, out: Float64Array): boolean {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(s.trim());
  if (!m) return false;
  let h = m[1];
  if (h.length === 3) h = h[0] + h[0] + h[1] + h[1] + h[2] + h[2];
  out[0] = parseInt(h.slice(0, 2), 16) / 255;
  out[1] = parseInt(h.slice(2, 4), 16) / 255;
  out[2] = parseInt(h.slice(4, 6), 16) / 255;
  return true;
}

/** A boolean from the first argument: T/F, numbers (>= 0.5 on), or on/off/true/false/1/0 strings. */
function readBool(msg: OscMessage): number {
  if (msg.argc === 0) return CoerceError.NoArgs;
  const t = msg.tags[0];
  if (t === T_TRUE) return 1;
  if (t === T_FALSE) return 0;
  if (isNumberTag(t)) {
    const x = msg.nums[0];
    if (!Number.isFinite(x)) return CoerceError.NotFinite;
    return x >= 0.5 ? 1 : 0;
  }
  if (t === T_S || t === T_SS) {
    const s = (msg.strs[0] ?? '').trim().toLowerCase();
    if (s === 'on' || s === 'true' || s === '1') return 1;
    if (s === 'off' || s === 'false' || s === '0') return 0;
    return CoerceError.WrongType;
  }
  return CoerceError.WrongType;
}

/** A plain number from the first argument (i, f, d, h; T/F as 1/0 only when `bools`). */
function readNumber(msg: OscMessage, out: Float64Array, bools: boolean): number {
  if (msg.argc === 0) return CoerceError.NoArgs;
  const t = msg.tags[0];
  if (isNumberTag(t)) {
    const x = msg.nums[0];
    if (!Number.isFinite(x)) return CoerceError.NotFinite;
    out[0] = x;
    return 1;
  }
  if (bools && (t === T_TRUE || t === T_FALSE)) {
    out[0] = t === T_TRUE ? 1 : 0;
    return 1;
  }
  return CoerceError.WrongType;
}

/** A bang: no argument, N, I or T fire; F or a number <= 0 does not (value 0). */
function readBang(msg: OscMessage, out: Float64Array): number {
  if (msg.argc === 0) {
    out[0] = 1;
    return 1;
  }
  const t = msg.tags[0];
  if (t === T_NIL || t === T_IMPULSE || t === T_TRUE) out[0] = 1;
  else if (t === T_FALSE) out[0] = 0;
  else if (isNumberTag(t)) out[0] = msg.nums[0] > 0 ? 1 : 0;
  else if (t === T_S || t === T_SS) out[0] = 1;
  else return CoerceError.WrongType;
  return 1;
}

/**
 * A preset slot's own address: a bang (no argument, N, I or T fire; F does not), except that any
 * number but 0 fires (a button that sends 1 on press and 0 on release fires once) and a string
 * is refused (a slot is not a label).
 */
function readSlotBang(msg: OscMessage, out: Float64Array): number {
  const t = msg.argc === 0 ? -1 : msg.tags[0];
  if (isNumberTag(t)) {
    const x = msg.nums[0];
    if (x !== x) return CoerceError.NotFinite;
    out[0] = x !== 0 ? 1 : 0;
    return 1;
  }
  if (t === T_S || t === T_SS) return CoerceError.WrongType;
  return readBang(msg, out);
}

/** The value of an `/ext/<name>` message: one number (i, f, d, h) or T/F as 1/0. */
export function coerceExt(msg: OscMessage, out: Float64Array): number {
  return readNumber(msg, out, true);
}

/** One of `options`, by name (string argument) or by index (a number): its index into `out[0]`. */
function readOption(msg: OscMessage, options: readonly string[], out: Float64Array): number {
  if (msg.argc === 0) return CoerceError.NoArgs;
  const t = msg.tags[0];
  if (t === T_S || t === T_SS) {
    const idx = options.indexOf((msg.strs[0] ?? '').trim());
    if (idx < 0) return CoerceError.UnknownOption;
    out[0] = idx;
    return 1;
  }
  const n = readNumber(msg, out, false);
  if (n < 0) return n;
  const idx = Math.round(out[0]);
  if (idx < 0 || idx >= options.length) return CoerceError.UnknownOption;
  out[0] = idx;
  return 1;
}

/**
 * Coerce `msg` for entry `entry` of `space` into `out` (length >= 3). Returns how many values
 * were written (1, or 3 for a colour), or a negative CoerceError.
 */
export function coerceArgs(space: OscAddressSpace, entry: number, msg: OscMessage, out: Float64Array): number {
  const e = space.entries[entry];
  if (e === undefined) return CoerceError.WrongType;
  if (e.kind === EntryKind.Slot) return readSlotBang(msg, out);
  if (e.kind === EntryKind.Command) {
    const c = COMMANDS[e.command];
    if (c.arg === 'bang') return readBang(msg, out);
    if (c.arg === 'scene') return readOption(msg, space.sceneIds, out);
    if (c.arg === 'preset') return readPresetArg(msg, out);
    return readNumber(msg, out, false);
  }
  const p = space.params[e.param];
  if (e.kind === EntryKind.Norm) {
    if (p.type === 'color') return CoerceError.WrongType;
    if (p.type === 'trigger') return readBang(msg, out);
    return readNumber(msg, out, true);
  }
  switch (p.type) {
    case 'number':
      return readNumber(msg, out, false);
    case 'boolean': {
      const b = readBool(msg);
      if (b < 0) return b;
      out[0] = b;
      return 1;
    }
    case 'trigger':
      return readBang(msg, out);
    case 'enum':
      return readOption(msg, p.options, out);
    case 'color': {
      if (msg.argc === 0) return CoerceError.NoArgs;
      const t = msg.tags[0];
      if (t === T_RGBA) {
        const v = msg.nums[0];
        out[0] = ((v >>> 24) & 255) / 255;
        out[1] = ((v >>> 16) & 255) / 255;
        out[2] = ((v >>> 8) & 255) / 255;
        return 3;
      }
      if (t === T_S || t === T_SS) return parseHexColor(msg.strs[0] ?? '', out) ? 3 : CoerceError.WrongCount;
      if (msg.argc < 3) return CoerceError.WrongCount;
      for (let k = 0; k < 3; k++) {
        if (!isNumberTag(msg.tags[k])) return CoerceError.WrongType;
        const x = msg.nums[k];
        if (!Number.isFinite(x)) return CoerceError.NotFinite;
        out[k] = x;
      }
      return 3;
    }
    default:
      return CoerceError.WrongType;
  }
}

/**
 * `/engine/preset`: a slot index (a whole number >= 0) as itself, or a preset name as
 * `presetNameValue(name)` (negative). Records carry numbers only and the bridge does not know the
 * page's preset names, so the page matches names by this code.
 */
function readPresetArg(msg: OscMessage, out: Float64Array): number {
  if (msg.argc === 0) return CoerceError.NoArgs;
  const t = msg.tags[0];
  if (t === T_S || t === T_SS) {
    const name = (msg.strs[0] ?? '').trim();
    if (name === '') return CoerceError.UnknownOption;
    out[0] = presetNameValue(name);
    return 1;
  }
  const n = readNumber(msg, out, false);
  if (n < 0) return n;
  const idx = Math.round(out[0]);
  if (idx < 0) return CoerceError.UnknownOption;
  out[0] = idx;
  return 1;
}

/** The record value of a preset name: -(1 + FNV-1a 32-bit hash of the name), exact in a double. */
export function presetNameValue(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return -1 - (h >>> 0);
}
