import { describe, expect, it } from 'vitest';
import { ParamBank } from './bank.ts';
import { defineParams } from './define.ts';
import { bytesPerCall } from './test-alloc.ts';

// In a file of its own: V8's type feedback is per process, and the hostile-input tests in
// bank.test.ts would otherwise decide what the JIT makes of the hot path measured here.
const veil = defineParams('/scene/veil', {
  speed: { type: 'number', min: 0, max: 4, default: 1 },
  cutoff: { type: 'number', min: 20, max: 20000, default: 1000, curve: 'exp' },
  soft: { type: 'number', min: -1, max: 1, default: 0, curve: 's-curve' },
  top: { type: 'number', min: 0, max: 10, default: 5, curve: 'log' },
  count: { type: 'number', min: 1, max: 9, default: 3, step: 1 },
  tint: { type: 'color', default: '#ff8000' },
  mirror: { type: 'boolean', default: false },
  mode: { type: 'enum', options: ['waves', 'rings', 'grid'], default: 'rings' },
  flash: { type: 'trigger' },
});

function makeBank() {
  const bank = new ParamBank();
  return { bank, v: bank.register(veil) };
}

describe('ParamBank hot path', () => {
  // One call site per measured function, as in a MIDI handler or a per-frame modulation loop,
  // cycling over every parameter type; values are computed doubles, as a handler computes them.
  const sink = new Float64Array(1);

  it('set, setNormalized, get, getNormalized and endFrame by id allocate nothing', () => {
    const { bank, v } = makeBank();
    const ids = new Int32Array([v.speed, v.cutoff, v.soft, v.top, v.count, v.mirror, v.mode, v.flash]);
    const figures = {
      set: bytesPerCall((i) => {
        bank.set(ids[i & 7], (i & 127) * 0.0311);
      }),
      setNormalized: bytesPerCall((i) => {
        bank.setNormalized(ids[i & 7], (i & 127) / 127);
      }),
      get: bytesPerCall((i) => {
        sink[0] += bank.get(ids[i & 7]);
      }),
      getNormalized: bytesPerCall((i) => {
        sink[0] += bank.getNormalized(ids[i & 7]);
      }),
      getColor: bytesPerCall(() => {
        bank.getColor(v.tint, sink);
      }),
      setColor: bytesPerCall((i) => {
        bank.setColor(v.tint, (i & 127) / 127, 0.5, 0.25);
      }),
      endFrame: bytesPerCall((i) => {
        if (i % 3 === 0) bank.fire(v.flash);
        bank.endFrame();
      }),
      refusedAndClamped: bytesPerCall((i) => {
        bank.set(v.speed, i % 2 === 0 ? Number.NaN : 99 + (i & 7)); // recorded as codes, no strings
      }),
    };
    console.log('bytes per call', JSON.stringify(figures));
    for (const [name, bytes] of Object.entries(figures)) expect(bytes, name).toBeLessThan(1);
    expect(bank.lastWarning).toMatch(/speed/);
  });

  it('after a storm of hostile input the hot path allocates at most a few boxed doubles, never strings or objects', () => {
    // Junk of every type retrains V8's feedback; the bank itself must still not allocate
    // (no strings, no objects: a message would be 50+ bytes and the warning objects more). What
    // may remain, depending on when V8 recompiles, is boxing doubles (16 bytes each) at calls
    // it stopped inlining; the figure printed here tracks it.
    const { bank, v } = makeBank();
    const junk: unknown[] = [Number.NaN, Infinity, '3', 'x', null, undefined, {}, [1], true, -1e308];
    for (let i = 0; i < 20000; i++) {
      const id = (i % 13) - 1 + (i % 7 === 0 ? 0.5 : 0);
      bank.set(id, junk[i % junk.length] as number);
      bank.setNormalized(id, junk[(i + 3) % junk.length] as number);
    }
    const ids = new Int32Array([v.speed, v.cutoff, v.soft, v.top, v.count, v.mirror, v.mode, v.flash]);
    const after = {
      set: bytesPerCall((i) => {
        bank.set(ids[i & 7], (i & 127) * 0.0311);
      }),
      setNormalized: bytesPerCall((i) => {
        bank.setNormalized(ids[i & 7], (i & 127) / 127);
      }),
      getNormalized: bytesPerCall((i) => {
        sink[0] += bank.getNormalized(ids[i & 7]);
      }),
    };
    console.log('bytes per call after hostile input', JSON.stringify(after));
    for (const [name, bytes] of Object.entries(after)) expect(bytes, name).toBeLessThan(64);
  });
});
