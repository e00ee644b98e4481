/**
 * Defences against hostile or broken files, before any field is read: a byte cap on text, a
 * nesting-depth scan that runs before `JSON.parse` (so deep nesting never reaches a recursive
 * parser or validator), an element cap, and helpers that read only own fields and never copy
 * prototype-polluting keys.
 */
import { at, show, type ProblemList } from './problems.ts';

export interface Limits {
  /** Most UTF-8 bytes of text read. */
  readonly maxBytes: number;
  /** Deepest nesting of arrays and objects. */
  readonly maxDepth: number;
  /** Most array items plus object fields, counted over the whole tree. */
  readonly maxElements: number;
}

/** Keys that could reach an object's prototype when copied. Never copied. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** An own field of an object (inherited ones such as `constructor` read as undefined). */
export function own(o: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

export function hasOwn(o: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function mib(bytes: number): string {
  const t = (x: number): string => x.toFixed(1).replace(/\.0$/, '');
  return bytes >= 1 << 20 ? `${t(bytes / (1 << 20))} MiB` : `${t(bytes / 1024)} KiB`;
}

/** UTF-8 length of a string, stopping early once past `cap`. */
export function utf8Length(s: string, cap = Infinity): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
    if (n > cap) return n;
  }
  return n;
}

/** Deepest bracket nesting of JSON text (brackets inside strings do not count); stops past `cap`. */
export function jsonDepth(text: string, cap = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > cap) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/**
 * Parse JSON text within the limits. Returns the value, or undefined after adding one
 * problem saying why the text cannot be read. Never throws.
 */
export function parseJsonText(text: unknown, limits: Limits, what: string, problems: ProblemList): { ok: true; value: unknown } | { ok: false } {
  if (typeof text !== 'string') {
    problems.add('', `${what} must be JSON text, got ${show(text)}`);
    return { ok: false };
  }
  // Every character is at least one byte: the cheap check first.
  if (text.length > limits.maxBytes || utf8Length(text, limits.maxBytes) > limits.maxBytes) {
    problems.add('', `${what} is larger than ${mib(limits.maxBytes)} (${mib(utf8Length(text))}); refused`);
    return { ok: false };
  }
  const depth = jsonDepth(text, limits.maxDepth);
  if (depth > limits.maxDepth) {
    problems.add('', `${what} is nested deeper than ${limits.maxDepth} levels; refused`);
    return { ok: false };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    problems.add('', `${what} is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    return { ok: false };
  }
}

/**
 * Check an already parsed value against the depth and element caps without recursion (cycles
 * count as too deep). Adds one problem and returns false when over a cap.
 */
export function withinLimits(value: unknown, limits: Limits, what: string, problems: ProblemList): boolean {
  const stack: unknown[] = [value];
  const depths: number[] = [0];
  let elements = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    const d = depths.pop() as number;
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > limits.maxDepth) {
      problems.add('', `${what} is nested deeper than ${limits.maxDepth} levels; refused`);
      return false;
    }
    if (ArrayBuffer.isView(v)) continue;
    const keys = Array.isArray(v) ? null : Object.keys(v);
    const n = keys === null ? (v as unknown[]).length : keys.length;
    elements += n;
    if (elements > limits.maxElements) {
      problems.add('', `${what} has more than ${limits.maxElements} values; refused`);
      return false;
    }
    for (let i = 0; i < n; i++) {
      stack.push(keys === null ? (v as unknown[])[i] : (v as Record<string, unknown>)[keys[i]]);
      depths.push(d + 1);
    }
  }
  return true;
}

/**
 * A plain-JSON copy of an opaque value (outputs, unknown-to-us settings): forbidden keys, non-finite
 * numbers and non-JSON values are dropped and reported. Depth is bounded by the caller's limits check.
 */
export function plainCopy(value: unknown, path: string, problems: ProblemList, depth = 0, maxDepth = 64): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    problems.add(path, `${String(value)} is not a finite number; dropped`);
    return undefined;
  }
  if (depth >= maxDepth) {
    problems.add(path, `nested deeper than ${maxDepth} levels; dropped`);
    return undefined;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const c = plainCopy(value[i], at(path, i), problems, depth + 1, maxDepth);
      out.push(c === undefined ? null : c);
    }
    return out;
  }
  if (isRecord(value) && !ArrayBuffer.isView(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      const p = at(path, k);
      if (isForbiddenKey(k)) {
        problems.add(p, `the key ${show(k)} is not allowed; dropped`);
        continue;
      }
      const c = plainCopy(value[k], p, problems, depth + 1, maxDepth);
      if (c !== undefined) out[k] = c;
    }
    return out;
  }
  problems.add(path, `${show(value)} is not JSON data; dropped`);
  return undefined;
}
