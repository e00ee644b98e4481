/** Procedural glass trees: deterministic, well-formed, and wound so the glass is not culled. */
import { describe, expect, it } from 'vitest';
import { growTree, layoutForest, wrapHalfWidth } from './grow.ts';

describe('growTree', () => {
  it('grows the same tree from the same seed and a different one from another', () => {
    const a = growTree({ seed: 11 });
    const b = growTree({ seed: 11 });
    const c = growTree({ seed: 12 });
    expect(a.positions).toEqual(b.positions);
    expect(a.positions.length === c.positions.length && a.positions.every((v, i) => v === c.positions[i])).toBe(false);
  });

  it('is a valid indexed mesh with growth order 0..1, hanging roots and a crown above', () => {
    const t = growTree({ seed: 23 });
    const n = t.positions.length / 3;
    expect(t.normals.length).toBe(n * 3);
    expect(t.along.length).toBe(n);
    for (const i of t.indices) expect(i).toBeLessThan(n);
    for (const v of t.positions) expect(Number.isFinite(v)).toBe(true);
    expect(Math.min(...t.along)).toBe(0);
    expect(Math.max(...t.along)).toBeCloseTo(1);
    let lowestRoot = 0;
    for (let i = 0; i < n; i++) if (t.root[i] === 1) lowestRoot = Math.min(lowestRoot, t.positions[i * 3 + 1]);
    expect(lowestRoot).toBeLessThan(-0.2);
    expect(t.height).toBeGreaterThan(1.5);
    // Software GL pays per vertex: keep a tree within budget so dozens render smoothly.
    expect(t.indices.length / 3).toBeLessThan(1200);
  });

  it('winds triangles outward, so back-face culling keeps the glass visible', () => {
    const t = growTree({ seed: 37 });
    let outward = 0;
    const p = t.positions;
    for (let k = 0; k < t.indices.length; k += 3) {
      const [a, b, c] = [t.indices[k], t.indices[k + 1], t.indices[k + 2]];
      const e1 = [p[b * 3] - p[a * 3], p[b * 3 + 1] - p[a * 3 + 1], p[b * 3 + 2] - p[a * 3 + 2]];
      const e2 = [p[c * 3] - p[a * 3], p[c * 3 + 1] - p[a * 3 + 1], p[c * 3 + 2] - p[a * 3 + 2]];
      const fn = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
      const vn = [0, 1, 2].map((j) => t.normals[a * 3 + j] + t.normals[b * 3 + j] + t.normals[c * 3 + j]);
      if (fn[0] * vn[0] + fn[1] * vn[1] + fn[2] * vn[2] > 0) outward++;
    }
    expect(outward / (t.indices.length / 3)).toBeGreaterThan(0.97);
  });
});

describe('layoutForest', () => {
  it('places every tree inside the drift volume, which widens with distance', () => {
    const { data } = layoutForest(300, 7, 7, 0.8, 2, -30);
    for (let i = 0; i < 300; i++) {
      const [x, , z] = [data[i * 8], data[i * 8 + 1], data[i * 8 + 2]];
      expect(z).toBeLessThanOrEqual(2);
      expect(z).toBeGreaterThanOrEqual(-30);
      expect(Math.abs(x)).toBeLessThanOrEqual(wrapHalfWidth(z, 7, 0.8));
    }
  });

  it('spreads any prefix evenly, so fewer trees thin the forest rather than empty one side', () => {
    const { data } = layoutForest(40, 7, 7, 0.8, 2, -30);
    let left = 0;
    for (let i = 0; i < 40; i++) if (data[i * 8] < 0) left++;
    expect(left).toBeGreaterThanOrEqual(15);
    expect(left).toBeLessThanOrEqual(25);
  });
});
