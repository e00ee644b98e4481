import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../workers/analysis/signals.ts';
import {
  isSelfIntersecting,
  MappingError,
  MASK_MAX_POINTS,
  maskCoverage,
  pointInPolygon,
  polygonArea,
  polygonEdgeDistance,
  polygonProblem,
  triangulatePolygon,
} from './index.ts';

const SQUARE = [0.2, 0.2, 0.8, 0.2, 0.8, 0.8, 0.2, 0.8];
/** A "C" shape, counter-clockwise: the notch on the right is outside. */
const C_SHAPE = [0.1, 0.1, 0.9, 0.1, 0.9, 0.3, 0.3, 0.3, 0.3, 0.7, 0.9, 0.7, 0.9, 0.9, 0.1, 0.9];
/** A 5-pointed star (concave, simple), clockwise. */
function star(n = 5, r1 = 0.4, r2 = 0.16): number[] {
  const p: number[] = [];
  for (let i = 0; i < 2 * n; i++) {
    const a = -(i * Math.PI) / n;
    const r = i % 2 === 0 ? r1 : r2;
    p.push(0.5 + r * Math.cos(a), 0.5 + r * Math.sin(a));
  }
  return p;
}

function triArea(p: ArrayLike<number>, idx: ArrayLike<number>, count: number): { total: number; signs: Set<number> } {
  let total = 0;
  const signs = new Set<number>();
  for (let t = 0; t < count; t += 3) {
    const [a, b, c] = [idx[t], idx[t + 1], idx[t + 2]];
    const z = (p[2 * b] - p[2 * a]) * (p[2 * c + 1] - p[2 * a + 1]) - (p[2 * b + 1] - p[2 * a + 1]) * (p[2 * c] - p[2 * a]);
    total += Math.abs(z) / 2;
    if (z !== 0) signs.add(Math.sign(z));
  }
  return { total, signs };
}

describe('polygon masks', () => {
  it('point in polygon: convex square', () => {
    expect(pointInPolygon(SQUARE, 0.5, 0.5)).toBe(true);
    expect(pointInPolygon(SQUARE, 0.79, 0.21)).toBe(true);
    expect(pointInPolygon(SQUARE, 0.1, 0.5)).toBe(false);
    expect(pointInPolygon(SQUARE, 0.5, 0.9)).toBe(false);
    expect(pointInPolygon(SQUARE, 0.85, 0.5)).toBe(false);
  });

  it('point in polygon: concave C and star, checked against a dense reference on a grid', () => {
    expect(pointInPolygon(C_SHAPE, 0.2, 0.5)).toBe(true); // the back of the C
    expect(pointInPolygon(C_SHAPE, 0.6, 0.5)).toBe(false); // in the notch
    expect(pointInPolygon(C_SHAPE, 0.6, 0.2)).toBe(true); // lower arm
    expect(pointInPolygon(C_SHAPE, 0.6, 0.8)).toBe(true); // upper arm
    const s = star();
    expect(pointInPolygon(s, 0.5, 0.5)).toBe(true);
    expect(pointInPolygon(s, 0.5 + 0.3, 0.5)).toBe(true); // along a tip
    const between = -Math.PI / 5; // direction of an inner corner
    expect(pointInPolygon(s, 0.5 + 0.3 * Math.cos(between), 0.5 + 0.3 * Math.sin(between))).toBe(false);
  });

  it('even-odd: the overlap of a self-intersecting outline is outside', () => {
    const bow = [0, 0, 1, 1, 1, 0, 0, 1]; // bow-tie
    expect(pointInPolygon(bow, 0.2, 0.5)).toBe(true); // left lobe
    expect(pointInPolygon(bow, 0.8, 0.5)).toBe(true); // right lobe
    expect(pointInPolygon(bow, 0.5, 0.2)).toBe(false); // between the lobes
    const pentagram: number[] = [];
    for (let i = 0; i < 5; i++) {
      const a = Math.PI / 2 + (i * 4 * Math.PI) / 5;
      pentagram.push(0.5 + 0.4 * Math.cos(a), 0.5 + 0.4 * Math.sin(a));
    }
    expect(pointInPolygon(pentagram, 0.5, 0.5)).toBe(false); // the centre is wound twice
    expect(pointInPolygon(pentagram, 0.5, 0.85)).toBe(true); // a tip
  });

  it('inverted masks and feather', () => {
    const m = { points: SQUARE, inverted: false, feather: 0 };
    expect(maskCoverage(m, 0.5, 0.5)).toBe(1);
    expect(maskCoverage(m, 0.05, 0.5)).toBe(0);
    const inv = { ...m, inverted: true };
    expect(maskCoverage(inv, 0.5, 0.5)).toBe(0);
    expect(maskCoverage(inv, 0.05, 0.5)).toBe(1);
    const f = { points: SQUARE, inverted: false, feather: 0.1 };
    expect(maskCoverage(f, 0.2, 0.5)).toBeCloseTo(0.5, 12); // on the outline
    expect(maskCoverage(f, 0.25, 0.5)).toBe(1); // half the feather inside
    expect(maskCoverage(f, 0.15, 0.5)).toBe(0);
    const c1 = maskCoverage(f, 0.22, 0.5);
    const c2 = maskCoverage(f, 0.18, 0.5);
    expect(c1).toBeGreaterThan(0.5);
    expect(c1).toBeLessThan(1);
    expect(c1 + c2).toBeCloseTo(1, 12); // symmetric about the outline
    expect(maskCoverage({ ...f, inverted: true }, 0.22, 0.5)).toBeCloseTo(1 - c1, 15);
    expect(polygonEdgeDistance(SQUARE, 0.5, 0.5)).toBeCloseTo(0.3, 15);
    expect(polygonEdgeDistance(SQUARE, 1, 1)).toBeCloseTo(Math.hypot(0.2, 0.2), 15);
  });

  it('validation: at least 3 points, even length, finite, capped', () => {
    expect(polygonProblem(SQUARE)).toBeNull();
    expect(polygonProblem([0, 0, 1, 1])).toMatch(/at least 3/);
    expect(polygonProblem([0, 0, 1, 1, 0])).toMatch(/odd/);
    expect(polygonProblem([0, 0, 1, Number.NaN, 0, 1])).toMatch(/coordinate 3/);
    expect(polygonProblem([0, 0, 1, Infinity, 0, 1])).toMatch(/finite/);
    expect(polygonProblem(new Array((MASK_MAX_POINTS + 1) * 2).fill(0))).toMatch(/at most/);
  });

  it('triangulation covers exactly the polygon: area sums and every triangle wound one way', () => {
    const r = seededRandom(4);
    // A random star-shaped polygon (simple: radius varies with angle).
    const blob: number[] = [];
    for (let i = 0; i < 60; i++) {
      const a = (i / 60) * 2 * Math.PI;
      const rad = 0.15 + 0.3 * r();
      blob.push(0.5 + rad * Math.cos(a), 0.5 + rad * Math.sin(a));
    }
    for (const poly of [SQUARE, C_SHAPE, star(), star(7, 0.45, 0.05), blob, [...SQUARE].reverse()]) {
      const n = poly.length / 2;
      const idx = new Uint16Array(3 * (n - 2));
      const count = triangulatePolygon(poly, idx);
      expect(count).toBe(3 * (n - 2));
      const { total, signs } = triArea(poly, idx, count);
      expect(Math.abs(total - polygonArea(poly))).toBeLessThan(1e-12);
      expect(signs.size).toBe(1);
      // Each triangle's centroid lies inside the polygon (no triangle covers the C's notch).
      for (let t = 0; t < count; t += 3) {
        const cx = (poly[2 * idx[t]] + poly[2 * idx[t + 1]] + poly[2 * idx[t + 2]]) / 3;
        const cy = (poly[2 * idx[t] + 1] + poly[2 * idx[t + 1] + 1] + poly[2 * idx[t + 2] + 1]) / 3;
        expect(pointInPolygon(poly, cx, cy)).toBe(true);
      }
    }
    expect(polygonArea(C_SHAPE)).toBeCloseTo(0.64 - 0.6 * 0.4, 14);
  });

  it('triangulation skips corners lying on a straight edge', () => {
    const p = [0, 0, 0.5, 0, 1, 0, 1, 1, 0, 1]; // (0.5, 0) is on the bottom edge
    const idx = new Uint32Array(9);
    const count = triangulatePolygon(p, idx);
    const { total } = triArea(p, idx, count);
    expect(total).toBeCloseTo(1, 14);
    expect(count % 3).toBe(0);
  });

  it('refuses self-intersecting polygons, zero area and short buffers with a clear error', () => {
    const bow = [0, 0, 1, 1, 1, 0, 0, 1];
    expect(isSelfIntersecting(bow)).toBe(true);
    expect(isSelfIntersecting(SQUARE)).toBe(false);
    expect(isSelfIntersecting(C_SHAPE)).toBe(false);
    expect(isSelfIntersecting(star())).toBe(false);
    let err: unknown;
    try {
      triangulatePolygon(bow, new Uint16Array(6));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MappingError);
    expect((err as MappingError).code).toBe('self-intersecting');
    expect((err as MappingError).message).toMatch(/crosses itself/);
    // An outline that touches itself at a corner, and one that doubles back.
    expect(isSelfIntersecting([0, 0, 1, 0, 0.5, 0.5, 1, 1, 0, 1, 0.5, 0.5])).toBe(true);
    expect(isSelfIntersecting([0, 0, 1, 0, 0.5, 0, 0.5, 1])).toBe(true);
    // Three corners on a line: the outline runs back over itself (no area to cover).
    expect(() => triangulatePolygon([0, 0, 1, 1, 2, 2], new Uint16Array(3))).toThrow(MappingError);
    expect(() => triangulatePolygon(SQUARE, new Uint16Array(5))).toThrow(/needs 6/);
    expect(() => triangulatePolygon([0, 0, 1, 1], new Uint16Array(3))).toThrow(MappingError);
  });
});
