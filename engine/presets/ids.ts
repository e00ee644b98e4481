/** New ids for presets, banks and routes. */
import { ID_PATTERN } from './format.ts';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A random id like `p-3k9x0f2a7c` (10 base-36 characters after the prefix). */
export function randomId(prefix = 'p'): string {
  const bytes = new Uint8Array(10);
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  let s = `${prefix}-`;
  for (let i = 0; i < bytes.length; i++) s += ALPHABET[bytes[i] % 36];
  return s;
}

export function isId(v: unknown): v is string {
  return typeof v === 'string' && ID_PATTERN.test(v);
}

/** An id from `make` that is valid and not in `taken` (falls back to random ones if `make` keeps colliding). */
export function freshId(make: () => string, taken: ReadonlySet<string>, prefix = 'p'): string {
  for (let i = 0; i < 8; i++) {
    const id = make();
    if (isId(id) && !taken.has(id)) return id;
  }
  for (;;) {
    const id = randomId(prefix);
    if (!taken.has(id)) return id;
  }
}
