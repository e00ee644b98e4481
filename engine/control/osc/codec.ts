/**
 * OSC 1.0 packets (messages and bundles) decoded and encoded without throwing: a malformed
 * packet yields an error code that callers count and report. Decoding reuses one message
 * object and typed argument arrays; only the address and string arguments become strings.
 */

/** Milliseconds between the NTP epoch (1900) and the Unix epoch (1970). */
const NTP_UNIX_OFFSET_MS = 2_208_988_800_000;
/** The OSC "immediately" time tag (0x00000000_00000001), as decoded: -1 ms. */
export const IMMEDIATE = -1;

export const OscError = {
  None: 0,
  Empty: 1,
  NotAligned: 2,
  BadAddress: 3,
  NoTypeTags: 4,
  Truncated: 5,
  UnknownTag: 6,
  BadBundle: 7,
  TooDeep: 8,
  TooManyArgs: 9,
} as const;
export type OscErrorCode = (typeof OscError)[keyof typeof OscError];

export const OSC_ERROR_TEXT: readonly string[] = [
  'ok',
  'empty packet',
  'size is not a multiple of 4 bytes',
  'address does not start with "/" or is not terminated',
  'no type tag string (legacy untyped messages are not accepted)',
  'truncated argument or string',
  'unsupported type tag',
  'malformed bundle (bad header or element size)',
  'bundles nested too deep',
  'too many arguments',
];

/** Most arguments a message may carry here (colours need 3; a few more for tolerance). */
export const MAX_ARGS = 16;
const MAX_DEPTH = 8;

/** One decoded message, reused: read it inside the callback, copy what you keep. */
export class OscMessage {
  address = '';
  argc = 0;
  /** Type tag of each argument as a char code ('f' = 102, ...). */
  readonly tags = new Uint8Array(MAX_ARGS);
  /** Numeric value of each argument (f, d, i, h, t as ms, T=1, F=0, N/I=0, r packed RGBA). */
  readonly nums = new Float64Array(MAX_ARGS);
  /** String value of s/S arguments (null for others). */
  readonly strs: (string | null)[] = new Array<string | null>(MAX_ARGS).fill(null);
  /** Time tag of the enclosing bundle in Unix ms, or IMMEDIATE. */
  timeMs = IMMEDIATE;
}

export type OscVisitor = (msg: OscMessage) => void;

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Byte index of the NUL ending a string at `at`, or -1 when none before `end`. */
function nulAt(b: Uint8Array, at: number, end: number): number {
  for (let i = at; i < end; i++) if (b[i] === 0) return i;
  return -1;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

export function ntpToUnixMs(seconds: number, fraction: number): number {
  if (seconds === 0 && fraction === 1) return IMMEDIATE;
  return seconds * 1000 + (fraction / 4294967296) * 1000 - NTP_UNIX_OFFSET_MS;
}

/** Most distinct addresses remembered by a decoder (a random flood must not grow memory). */
const ADDRESS_CACHE_SIZE = 4096;

/**
 * Decodes OSC packets and calls the visitor for every message (bundles are walked, each
 * message gets its bundle's time tag). A bad element stops the packet: messages already
 * visited stand, the error code is returned.
 */
export class OscDecoder {
  private readonly msg = new OscMessage();
  private view: DataView = new DataView(new ArrayBuffer(0));
  /** Addresses seen before, by a hash of their bytes: a repeated address reuses its string (no allocation). */
  private readonly addresses = new Map<number, { bytes: Uint8Array; text: string }>();

  /** The address at b[at..end) as a string, reused when these bytes were seen before. */
  private address(b: Uint8Array, at: number, end: number): string {
    let h = 0x811c9dc5;
    for (let i = at; i < end; i++) h = Math.imul(h ^ b[i], 0x01000193);
    const hit = this.addresses.get(h);
    if (hit !== undefined && hit.bytes.length === end - at) {
      let same = true;
      for (let i = 0; i < hit.bytes.length; i++) {
        if (hit.bytes[i] !== b[at + i]) {
          same = false;
          break;
        }
      }
      if (same) return hit.text;
    }
    const text = utf8.decode(b.subarray(at, end));
    if (hit === undefined) {
      // a flood of random addresses starts the cache over rather than growing it
      if (this.addresses.size >= ADDRESS_CACHE_SIZE) this.addresses.clear();
      this.addresses.set(h, { bytes: b.slice(at, end), text });
    }
    return text;
  }

  decode(bytes: Uint8Array, visit: OscVisitor): OscErrorCode {
    if (bytes.length === 0) return OscError.Empty;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return this.element(bytes, 0, bytes.length, IMMEDIATE, 0, visit);
  }

  private element(b: Uint8Array, at: number, end: number, timeMs: number, depth: number, visit: OscVisitor): OscErrorCode {
    if (end - at <= 0) return OscError.Empty;
    if ((end - at) % 4 !== 0) return OscError.NotAligned;
    if (b[at] === 0x23) return this.bundle(b, at, end, depth, visit);
    return this.message(b, at, end, timeMs, visit);
  }

  private bundle(b: Uint8Array, at: number, end: number, depth: number, visit: OscVisitor): OscErrorCode {
    if (depth >= MAX_DEPTH) return OscError.TooDeep;
    // "#bundle\0" then an 8-byte time tag
    if (end - at < 16 || b[at + 1] !== 0x62 || b[at + 2] !== 0x75 || b[at + 3] !== 0x6e || b[at + 4] !== 0x64 || b[at + 5] !== 0x6c || b[at + 6] !== 0x65 || b[at + 7] !== 0) {
      return OscError.BadBundle;
    }
    const v = this.view;
    const t = ntpToUnixMs(v.getUint32(at + 8, false), v.getUint32(at + 12, false));
    let p = at + 16;
    while (p < end) {
      if (end - p < 4) return OscError.BadBundle;
      const size = v.getInt32(p, false);
      p += 4;
      if (size <= 0 || size % 4 !== 0 || size > end - p) return OscError.BadBundle;
      const e = this.element(b, p, p + size, t, depth + 1, visit);
      if (e !== OscError.None) return e;
      p += size;
    }
    return OscError.None;
  }

  private message(b: Uint8Array, at: number, end: number, timeMs: number, visit: OscVisitor): OscErrorCode {
    if (b[at] !== 0x2f) return OscError.BadAddress;
    const aEnd = nulAt(b, at, end);
    if (aEnd < 0) return OscError.BadAddress;
    let p = at + pad4(aEnd - at + 1);
    if (p >= end || b[p] !== 0x2c) return OscError.NoTypeTags;
    const tEnd = nulAt(b, p, end);
    if (tEnd < 0) return OscError.Truncated;
    const tagStart = p + 1;
    const ntags = tEnd - tagStart;
    p += pad4(tEnd - p + 1);
    const m = this.msg;
    const v = this.view;
    let argc = 0;
    for (let k = 0; k < ntags; k++) {
      const tag = b[tagStart + k];
      // array brackets carry no data; flatten their contents
      if (tag === 0x5b || tag === 0x5d) continue;
      if (argc >= MAX_ARGS) return OscError.TooManyArgs;
      let num = 0;
      let str: string | null = null;
      switch (tag) {
        case 0x69: // i
          if (end - p < 4) return OscError.Truncated;
          num = v.getInt32(p, false);
          p += 4;
          break;
        case 0x66: // f
          if (end - p < 4) return OscError.Truncated;
          num = v.getFloat32(p, false);
          p += 4;
          break;
        case 0x72: // r: RGBA colour, 8 bits each
        case 0x63: // c: ASCII char
        case 0x6d: // m: MIDI message (port, status, data1, data2)
          if (end - p < 4) return OscError.Truncated;
          num = v.getUint32(p, false);
          p += 4;
          break;
        case 0x64: // d
          if (end - p < 8) return OscError.Truncated;
          num = v.getFloat64(p, false);
          p += 8;
          break;
        case 0x68: // h
          if (end - p < 8) return OscError.Truncated;
          num = Number(v.getBigInt64(p, false));
          p += 8;
          break;
        case 0x74: // t
          if (end - p < 8) return OscError.Truncated;
          num = ntpToUnixMs(v.getUint32(p, false), v.getUint32(p + 4, false));
          p += 8;
          break;
        case 0x73: // s
        case 0x53: {
          // S
          const sEnd = nulAt(b, p, end);
          if (sEnd < 0) return OscError.Truncated;
          str = utf8.decode(b.subarray(p, sEnd));
          p += pad4(sEnd - p + 1);
          break;
        }
        case 0x62: {
          // b: blob, skipped (size then bytes)
          if (end - p < 4) return OscError.Truncated;
          const n = v.getInt32(p, false);
          if (n < 0 || pad4(n) > end - p - 4) return OscError.Truncated;
          num = n;
          p += 4 + pad4(n);
          break;
        }
        case 0x54: // T
          num = 1;
          break;
        case 0x46: // F
        case 0x4e: // N
        case 0x49: // I
          num = 0;
          break;
        default:
          return OscError.UnknownTag;
      }
      m.tags[argc] = tag;
      m.nums[argc] = num;
      m.strs[argc] = str;
      argc++;
    }
    if (p > end) return OscError.Truncated;
    m.address = this.address(b, at, aEnd);
    m.argc = argc;
    m.timeMs = timeMs;
    visit(m);
    return OscError.None;
  }
}

// ------------------------------------------------------------------ encoding (edges, tests)

/** An argument to encode: a number with its tag, a string, or a boolean (T/F). */
export type OscArg = { type: 'i' | 'f' | 'd' | 'h' | 'r'; value: number } | { type: 's'; value: string } | { type: 'T' | 'F' | 'N' | 'I' } | number | string | boolean;

const utf8e = new TextEncoder();

function strBytes(s: string): Uint8Array {
  const raw = utf8e.encode(s);
  const out = new Uint8Array(pad4(raw.length + 1));
  out.set(raw);
  return out;
}

/** Encode one message. Plain numbers become 'f', strings 's', booleans 'T'/'F'. */
export function encodeMessage(address: string, args: readonly OscArg[] = []): Uint8Array<ArrayBuffer> {
  let tags = ',';
  const parts: Uint8Array[] = [strBytes(address)];
  const typed: Uint8Array[] = [];
  for (const a of args) {
    const x = typeof a === 'number' ? ({ type: 'f', value: a } as const) : typeof a === 'string' ? ({ type: 's', value: a } as const) : typeof a === 'boolean' ? ({ type: a ? 'T' : 'F' } as const) : a;
    tags += x.type;
    switch (x.type) {
      case 'i':
      case 'r': {
        const d = new Uint8Array(4);
        const dv = new DataView(d.buffer);
        if (x.type === 'i') dv.setInt32(0, x.value, false);
        else dv.setUint32(0, x.value >>> 0, false);
        typed.push(d);
        break;
      }
      case 'f': {
        const d = new Uint8Array(4);
        new DataView(d.buffer).setFloat32(0, x.value, false);
        typed.push(d);
        break;
      }
      case 'd': {
        const d = new Uint8Array(8);
        new DataView(d.buffer).setFloat64(0, x.value, false);
        typed.push(d);
        break;
      }
      case 'h': {
        const d = new Uint8Array(8);
        new DataView(d.buffer).setBigInt64(0, BigInt(Math.trunc(x.value)), false);
        typed.push(d);
        break;
      }
      case 's':
        typed.push(strBytes(x.value));
        break;
      default:
        break;
    }
  }
  parts.push(strBytes(tags), ...typed);
  return concat(parts);
}

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Write an NTP time tag for Unix time `unixMs` (IMMEDIATE for "now"). */
export function writeTimeTag(view: DataView, at: number, unixMs: number): void {
  if (unixMs === IMMEDIATE) {
    view.setUint32(at, 0, false);
    view.setUint32(at + 4, 1, false);
    return;
  }
  const ntpMs = unixMs + NTP_UNIX_OFFSET_MS;
  const sec = Math.floor(ntpMs / 1000);
  const frac = Math.floor(((ntpMs - sec * 1000) / 1000) * 4294967296);
  view.setUint32(at, sec >>> 0, false);
  view.setUint32(at + 4, frac >>> 0, false);
}

/** Encode a bundle of already encoded elements (messages or bundles) with a time tag in Unix ms. */
export function encodeBundle(unixMs: number, elements: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const head = new Uint8Array(16);
  head.set([0x23, 0x62, 0x75, 0x6e, 0x64, 0x6c, 0x65, 0]);
  writeTimeTag(new DataView(head.buffer), 8, unixMs);
  const parts: Uint8Array[] = [head];
  for (const e of elements) {
    const size = new Uint8Array(4);
    new DataView(size.buffer).setInt32(0, e.length, false);
    parts.push(size, e);
  }
  return concat(parts);
}

/**
 * A message with a fixed address and N float arguments, encoded once; `set(i, v)` rewrites an
 * argument in place, so sending it every frame allocates nothing.
 */
export class OscFloatMessage {
  readonly bytes: Uint8Array<ArrayBuffer>;
  private readonly view: DataView;
  private readonly argAt: number;

  constructor(
    readonly address: string,
    readonly count: number,
  ) {
    this.bytes = encodeMessage(address, new Array<number>(count).fill(0));
    this.view = new DataView(this.bytes.buffer);
    this.argAt = this.bytes.length - 4 * count;
  }

  set(i: number, v: number): void {
    if (i >= 0 && i < this.count) this.view.setFloat32(this.argAt + 4 * i, v, false);
  }
}
