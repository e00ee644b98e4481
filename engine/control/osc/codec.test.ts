import { describe, expect, it } from 'vitest';
import OSC from 'osc-js';
import { IMMEDIATE, OscDecoder, OscError, OscFloatMessage, encodeBundle, encodeMessage, type OscMessage } from './codec.ts';

interface Seen {
  address: string;
  tags: string;
  nums: number[];
  strs: (string | null)[];
  timeMs: number;
}

function decodeAll(bytes: Uint8Array): { err: number; seen: Seen[] } {
  const seen: Seen[] = [];
  const err = new OscDecoder().decode(bytes, (m: OscMessage) => {
    seen.push({
      address: m.address,
      tags: String.fromCharCode(...m.tags.subarray(0, m.argc)),
      nums: Array.from(m.nums.subarray(0, m.argc)),
      strs: m.strs.slice(0, m.argc),
      timeMs: m.timeMs,
    });
  });
  return { err, seen };
}

/** Seeded generator so a failing fuzz case can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('OSC decoding', () => {
  it('reads what another implementation (osc-js) encodes: i, f, s, T, F, d and bundles', () => {
    const m = new OSC.Message('/scene/spectral-veil/intensity', 1, 2.5, 'rings', true, false);
    const a = decodeAll(m.pack());
    expect(a.err).toBe(OscError.None);
    expect(a.seen).toEqual([{ address: '/scene/spectral-veil/intensity', tags: 'ifsTF', nums: [1, 2.5, 0, 1, 0], strs: [null, null, 'rings', null, null], timeMs: IMMEDIATE }]);

    const d = new OSC.TypedMessage('/engine/bpm', [{ type: 'd', value: 128.125 }] as never);
    expect(decodeAll(d.pack()).seen[0]).toMatchObject({ tags: 'd', nums: [128.125] });

    const due = Date.now() + 2000;
    const b = new OSC.Bundle([new OSC.Message('/a', 1), new OSC.Message('/b', 'x')], due);
    const bd = decodeAll(b.pack());
    expect(bd.err).toBe(OscError.None);
    expect(bd.seen.map((s) => s.address)).toEqual(['/a', '/b']);
    // NTP fractions are 1/2^32 s: the time comes back within a millisecond
    expect(Math.abs(bd.seen[0].timeMs - due)).toBeLessThan(1);
  });

  it('round-trips its own encoder, including nested bundles and the "immediately" tag', () => {
    const inner = encodeBundle(IMMEDIATE, [encodeMessage('/x', [{ type: 'i', value: -7 }, { type: 'h', value: 2 ** 40 }, { type: 'r', value: 0xff800000 }])]);
    const outer = encodeBundle(1_700_000_000_000, [encodeMessage('/y', [0.25, 'hé']), inner]);
    const r = decodeAll(outer);
    expect(r.err).toBe(OscError.None);
    expect(r.seen[0]).toMatchObject({ address: '/y', tags: 'fs', nums: [0.25, 0], strs: [null, 'hé'] });
    expect(Math.abs(r.seen[0].timeMs - 1_700_000_000_000)).toBeLessThan(1);
    expect(r.seen[1]).toMatchObject({ address: '/x', tags: 'ihr', nums: [-7, 2 ** 40, 0xff800000], timeMs: IMMEDIATE });
  });

  it('a reusable float message rewrites its arguments in place', () => {
    const m = new OscFloatMessage('/glassforest/feature/bands3', 3);
    m.set(0, 0.5);
    m.set(2, 0.25);
    expect(decodeAll(m.bytes).seen[0]).toMatchObject({ address: '/glassforest/feature/bands3', tags: 'fff', nums: [0.5, 0, 0.25] });
  });

  it('names what is wrong with malformed packets instead of throwing', () => {
    const good = encodeMessage('/a', [1]);
    expect(decodeAll(new Uint8Array(0)).err).toBe(OscError.Empty);
    expect(decodeAll(good.subarray(0, good.length - 1)).err).toBe(OscError.NotAligned);
    expect(decodeAll(good.subarray(0, good.length - 4)).err).toBe(OscError.Truncated);
    expect(decodeAll(new TextEncoder().encode('abc\0')).err).toBe(OscError.BadAddress);
    expect(decodeAll(new TextEncoder().encode('/ab\0')).err).toBe(OscError.NoTypeTags);
    expect(decodeAll(new TextEncoder().encode('/ab\0,q\0\0')).err).toBe(OscError.UnknownTag);
    expect(decodeAll(new TextEncoder().encode('#bundle\0' + '\0'.repeat(7) + '\x01' + '\0\0\0\x09')).err).toBe(OscError.BadBundle);
    let deep = encodeMessage('/a', []);
    for (let i = 0; i < 12; i++) deep = encodeBundle(IMMEDIATE, [deep]);
    expect(decodeAll(deep).err).toBe(OscError.TooDeep);
  });

  it('survives 20,000 random and mutated packets without throwing', () => {
    const rand = rng(42);
    const good = encodeBundle(IMMEDIATE, [encodeMessage('/scene/a/b', [1, 'two', { type: 'd', value: 3 }]), encodeMessage('/c', [true])]);
    const dec = new OscDecoder();
    let errors = 0;
    let messages = 0;
    for (let i = 0; i < 20_000; i++) {
      let p: Uint8Array;
      if (i % 2 === 0) {
        p = new Uint8Array(Math.floor(rand() * 64) * (rand() < 0.8 ? 4 : 1));
        for (let k = 0; k < p.length; k++) p[k] = rand() < 0.3 ? 0x2f : Math.floor(rand() * 256);
      } else {
        p = good.slice();
        const flips = 1 + Math.floor(rand() * 4);
        for (let k = 0; k < flips; k++) p[Math.floor(rand() * p.length)] = Math.floor(rand() * 256);
      }
      if (dec.decode(p, () => messages++) !== OscError.None) errors++;
    }
    expect(errors).toBeGreaterThan(5000);
    expect(messages).toBeGreaterThan(0);
  });
});

describe('address strings', () => {
  it('a repeated address comes back as the same string; different bytes never do', () => {
    const dec = new OscDecoder();
    const seen: string[] = [];
    for (const a of ['/scene/x/speed', '/scene/x/speed', '/scene/x/speec', '/scene/x/speed']) dec.decode(encodeMessage(a, [1]), (m) => seen.push(m.address));
    expect(seen).toEqual(['/scene/x/speed', '/scene/x/speed', '/scene/x/speec', '/scene/x/speed']);
    // 5,000 random addresses (more than the cache holds) and the decoder still reads correctly
    for (let i = 0; i < 5000; i++) dec.decode(encodeMessage(`/r/${i}`, []), (m) => expect(m.address).toBe(`/r/${i}`));
    dec.decode(encodeMessage('/scene/x/speed', []), (m) => expect(m.address).toBe('/scene/x/speed'));
  });
});
