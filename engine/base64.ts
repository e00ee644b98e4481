/** Base64 (RFC 4648, with padding) for bytes in JSON files (feature fixtures, show files): no Buffer, no atob/btoa, strict on read. */

const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CODES = new Int16Array(128).fill(-1);
for (let i = 0; i < CHARS.length; i++) CODES[CHARS.charCodeAt(i)] = i;

export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 3 * 8192;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, bytes.length);
    let s = '';
    let i = start;
    for (; i + 2 < end; i += 3) {
      const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      s += CHARS[n >> 18] + CHARS[(n >> 12) & 63] + CHARS[(n >> 6) & 63] + CHARS[n & 63];
    }
    if (i < end) {
      const rest = end - i;
      const n = (bytes[i] << 16) | (rest === 2 ? bytes[i + 1] << 8 : 0);
      s += CHARS[n >> 18] + CHARS[(n >> 12) & 63] + (rest === 2 ? CHARS[(n >> 6) & 63] : '=') + '=';
    }
    parts.push(s);
  }
  return parts.join('');
}

/** Decoded length of valid base64 text, without decoding. */
export function base64Length(text: string): number {
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - pad;
}

/** Bytes of strict base64 text, or a reason it is not. */
export function decodeBase64(text: string): { ok: true; bytes: Uint8Array } | { ok: false; message: string } {
  if (text.length % 4 !== 0) return { ok: false, message: `base64 length ${text.length} is not a multiple of 4` };
  const out = new Uint8Array(base64Length(text));
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const a = code(text, i);
    const b = code(text, i + 1);
    const cPad = last && text.charCodeAt(i + 2) === 61 && text.charCodeAt(i + 3) === 61;
    const dPad = last && text.charCodeAt(i + 3) === 61;
    const c = cPad ? 0 : code(text, i + 2);
    const d = dPad ? 0 : code(text, i + 3);
    if (a < 0 || b < 0 || c < 0 || d < 0) return { ok: false, message: `not base64 near character ${i}` };
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    if (!cPad) out[o++] = (n >> 8) & 255;
    if (!dPad) out[o++] = n & 255;
  }
  return { ok: true, bytes: out };
}

function code(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c < 128 ? CODES[c] : -1;
}
