import { describe, expect, it } from 'vitest';
import { fromNormalized, toNormalized } from './curves.ts';
import type { ParamCurve } from './types.ts';

const CURVES: ParamCurve[] = ['linear', 'exp', 'log', 's-curve'];
const RANGES: [number, number][] = [
  [0, 1],
  [-1, 1],
  [20, 20000],
  [0.001, 10],
  [-500, -2],
];

describe('curves', () => {
  it('map 0 and 1 to min and max and are monotonic', () => {
    for (const c of CURVES) {
      for (const [lo, hi] of RANGES) {
        expect(fromNormalized(c, lo, hi, 0)).toBeCloseTo(lo, 9);
        expect(fromNormalized(c, lo, hi, 1)).toBeCloseTo(hi, 6);
        let prev = -Infinity;
        for (let i = 0; i <= 100; i++) {
          const x = fromNormalized(c, lo, hi, i / 100);
          expect(x).toBeGreaterThanOrEqual(prev);
          prev = x;
        }
      }
    }
  });

  it('round-trip exactly: toNormalized(fromNormalized(v)) = v', () => {
    for (const c of CURVES) {
      for (const [lo, hi] of RANGES) {
        for (let i = 0; i <= 50; i++) {
          const v = i / 50;
          expect(toNormalized(c, lo, hi, fromNormalized(c, lo, hi, v))).toBeCloseTo(v, 9);
        }
      }
    }
  });

  it('exp is geometric for a positive range: the middle of 20..20000 Hz is 632 Hz', () => {
    expect(fromNormalized('exp', 20, 20000, 0.5)).toBeCloseTo(Math.sqrt(20 * 20000), 6);
    expect(fromNormalized('exp', 20, 20000, 1 / 3)).toBeCloseTo(200, 6);
  });

  it('shapes differ as documented: exp fine at the bottom, log fine at the top, s-curve fine at both ends', () => {
    const mid = (c: ParamCurve) => fromNormalized(c, 0, 1, 0.5);
    expect(mid('linear')).toBe(0.5);
    expect(mid('exp')).toBeLessThan(0.2);
    expect(mid('log')).toBeGreaterThan(0.8);
    expect(mid('s-curve')).toBeCloseTo(0.5, 12);
    expect(fromNormalized('s-curve', 0, 1, 0.1)).toBeLessThan(0.05);
    expect(fromNormalized('s-curve', 0, 1, 0.9)).toBeGreaterThan(0.95);
  });

  it('clamps positions outside 0..1', () => {
    expect(fromNormalized('exp', 1, 100, -3)).toBe(1);
    expect(fromNormalized('log', 1, 100, 7)).toBeCloseTo(100, 9);
    expect(toNormalized('s-curve', 0, 1, 5)).toBeCloseTo(1, 9);
  });
});
