/** Memory fragments: seeded, inside the frame, every kind present, spread rather than piled up. */
import { describe, expect, it } from 'vitest';
import { FRAGMENT_KINDS, FRAGMENT_STRIDE, FRAME_HALF_HEIGHT, FRAME_HALF_WIDTH, layoutFragments } from './fragments.ts';

describe('layoutFragments', () => {
  it('places the same fragments from the same seed and others from another seed', () => {
    expect(layoutFragments(4, 12)).toEqual(layoutFragments(4, 12));
    const a = layoutFragments(4, 12);
    const b = layoutFragments(5, 12);
    expect(a.every((v, i) => v === b[i])).toBe(false);
  });

  it('keeps every fragment inside the frame with sane sizes, cycles and tones', () => {
    const f = layoutFragments(1987, 12);
    expect(f.length).toBe(12 * FRAGMENT_STRIDE);
    for (let i = 0; i < 12; i++) {
      const o = i * FRAGMENT_STRIDE;
      expect(Math.abs(f[o])).toBeLessThanOrEqual(FRAME_HALF_WIDTH);
      expect(Math.abs(f[o + 1])).toBeLessThanOrEqual(FRAME_HALF_HEIGHT);
      expect(f[o + 2]).toBeGreaterThan(0.05);
      expect(f[o + 2]).toBeLessThan(0.3);
      expect(Number.isInteger(f[o + 3])).toBe(true);
      expect(f[o + 5]).toBeGreaterThan(0);
      for (const k of [4, 7]) expect(f[o + k]).toBeGreaterThanOrEqual(0), expect(f[o + k]).toBeLessThan(1);
    }
  });

  it('shows every kind of shape in the first five, so a sparse haze still holds a window and a figure', () => {
    for (const seed of [1, 2, 3, 1987]) {
      const f = layoutFragments(seed, 5);
      const kinds = new Set(Array.from({ length: 5 }, (_, i) => f[i * FRAGMENT_STRIDE + 3]));
      expect(kinds.size).toBe(FRAGMENT_KINDS.length);
    }
  });

  it('spreads fragments apart instead of piling them up', () => {
    const f = layoutFragments(1987, 7);
    let closest = Infinity;
    for (let i = 0; i < 7; i++)
      for (let j = 0; j < i; j++) closest = Math.min(closest, Math.hypot(f[i * FRAGMENT_STRIDE] - f[j * FRAGMENT_STRIDE], f[i * FRAGMENT_STRIDE + 1] - f[j * FRAGMENT_STRIDE + 1]));
    expect(closest).toBeGreaterThan(0.12);
  });

  it('returns an empty layout for a count of zero or a bad count', () => {
    expect(layoutFragments(1, 0).length).toBe(0);
    expect(layoutFragments(1, -3).length).toBe(0);
    expect(layoutFragments(1, Number.NaN).length).toBe(0);
  });
});
