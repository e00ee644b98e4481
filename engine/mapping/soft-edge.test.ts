import { describe, expect, it } from 'vitest';
import { blendLight, blendSignal, defaultSoftEdges, fillSoftEdgeLut, SOFT_EDGE_LUT_SIZE, softEdgeValue, type SoftEdges } from './index.ts';

const GAMMAS = [1, 1.8, 2.2, 2.6, 3.5];
const CURVES = [0.5, 1, 2, 3, 6];

/** Two side-by-side projectors: A's right edge and B's left edge blend over `w` of each output. */
function pair(w: number, curve: number, gamma: number): { a: SoftEdges; b: SoftEdges } {
  const a = defaultSoftEdges();
  const b = defaultSoftEdges();
  a.right = { width: w, curve, gamma };
  b.left = { width: w, curve, gamma };
  return { a, b };
}

describe('soft-edge blend', () => {
  it('the two overlapping projectors\' linear light sums to 1 across the overlap (several gammas and curves)', () => {
    for (const gamma of GAMMAS) {
      for (const curve of CURVES) {
        for (const w of [0.05, 0.2, 0.5]) {
          const { a, b } = pair(w, curve, gamma);
          let worst = 0;
          for (let i = 0; i <= 500; i++) {
            // Screen position inside the overlap, in A's coordinates 1-w..1 and B's 0..w.
            const xa = 1 - w + (w * i) / 500;
            const xb = xa - (1 - w);
            const y = 0.37;
            const la = Math.pow(softEdgeValue(a, xa, y), gamma);
            const lb = Math.pow(softEdgeValue(b, xb, y), gamma);
            worst = Math.max(worst, Math.abs(la + lb - 1));
          }
          if (!(worst <= 1e-6)) throw new Error(`gamma ${gamma}, curve ${curve}, width ${w}: light sum off by ${worst}`);
        }
      }
    }
  });

  it('the signal alone does not sum to 1 when gamma is not 1 (the ramp is gamma-aware)', () => {
    const { a, b } = pair(0.2, 2, 2.2);
    const sa = softEdgeValue(a, 0.9, 0.5);
    const sb = softEdgeValue(b, 0.1, 0.5);
    expect(sa + sb).toBeGreaterThan(1.2);
    expect(sa).toBeCloseTo(Math.pow(0.5, 1 / 2.2), 12); // the middle of the zone: half the light
  });

  it('a 2×2 array\'s four corner lights sum to 1 in the shared corner', () => {
    const w = 0.25;
    const gamma = 2.4;
    const mk = (l: boolean, r: boolean, b: boolean, t: boolean) => {
      const e = defaultSoftEdges();
      for (const [side, on] of [['left', l], ['right', r], ['bottom', b], ['top', t]] as const) if (on) e[side] = { width: w, curve: 2.5, gamma };
      return e;
    };
    const bl = mk(false, true, false, true);
    const br = mk(true, false, false, true);
    const tl = mk(false, true, true, false);
    const tr = mk(true, false, true, false);
    for (let i = 0; i <= 20; i++) {
      for (let j = 0; j <= 20; j++) {
        const x = 1 - w + (w * i) / 20; // in the bottom-left projector's coordinates
        const y = 1 - w + (w * j) / 20;
        const L = (e: SoftEdges, px: number, py: number) => Math.pow(softEdgeValue(e, px, py), gamma);
        const sum = L(bl, x, y) + L(br, x - (1 - w), y) + L(tl, x, y - (1 - w)) + L(tr, x - (1 - w), y - (1 - w));
        expect(Math.abs(sum - 1)).toBeLessThan(1e-6);
      }
    }
  });

  it('is monotonic across the zone, 0 at the border, 1 inside and outside the zone', () => {
    for (const gamma of GAMMAS) {
      for (const curve of CURVES) {
        let prev = -1;
        let drops = 0;
        for (let i = 0; i <= 1000; i++) {
          const s = blendSignal(i / 1000, curve, gamma);
          if (!(s >= prev)) drops++; // never falls (near the ends doubles saturate, so not strictly)
          prev = s;
        }
        expect(drops).toBe(0);
        expect(blendSignal(0, curve, gamma)).toBe(0);
        expect(blendSignal(1, curve, gamma)).toBe(1);
        expect(blendLight(0.5, curve)).toBe(0.5);
      }
    }
    const e = defaultSoftEdges();
    e.left = { width: 0.2, curve: 2, gamma: 2.2 };
    expect(softEdgeValue(e, 0, 0.5)).toBe(0);
    expect(softEdgeValue(e, 0.2, 0.5)).toBe(1);
    expect(softEdgeValue(e, 0.7, 0.5)).toBe(1);
    expect(softEdgeValue(e, 0.1, 0.5)).toBeGreaterThan(0);
    expect(softEdgeValue(e, 0.1, 0.5)).toBeLessThan(1);
    // Outside the output, or NaN: nothing.
    expect(softEdgeValue(e, -0.01, 0.5)).toBe(0);
    expect(softEdgeValue(e, 0.5, 1.01)).toBe(0);
    expect(softEdgeValue(e, Number.NaN, 0.5)).toBe(0);
    // No blend anywhere: 1 over the whole output, borders included.
    const none = defaultSoftEdges();
    expect(softEdgeValue(none, 0, 0)).toBe(1);
    expect(softEdgeValue(none, 1, 1)).toBe(1);
  });

  it('a larger curve exponent flattens both ends of the ramp', () => {
    expect(blendLight(0.1, 3)).toBeLessThan(blendLight(0.1, 1));
    expect(blendLight(0.9, 3)).toBeGreaterThan(blendLight(0.9, 1));
    expect(blendLight(0.3, 1)).toBeCloseTo(0.3, 15); // p = 1 is a linear light ramp
  });

  it('clamps garbage: width above 0.5, NaN curve or gamma still give a valid ramp', () => {
    const e = defaultSoftEdges();
    e.top = { width: 3, curve: Number.NaN, gamma: Infinity };
    const v = softEdgeValue(e, 0.5, 0.75);
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThan(0);
    expect(v).toBeLessThan(1);
    expect(softEdgeValue(e, 0.5, 0.4)).toBe(1); // the zone is at most half the output
  });

  it('fills a lookup table equal to the ramp', () => {
    const lut = new Float32Array(SOFT_EDGE_LUT_SIZE);
    const edge = { width: 0.2, curve: 2.5, gamma: 2.2 };
    expect(fillSoftEdgeLut(edge, lut)).toBe(lut);
    expect(lut[0]).toBe(0);
    expect(lut[255]).toBe(1);
    for (let i = 0; i < 256; i++) expect(lut[i]).toBeCloseTo(blendSignal(i / 255, 2.5, 2.2), 6);
    for (let i = 1; i < 256; i++) expect(lut[i]).toBeGreaterThanOrEqual(lut[i - 1]);
    // A shader sampling the LUT at x/width reproduces softEdgeValue.
    const e = defaultSoftEdges();
    e.left = edge;
    const x = (0.2 * 100) / 255;
    expect(lut[100]).toBeCloseTo(softEdgeValue(e, x, 0.5), 6);
  });
});
