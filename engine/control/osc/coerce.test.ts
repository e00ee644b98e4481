import { describe, expect, it } from 'vitest';
import { OscDecoder, encodeMessage, type OscArg } from './codec.ts';
import { CoerceError, coerceArgs, presetNameValue } from './coerce.ts';
import { makeFixture } from './test-fixture.ts';

const { space } = makeFixture();
const dec = new OscDecoder();

/** Encode, decode and coerce a message as the bridge does; returns [count, values]. */
function coerce(address: string, args: OscArg[]): [number, number[]] {
  const out = new Float64Array(3);
  let n = -99;
  dec.decode(encodeMessage(address, args), (m) => {
    n = coerceArgs(space, space.resolve(address), m, out);
  });
  return [n, Array.from(out.subarray(0, Math.max(0, n)))];
}

describe('type-tag coercion', () => {
  it('numbers take i, f, d and h; not strings or booleans', () => {
    const p = '/scene/test-all/speed';
    expect(coerce(p, [{ type: 'i', value: 3 }])).toEqual([1, [3]]);
    expect(coerce(p, [{ type: 'f', value: 0.5 }])).toEqual([1, [0.5]]);
    expect(coerce(p, [{ type: 'd', value: 1.125 }])).toEqual([1, [1.125]]);
    expect(coerce(p, [{ type: 'h', value: 2 }])).toEqual([1, [2]]);
    expect(coerce(p, ['fast'])[0]).toBe(CoerceError.WrongType);
    expect(coerce(p, [true])[0]).toBe(CoerceError.WrongType);
    expect(coerce(p, [])[0]).toBe(CoerceError.NoArgs);
    expect(coerce(p, [{ type: 'f', value: Number.NaN }])[0]).toBe(CoerceError.NotFinite);
  });

  it('the /norm address takes 0..1 numbers and T/F', () => {
    expect(coerce('/scene/test-all/cutoff/norm', [0.25])).toEqual([1, [0.25]]);
    expect(coerce('/scene/test-all/mirror/norm', [true])).toEqual([1, [1]]);
    expect(coerce('/scene/test-all/tint/norm', [0.5])[0]).toBe(CoerceError.WrongType);
  });

  it('enums take an option name (s) or an index', () => {
    expect(coerce('/scene/test-all/mode', ['grid'])).toEqual([1, [2]]);
    expect(coerce('/scene/test-all/mode', [{ type: 'i', value: 0 }])).toEqual([1, [0]]);
    expect(coerce('/scene/test-all/mode', [1.2])).toEqual([1, [1]]);
    expect(coerce('/scene/test-all/mode', ['spirals'])[0]).toBe(CoerceError.UnknownOption);
    expect(coerce('/scene/test-all/mode', [{ type: 'i', value: 7 }])[0]).toBe(CoerceError.UnknownOption);
  });

  it('booleans take T/F, numbers and on/off', () => {
    expect(coerce('/scene/test-all/mirror', [true])).toEqual([1, [1]]);
    expect(coerce('/scene/test-all/mirror', [false])).toEqual([1, [0]]);
    expect(coerce('/scene/test-all/mirror', [{ type: 'i', value: 1 }])).toEqual([1, [1]]);
    expect(coerce('/scene/test-all/mirror', ['off'])).toEqual([1, [0]]);
    expect(coerce('/scene/test-all/mirror', ['maybe'])[0]).toBe(CoerceError.WrongType);
  });

  it('triggers fire on a bare message, N, I, T or a positive number; F and 0 do not', () => {
    expect(coerce('/scene/test-all/flash', [])).toEqual([1, [1]]);
    expect(coerce('/scene/test-all/flash', [{ type: 'N' }])).toEqual([1, [1]]);
    expect(coerce('/scene/test-all/flash', [{ type: 'I' }])).toEqual([1, [1]]);
    expect(coerce('/scene/test-all/flash', [true])).toEqual([1, [1]]);
    expect(coerce('/scene/test-all/flash', [false])).toEqual([1, [0]]);
    expect(coerce('/scene/test-all/flash', [{ type: 'i', value: 0 }])).toEqual([1, [0]]);
  });

  it('colours take three numbers, an r (RGBA) argument or a "#rrggbb" string', () => {
    expect(coerce('/scene/test-all/tint', [1, 0.5, 0])).toEqual([3, [1, 0.5, 0]]);
    expect(coerce('/scene/test-all/tint', [{ type: 'r', value: 0xff000080 }])).toEqual([3, [1, 0, 0]]);
    const [n, v] = coerce('/scene/test-all/tint', ['#00ff80']);
    expect(n).toBe(3);
    expect(v.map((x) => Math.round(x * 255))).toEqual([0, 255, 128]);
    expect(coerce('/scene/test-all/tint', [1, 0.5])[0]).toBe(CoerceError.WrongCount);
    expect(coerce('/scene/test-all/tint', ['red'])[0]).toBe(CoerceError.WrongCount);
  });

  it('commands: scene by id or index, tempo as a number, tap as a bang', () => {
    const { sceneIds } = makeFixture();
    const last = sceneIds.length - 1;
    expect(coerce('/engine/scene', [sceneIds[last]])).toEqual([1, [last]]);
    expect(coerce('/engine/scene', [{ type: 'i', value: 0 }])).toEqual([1, [0]]);
    expect(coerce('/engine/scene', ['no-such-scene'])[0]).toBe(CoerceError.UnknownOption);
    expect(coerce('/engine/bpm', [{ type: 'd', value: 128 }])).toEqual([1, [128]]);
    expect(coerce('/engine/tap', [])).toEqual([1, [1]]);
    expect(coerce('/engine/bpm', ['fast'])[0]).toBe(CoerceError.WrongType);
  });
});

describe('/engine/preset', () => {
  it('takes a slot index or a preset name (coded), refuses negatives and empty names', () => {
    expect(coerce('/engine/preset', [2])).toEqual([1, [2]]);
    expect(coerce('/engine/preset', [1.6])).toEqual([1, [2]]);
    expect(coerce('/engine/preset', ['Dusk'])).toEqual([1, [presetNameValue('Dusk')]]);
    expect(coerce('/engine/preset', [-1])[0]).toBeLessThan(0);
    expect(coerce('/engine/preset', [''])[0]).toBeLessThan(0);
    expect(coerce('/engine/preset/next', [])).toEqual([1, [1]]);
  });
});
