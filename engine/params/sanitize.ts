/**
 * Parsing of loosely typed values arriving at the edges (presets, OSC, UI text fields) into
 * the bank's numeric form. Each parser returns a result with a readable message instead of
 * throwing. These allocate; the hot path (set by id) never calls them for plain numbers.
 */

export type Parsed<T> = { readonly ok: true; readonly value: T; readonly note?: string } | { readonly ok: false; readonly message: string };

/** Short, safe rendering of any value for messages (never throws, bounded length). */
export function show(value: unknown): string {
  let s: string;
  try {
    if (typeof value === 'string') s = JSON.stringify(value);
    else if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) s = String(value);
    else if (typeof value === 'bigint') s = `${value}n`;
    else if (typeof value === 'function' || typeof value === 'symbol') s = typeof value;
    else if (ArrayBuffer.isView(value)) s = `[${Array.from(value as unknown as ArrayLike<number>).slice(0, 4).join(', ')}]`;
    else s = JSON.stringify(value) ?? String(value);
  } catch {
    s = Object.prototype.toString.call(value);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** A finite number from a number or a numeric string ("0.5", " 3 ", "1e3"). */
export function parseNumber(value: unknown): Parsed<number> {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return { ok: true, value };
    return { ok: false, message: `${show(value)} is not a finite number` };
  }
  if (typeof value === 'string') {
    const t = value.trim();
    const n = t === '' ? Number.NaN : Number(t);
    if (Number.isFinite(n)) return { ok: true, value: n };
    return { ok: false, message: `${show(value)} is not a number` };
  }
  if (Array.isArray(value) && value.length === 1) return parseNumber(value[0]); // an OSC message with one argument
  return { ok: false, message: `expected a number, got ${show(value)}` };
}

const TRUE_WORDS = new Set(['true', 'on', 'yes', '1']);
const FALSE_WORDS = new Set(['false', 'off', 'no', '0']);

/** A boolean from true/false, a number (>= 0.5 is on, as a 0..1 control), or true/false/on/off/yes/no/1/0. */
export function parseBoolean(value: unknown): Parsed<boolean> {
  if (typeof value === 'boolean') return { ok: true, value };
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { ok: false, message: 'NaN is not on or off' };
    return { ok: true, value: value >= 0.5 };
  }
  if (typeof value === 'string') {
    const t = value.trim().toLowerCase();
    if (TRUE_WORDS.has(t)) return { ok: true, value: true };
    if (FALSE_WORDS.has(t)) return { ok: true, value: false };
    return { ok: false, message: `${show(value)} is not a boolean (use true/false, on/off, yes/no or 1/0)` };
  }
  if (Array.isArray(value) && value.length === 1) return parseBoolean(value[0]);
  return { ok: false, message: `expected a boolean, got ${show(value)}` };
}

/** An option index from an option name (exact, then case-insensitive) or an index (number or numeric string). */
export function parseEnum(value: unknown, options: readonly string[]): Parsed<number> {
  if (Array.isArray(value) && value.length === 1) return parseEnum(value[0], options);
  const list = options.length <= 8 ? options.join(', ') : `${options.slice(0, 8).join(', ')}, ...`;
  if (typeof value === 'string') {
    const exact = options.indexOf(value);
    if (exact >= 0) return { ok: true, value: exact };
    const lower = value.trim().toLowerCase();
    for (let i = 0; i < options.length; i++) if (options[i].toLowerCase() === lower) return { ok: true, value: i };
    const n = lower === '' ? Number.NaN : Number(lower);
    if (!Number.isFinite(n)) return { ok: false, message: `${show(value)} is not one of: ${list}` };
    value = n;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { ok: false, message: `${show(value)} is not an option index` };
    const idx = Math.round(value);
    if (idx < 0 || idx >= options.length) {
      const c = idx < 0 ? 0 : options.length - 1;
      return { ok: true, value: c, note: `option index ${show(value)} out of range 0..${options.length - 1}, clamped to ${c}` };
    }
    return { ok: true, value: idx };
  }
  return { ok: false, message: `expected an option name or index (${list}), got ${show(value)}` };
}

export type Rgb = [number, number, number];

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/**
 * An RGB colour, components 0..1, from '#rgb' / '#rrggbb' / '#rrggbbaa' (alpha ignored),
 * [r, g, b] (or a typed array) or {r, g, b}. Out-of-range components are clamped (with a note);
 * non-finite ones are refused.
 */
export function parseColor(value: unknown): Parsed<Rgb> {
  if (typeof value === 'string') {
    const m = HEX.exec(value.trim());
    if (!m) return { ok: false, message: `${show(value)} is not a colour (use #rgb, #rrggbb or [r, g, b] in 0..1)` };
    let h = m[1];
    if (h.length === 3) h = h[0] + h[0] + h[1] + h[1] + h[2] + h[2];
    return {
      ok: true,
      value: [parseInt(h.slice(0, 2), 16) / 255, parseInt(h.slice(2, 4), 16) / 255, parseInt(h.slice(4, 6), 16) / 255],
    };
  }
  let parts: unknown[] | null = null;
  if (Array.isArray(value)) parts = value;
  else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) parts = Array.from(value as unknown as ArrayLike<number>);
  else if (value !== null && typeof value === 'object' && 'r' in value && 'g' in value && 'b' in value) {
    const o = value as { r: unknown; g: unknown; b: unknown };
    parts = [o.r, o.g, o.b];
  }
  if (parts === null || parts.length < 3 || parts.length > 4) {
    return { ok: false, message: `expected a colour (#rrggbb, [r, g, b] or {r, g, b} in 0..1), got ${show(value)}` };
  }
  const rgb: Rgb = [0, 0, 0];
  let clamped = false;
  for (let i = 0; i < 3; i++) {
    const p = parseNumber(parts[i]);
    if (!p.ok) return { ok: false, message: `colour component ${'rgb'[i]}: ${p.message}` };
    const c = p.value < 0 ? 0 : p.value > 1 ? 1 : p.value;
    if (c !== p.value) clamped = true;
    rgb[i] = c;
  }
  return clamped ? { ok: true, value: rgb, note: `colour ${show(value)} out of 0..1, clamped` } : { ok: true, value: rgb };
}

/** '#rrggbb' for a colour with components 0..1. */
export function toHex(r: number, g: number, b: number): string {
  const h = (c: number): string => {
    const v = Math.round((c < 0 ? 0 : c > 1 ? 1 : c) * 255);
    return (v < 16 ? '0' : '') + v.toString(16);
  };
  return `#${h(r)}${h(g)}${h(b)}`;
}
