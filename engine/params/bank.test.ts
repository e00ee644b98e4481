import { describe, expect, it } from 'vitest';
import { ParamBank } from './bank.ts';
import { defineParams } from './define.ts';

const veil = defineParams('/scene/veil', {
  speed: { type: 'number', min: 0, max: 4, default: 1, unit: 'x', description: 'Drift speed' },
  cutoff: { type: 'number', min: 20, max: 20000, default: 1000, curve: 'exp', unit: 'Hz' },
  soft: { type: 'number', min: -1, max: 1, default: 0, curve: 's-curve' },
  top: { type: 'number', min: 0, max: 10, default: 5, curve: 'log' },
  count: { type: 'number', min: 1, max: 9, default: 3, step: 1 },
  tint: { type: 'color', default: '#ff8000' },
  mirror: { type: 'boolean', default: false },
  mode: { type: 'enum', options: ['waves', 'rings', 'grid'], default: 'rings' },
  flash: { type: 'trigger' },
});
const engine = defineParams('/engine', {
  master: { type: 'number', min: 0, max: 1, default: 0.8, description: 'Master brightness' },
});

function makeBank() {
  const bank = new ParamBank(4); // tiny on purpose: registration must grow it
  const v = bank.register(veil);
  const e = bank.register(engine);
  return { bank, v, e };
}

describe('ParamBank registration', () => {
  it('assigns ids and slot offsets and stores every value in one Float32Array', () => {
    const { bank, v, e } = makeBank();
    expect(bank.count).toBe(10);
    expect(bank.slotCount).toBe(12); // colour takes 3
    expect(v.speed).toBe(0);
    expect(e.master).toBe(9);
    expect(bank.idOf('/scene/veil/cutoff')).toBe(v.cutoff);
    expect(bank.idOf('/scene/veil/nope')).toBe(-1);
    expect(bank.offsetOf(v.tint)).toBe(5);
    expect(bank.offsetOf(v.mirror)).toBe(8);
    expect(bank.values).toBeInstanceOf(Float32Array);
    // Defaults are in place, readable by offset with no lookup.
    expect(bank.values[bank.offsetOf(v.speed)]).toBe(1);
    expect(bank.values[bank.offsetOf(e.master)]).toBeCloseTo(0.8, 6);
    expect(bank.get(v.mode)).toBe(1);
    const c = new Float32Array(3);
    expect(bank.getColor(v.tint, c)).toBe(true);
    expect(Array.from(c)).toEqual([1, Math.fround(128 / 255), 0]);
  });

  it('registering the same declarations again returns the same ids and keeps values', () => {
    const { bank, v } = makeBank();
    bank.set(v.speed, 3);
    const again = bank.register(veil);
    expect(again).toEqual(v);
    expect(bank.count).toBe(10);
    expect(bank.get(v.speed)).toBe(3);
    expect(bank.lastWarning).toBeNull();
  });

  it('a conflicting redeclaration keeps the id, takes the new range and says so', () => {
    const { bank, v } = makeBank();
    bank.set(v.speed, 3.5);
    const v2 = bank.register(defineParams('/scene/veil', { speed: { type: 'number', min: 0, max: 2, default: 1 } }));
    expect(v2.speed).toBe(v.speed);
    expect(bank.get(v.speed)).toBe(2); // clamped into the new range
    expect(bank.lastWarning).toMatch(/\/scene\/veil\/speed was declared again/);
    // A type change moves the parameter to fresh slots with its new default, same id.
    const v3 = bank.register(defineParams('/scene/veil', { speed: { type: 'color', default: '#0000ff' } }));
    expect(v3.speed).toBe(v.speed);
    const c = [0, 0, 0];
    bank.getColor(v.speed, c);
    expect(c).toEqual([0, 0, 1]);
    expect(bank.get(v.cutoff)).toBe(1000); // neighbours untouched
    expect(bank.lastWarning).toMatch(/type \(number -> color\)/);
  });

  it('refuses malformed registrations without throwing', () => {
    const bank = new ParamBank();
    expect(bank.register(null as never)).toEqual({});
    expect(bank.register({ scope: '/x', params: [{ path: 5 }], names: [] } as never)).toEqual({});
    expect(bank.rejections).toBe(2);
    expect(bank.lastWarning).toMatch(/malformed/);
  });
});

describe('ParamBank values', () => {
  it('set and get in native units; out of range clamps and is counted', () => {
    const { bank, v } = makeBank();
    expect(bank.set(v.speed, 2.5)).toBe(true);
    expect(bank.get(v.speed)).toBe(2.5);
    expect(bank.set(v.speed, 99)).toBe(true);
    expect(bank.get(v.speed)).toBe(4);
    expect(bank.corrections).toBe(1);
    expect(bank.lastWarning).toBe('/scene/veil/speed: 99 is outside 0..4; clamped');
    bank.set(v.speed, -1e308);
    expect(bank.get(v.speed)).toBe(0);
    bank.set(v.count, 4.4);
    expect(bank.get(v.count)).toBe(4); // snapped to its step
  });

  it('NaN and Infinity keep the last good value and are counted', () => {
    const { bank, v } = makeBank();
    bank.set(v.speed, 2);
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      expect(bank.set(v.speed, bad)).toBe(false);
      expect(bank.setNormalized(v.speed, bad)).toBe(false);
    }
    expect(bank.get(v.speed)).toBe(2);
    expect(bank.rejections).toBe(6);
    expect(bank.lastWarning).toMatch(/\/scene\/veil\/speed: -Infinity is not a finite number; kept 2/);
    expect(bank.setColor(v.tint, 0.5, Number.NaN, 0)).toBe(false);
    const c = [0, 0, 0];
    bank.getColor(v.tint, c);
    expect(c[0]).toBe(1); // unchanged
  });

  it('wrong types through the numeric API are parsed or refused, never thrown', () => {
    const { bank, v } = makeBank();
    expect(bank.set(v.speed, '3' as never)).toBe(true);
    expect(bank.get(v.speed)).toBe(3);
    expect(bank.set(v.speed, 'fast' as never)).toBe(false);
    expect(bank.set(v.speed, {} as never)).toBe(false);
    expect(bank.set(v.speed, undefined as never)).toBe(false);
    expect(bank.get(v.speed)).toBe(3);
    expect(bank.lastWarning).toMatch(/expected a number/);
    expect(bank.set(v.tint, 0.5)).toBe(false);
    expect(bank.lastWarning).toMatch(/is a colour/);
  });

  it('unknown and hostile ids are harmless', () => {
    const { bank } = makeBank();
    for (const id of [-1, 10, 1e9, 0.5, Number.NaN, Infinity]) {
      expect(bank.set(id, 1)).toBe(false);
      expect(bank.setNormalized(id, 1)).toBe(false);
      expect(bank.get(id)).toBe(0);
      expect(bank.getNormalized(id)).toBe(0);
    }
    expect(bank.lastWarning).toMatch(/no parameter with id/);
  });

  it('booleans and enums', () => {
    const { bank, v } = makeBank();
    bank.set(v.mirror, 1);
    expect(bank.get(v.mirror)).toBe(1);
    bank.set(v.mirror, 0.2);
    expect(bank.get(v.mirror)).toBe(0);
    bank.set(v.mode, 2);
    expect(bank.get(v.mode)).toBe(2);
    bank.set(v.mode, 7);
    expect(bank.get(v.mode)).toBe(2);
    expect(bank.corrections).toBe(1);
    bank.setNormalized(v.mode, 0);
    expect(bank.get(v.mode)).toBe(0);
    bank.setNormalized(v.mode, 0.5);
    expect(bank.get(v.mode)).toBe(1);
    expect(bank.getNormalized(v.mode)).toBe(0.5);
  });

  it('curves round-trip: setNormalized then getNormalized returns the position', () => {
    const { bank, v } = makeBank();
    for (const id of [v.speed, v.cutoff, v.soft, v.top]) {
      for (let i = 0; i <= 20; i++) {
        bank.setNormalized(id, i / 20);
        expect(bank.getNormalized(id)).toBeCloseTo(i / 20, 5);
      }
    }
    bank.setNormalized(v.cutoff, 0.5);
    expect(bank.get(v.cutoff)).toBeCloseTo(Math.sqrt(20 * 20000), 2); // geometric middle
    bank.setNormalized(v.speed, 1.7); // out of 0..1: clamped and counted
    expect(bank.get(v.speed)).toBe(4);
    expect(bank.lastWarning).toMatch(/normalised value 1.7 is outside 0..1/);
  });

  it('triggers read 1 for exactly one frame and never lose a fire', () => {
    const { bank, v } = makeBank();
    expect(bank.get(v.flash)).toBe(0);
    bank.set(v.flash, 1);
    expect(bank.get(v.flash)).toBe(0); // visible from the next frame boundary
    bank.endFrame();
    expect(bank.get(v.flash)).toBe(1);
    expect(bank.firesThisFrame(v.flash)).toBe(1);
    bank.endFrame();
    expect(bank.get(v.flash)).toBe(0);
    // Three fires between two frames: one pulse standing for three, counter advanced by three.
    bank.fire(v.flash);
    bank.setNormalized(v.flash, 1);
    bank.setByPath('/scene/veil/flash'); // an OSC bang with no argument
    bank.set(v.flash, 0); // a note-off: not a fire
    bank.endFrame();
    expect(bank.get(v.flash)).toBe(1);
    expect(bank.firesThisFrame(v.flash)).toBe(3);
    expect(bank.fireCount(v.flash)).toBe(4);
    bank.endFrame();
    bank.endFrame();
    expect(bank.get(v.flash)).toBe(0);
    expect(bank.firesThisFrame(v.flash)).toBe(0);
    // A trigger read at any point between two frame ends sees the same pulse.
    bank.fire(v.flash);
    bank.endFrame();
    const reads = [bank.get(v.flash), bank.get(v.flash)];
    expect(reads).toEqual([1, 1]);
  });
});

describe('ParamBank edges', () => {
  it('setByPath parses loose values and reports what it did', () => {
    const { bank, v } = makeBank();
    expect(bank.setByPath('/scene/veil/speed', ' 2.5 ')).toMatchObject({ ok: true, value: 2.5 });
    expect(bank.setByPath('/scene/veil/speed', [3])).toMatchObject({ ok: true, value: 3 }); // one OSC argument
    expect(bank.setByPath('/scene/veil/speed', 12)).toMatchObject({ ok: true, value: 4, message: '/scene/veil/speed: 12 is outside 0..4; clamped' });
    expect(bank.setByPath('/scene/veil/mode', 'grid')).toMatchObject({ ok: true, value: 'grid' });
    expect(bank.setByPath('/scene/veil/mode', 'RINGS')).toMatchObject({ ok: true, value: 'rings' });
    expect(bank.setByPath('/scene/veil/mode', '0')).toMatchObject({ ok: true, value: 'waves' });
    expect(bank.setByPath('/scene/veil/mode', 9).message).toMatch(/out of range 0..2, clamped to 2/);
    for (const on of [true, 1, 'true', 'on', 'YES', '1']) {
      bank.set(v.mirror, 0);
      expect(bank.setByPath('/scene/veil/mirror', on)).toMatchObject({ ok: true, value: true });
    }
    for (const off of [false, 0, 'false', 'off', 'no', '0']) {
      bank.set(v.mirror, 1);
      expect(bank.setByPath('/scene/veil/mirror', off)).toMatchObject({ ok: true, value: false });
    }
    expect(bank.setByPath('/scene/veil/tint', '#0f0')).toMatchObject({ ok: true, value: [0, 1, 0] });
    expect(bank.setByPath('/scene/veil/tint', '00ff80')).toMatchObject({ ok: true });
    expect(bank.setByPath('/scene/veil/tint', [0.2, 0.4, 0.6])).toMatchObject({ ok: true, value: [0.2, 0.4, 0.6] });
    expect(bank.setByPath('/scene/veil/tint', { r: 1, g: 0, b: 0.5 })).toMatchObject({ ok: true, value: [1, 0, 0.5] });
    const clamped = bank.setByPath('/scene/veil/tint', [2, -1, 0.5]);
    expect(clamped).toMatchObject({ ok: true, value: [1, 0, 0.5] });
    expect(clamped.message).toMatch(/clamped/);
  });

  it('setByPath refuses bad input with a clear message and keeps the value', () => {
    const { bank, v } = makeBank();
    const before = bank.rejections;
    const cases: [string, unknown, RegExp][] = [
      ['/scene/veil/nope', 1, /unknown parameter "\/scene\/veil\/nope" \(did you mean/],
      ['/scene/other/speed', 1, /did you mean \/scene\/veil\/speed/],
      ['/scene/veil/speed', 'fast', /"fast" is not a number/],
      ['/scene/veil/speed', Number.NaN, /NaN is not a finite number/],
      ['/scene/veil/speed', '', /"" is not a number/],
      ['/scene/veil/speed', { x: 1 }, /expected a number/],
      ['/scene/veil/speed', undefined, /expected a number, got undefined/],
      ['/scene/veil/mirror', 'maybe', /not a boolean/],
      ['/scene/veil/mode', 'spiral', /"spiral" is not one of: waves, rings, grid/],
      ['/scene/veil/tint', 'purple', /not a colour/],
      ['/scene/veil/tint', [1, 2], /expected a colour/],
      ['/scene/veil/tint', [0.1, 'x', 0.3], /colour component g/],
      ['/scene/veil/flash', 'boom', /not a boolean/],
    ];
    for (const [path, value, msg] of cases) {
      const r = bank.setByPath(path, value);
      expect(r.ok, `${path} ${String(value)}`).toBe(false);
      expect(r.message).toMatch(msg);
      expect(bank.lastWarning).toBe(r.message);
    }
    expect(bank.setByPath(42 as never, 1).ok).toBe(false);
    expect(bank.rejections).toBe(before + cases.length + 1);
    expect(bank.get(v.speed)).toBe(1);
    expect(bank.get(v.mode)).toBe(1);
  });

  it('describe() lists everything the UI and OSCQuery need', () => {
    const { bank, v } = makeBank();
    const d = bank.describe();
    expect(d.length).toBe(10);
    expect(d[v.cutoff]).toMatchObject({ path: '/scene/veil/cutoff', type: 'number', min: 20, max: 20000, default: 1000, unit: 'Hz', curve: 'exp', value: 1000 });
    expect(d[v.speed].description).toBe('Drift speed');
    expect(d[v.mode]).toMatchObject({ type: 'enum', options: ['waves', 'rings', 'grid'], default: 'rings' });
    expect(d[v.tint]).toMatchObject({ type: 'color', default: [1, 0.5019608, 0], size: 3, offset: 5 }); // #ff8000
    expect(d[v.mirror].default).toBe(false);
    expect(d[v.flash]).toMatchObject({ type: 'trigger', default: null });
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });

  it('snapshot and restore round-trip as plain JSON', () => {
    const { bank, v, e } = makeBank();
    bank.set(v.speed, 0.1);
    bank.setNormalized(v.cutoff, 0.37);
    bank.setColor(v.tint, 0.25, 0.5, 0.75);
    bank.set(v.mirror, 1);
    bank.set(v.mode, 2);
    bank.set(e.master, 0.3);
    const snap = JSON.parse(JSON.stringify(bank.snapshot()));
    expect(snap['/scene/veil/speed']).toBe(0.1); // shortest decimal, not 0.10000000149
    expect(snap['/scene/veil/mode']).toBe('grid');
    expect(snap['/scene/veil/mirror']).toBe(true);
    expect(snap['/scene/veil/tint']).toEqual([0.25, 0.5, 0.75]);
    expect('/scene/veil/flash' in snap).toBe(false);
    const before = Float32Array.from(bank.values.subarray(0, bank.slotCount));

    const other = makeBank().bank;
    const report = other.restore(snap);
    expect(report).toMatchObject({ applied: 9, unknown: [], missing: [], problems: [] });
    expect(Array.from(other.values.subarray(0, other.slotCount))).toEqual(Array.from(before)); // bit-exact
    expect(bank.snapshot('/engine')).toEqual({ '/engine/master': 0.3 });
  });

  it('restore tolerates unknown keys, missing keys and bad values', () => {
    const { bank, v } = makeBank();
    bank.set(v.speed, 2);
    const r = bank.restore({
      '/scene/veil/mode': 'waves',
      '/scene/veil/top': 'loud',
      '/scene/veil/count': 100,
      '/scene/gone/thing': 1,
      '/scene/veil/flash': 1,
    });
    expect(r.applied).toBe(2);
    expect(r.unknown).toEqual(['/scene/gone/thing']);
    expect(r.missing).toContain('/scene/veil/speed');
    expect(r.problems.map((p) => p.path)).toEqual(['/scene/veil/top', '/scene/veil/count']);
    expect(bank.get(v.speed)).toBe(2); // missing: kept
    expect(bank.get(v.count)).toBe(9);
    expect(bank.get(v.mode)).toBe(0);
    bank.endFrame();
    expect(bank.get(v.flash)).toBe(0); // a trigger in a snapshot never fires
    const r2 = bank.restore({ '/scene/veil/mode': 'grid' }, { missing: 'default', scope: '/scene/veil' });
    expect(bank.get(v.speed)).toBe(1); // missing: back to default
    expect(r2.missing).not.toContain('/engine/master');
    for (const junk of [null, 5, 'x', [1, 2], undefined]) {
      const rj = bank.restore(junk);
      expect(rj.applied).toBe(0);
      expect(rj.problems[0].message).toMatch(/snapshot must be an object/);
    }
  });

  it('resetToDefaults restores everything or one scope', () => {
    const { bank, v, e } = makeBank();
    bank.set(v.speed, 3);
    bank.set(e.master, 0.1);
    bank.fire(v.flash);
    bank.resetToDefaults('/scene/veil');
    expect(bank.get(v.speed)).toBe(1);
    expect(bank.get(e.master)).toBeCloseTo(0.1, 6);
    bank.endFrame();
    expect(bank.get(v.flash)).toBe(0); // pending fire dropped
    bank.resetToDefaults();
    expect(bank.get(e.master)).toBeCloseTo(0.8, 6);
  });

  it('survives a storm of random hostile input with finite, in-range values', () => {
    const { bank } = makeBank();
    let seed = 1;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const junk: unknown[] = [Number.NaN, Infinity, -Infinity, 1e308, -1e308, 'x', '', null, undefined, {}, [], [1, 2, 3], true, '#zzz', -0, 5e-324];
    const paths = bank.describe().map((d) => d.path).concat(['/nope', '', '/scene/veil/']);
    for (let i = 0; i < 20000; i++) {
      const id = Math.floor(rnd() * 12) - 1;
      const val = rnd() < 0.5 ? junk[Math.floor(rnd() * junk.length)] : (rnd() - 0.5) * 1e6;
      switch (i % 5) {
        case 0:
          bank.set(id, val as number);
          break;
        case 1:
          bank.setNormalized(id, val as number);
          break;
        case 2:
          bank.setByPath(paths[Math.floor(rnd() * paths.length)], val);
          break;
        case 3:
          bank.setColor(id, val as number, rnd(), rnd());
          break;
        default:
          bank.endFrame();
      }
    }
    for (const d of bank.describe()) {
      for (let k = 0; k < d.size; k++) {
        const x = bank.values[d.offset + k];
        expect(Number.isFinite(x)).toBe(true);
        expect(x).toBeGreaterThanOrEqual(d.min);
        expect(x).toBeLessThanOrEqual(d.max);
      }
    }
    expect(bank.rejections).toBeGreaterThan(1000);
  });
});
