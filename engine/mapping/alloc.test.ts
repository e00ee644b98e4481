import { describe, expect, it } from 'vitest';
import { bytesPerCall } from '../params/test-alloc.ts';
import {
  applyHomography,
  createMesh,
  defaultSoftEdges,
  evaluateMesh,
  maskCoverage,
  pointInPolygon,
  softEdgeValue,
  squareToQuadHomography,
  tessellateMesh,
  tessellationFloatCount,
  testPatternColour,
  type TestPattern,
} from './index.ts';

// In a file of its own: V8's type feedback is per process, and the other tests' garbage inputs
// would otherwise decide what the JIT makes of the per-point functions measured here.
describe('per-point evaluation allocates nothing', () => {
  /** Coordinates precomputed in typed arrays, so the driver itself creates no numbers. */
  const N = 1024;
  const us = new Float64Array(N);
  const vs = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    us[i] = ((i * 37) % N) / (N - 1);
    vs[i] = ((i * 101) % N) / (N - 1);
  }
  const out = new Float64Array(3);
  const sink = new Float64Array(1);

  it('applyHomography', () => {
    const h = squareToQuadHomography([0.1, 0.05, 0.92, 0.12, 0.8, 0.97, 0.18, 0.85]);
    expect(bytesPerCall((i) => {
      sink[0] = applyHomography(h, us[i & 1023], vs[i & 1023], out);
    })).toBeLessThan(1);
  });

  it('evaluateMesh on a warped 17×17 grid', () => {
    const m = createMesh(17, 17);
    for (let k = 0; k < m.points.length; k++) m.points[k] += 0.01 * Math.sin(k);
    expect(bytesPerCall((i) => evaluateMesh(m, us[i & 1023], vs[i & 1023], out))).toBeLessThan(1);
  });

  it('softEdgeValue with all four edges blending', () => {
    const e = defaultSoftEdges();
    e.left = { width: 0.2, curve: 2, gamma: 2.2 };
    e.right = { width: 0.1, curve: 3, gamma: 2.4 };
    e.bottom = { width: 0.15, curve: 1, gamma: 1.8 };
    e.top = { width: 0.3, curve: 2.5, gamma: 2.2 };
    expect(bytesPerCall((i) => {
      sink[0] = softEdgeValue(e, us[i & 1023], vs[i & 1023]);
    })).toBeLessThan(1);
  });

  it('pointInPolygon and maskCoverage (feathered, inverted)', () => {
    const star = new Float64Array(20);
    for (let k = 0; k < 10; k++) {
      const r = k % 2 === 0 ? 0.4 : 0.15;
      star[2 * k] = 0.5 + r * Math.cos((k * Math.PI) / 5);
      star[2 * k + 1] = 0.5 + r * Math.sin((k * Math.PI) / 5);
    }
    const mask = { points: star, inverted: true, feather: 0.02 };
    let hits = 0;
    expect(bytesPerCall((i) => {
      if (pointInPolygon(star, us[i & 1023], vs[i & 1023])) hits++;
    })).toBeLessThan(1);
    expect(hits).toBeGreaterThan(0);
    expect(bytesPerCall((i) => {
      sink[0] = maskCoverage(mask, us[i & 1023], vs[i & 1023]);
    })).toBeLessThan(1);
  });

  it('testPatternColour, every pattern', () => {
    const patterns: readonly TestPattern[] = ['grid', 'bars', 'edges'];
    expect(bytesPerCall((i) => testPatternColour(us[i & 1023], vs[i & 1023], patterns[i % 3], 1920, 1080, out))).toBeLessThan(1);
  });

  it('tessellateMesh into a caller buffer', () => {
    const m = createMesh(5, 5);
    m.points[12] += 0.05;
    const h = squareToQuadHomography([0.1, 0.05, 0.92, 0.12, 0.8, 0.97, 0.18, 0.85]);
    const verts = new Float32Array(tessellationFloatCount(8, 8));
    expect(bytesPerCall(() => tessellateMesh(m, 8, 8, verts, h), 2000, 5, 2000)).toBeLessThan(1);
  });
});
