/** The crowd's walkers: seeded, clear of the still figure, and a quiet room empties slowly. */
import { describe, expect, it } from 'vitest';
import {
  PLAZA_FAR_Z,
  PLAZA_HALF_WIDTH,
  PLAZA_NEAR_Z,
  STILL_CLEARANCE,
  STILL_X,
  STILL_Z,
  countOnStage,
  createCrowdState,
  distanceToPath,
  layoutCrowd,
  resetCrowd,
  stepCrowd,
} from './walkers.ts';

const N = 400;
const FPS = 60;

function run(layout: ReturnType<typeof layoutCrowd>, state: ReturnType<typeof createCrowdState>, seconds: number, pace: number, density: number): void {
  for (let f = 0; f < seconds * FPS; f++) stepCrowd(layout, state, 1 / FPS, pace, density);
}

describe('layoutCrowd', () => {
  it('lays out the same crowd from the same seed and another from another seed', () => {
    const a = layoutCrowd(7, N);
    const b = layoutCrowd(7, N);
    const c = layoutCrowd(8, N);
    expect(a.startX).toEqual(b.startX);
    expect(a.rank).toEqual(b.rank);
    expect(Array.from(a.startX).every((v, i) => v === c.startX[i])).toBe(false);
  });

  it('runs every path edge to edge across the plaza, clear of the one who stands still', () => {
    const L = layoutCrowd(3, N);
    for (let i = 1; i < N; i++) {
      expect(Math.hypot(L.dirX[i], L.dirZ[i])).toBeCloseTo(1, 5);
      expect(L.length[i]).toBeGreaterThanOrEqual(8);
      const ex = L.startX[i] + L.dirX[i] * L.length[i];
      const ez = L.startZ[i] + L.dirZ[i] * L.length[i];
      for (const [x, z] of [[L.startX[i], L.startZ[i]], [ex, ez]]) {
        const onEdge = Math.abs(Math.abs(x) - PLAZA_HALF_WIDTH) < 1e-3 || Math.abs(z - PLAZA_FAR_Z) < 1e-3 || Math.abs(z - PLAZA_NEAR_Z) < 1e-3;
        expect(onEdge, `walker ${i} starts and ends at the edge`).toBe(true);
      }
      expect(distanceToPath(STILL_X, STILL_Z, L.startX[i], L.startZ[i], L.dirX[i], L.dirZ[i], L.length[i])).toBeGreaterThanOrEqual(STILL_CLEARANCE - 1e-4);
      expect(L.speed[i]).toBeGreaterThan(0.5);
    }
    // Walker 0 is the still figure, on no path.
    expect([L.startX[0], L.startZ[0], L.length[0]]).toEqual([Math.fround(STILL_X), Math.fround(STILL_Z), 0]);
  });
});

describe('stepCrowd', () => {
  it('opens with the share of the crowd the density admits already on its way', () => {
    const L = layoutCrowd(5, N);
    const s = createCrowdState(L);
    resetCrowd(L, s, 0.5, 5);
    const on = countOnStage(s);
    expect(on).toBeGreaterThan(N * 0.4);
    expect(on).toBeLessThan(N * 0.6);
  });

  it('empties in silence slowly, people leaving at the far edge, and the still one stays', () => {
    const L = layoutCrowd(5, N);
    const s = createCrowdState(L);
    resetCrowd(L, s, 0.6, 5);
    const start = countOnStage(s);
    run(L, s, 5, 1, 0);
    const after5 = countOnStage(s);
    // Nobody vanishes on the spot: after 5 s most are still crossing.
    expect(after5).toBeGreaterThan(start * 0.6);
    expect(after5).toBeLessThan(start);
    run(L, s, 60, 1, 0);
    expect(countOnStage(s)).toBe(1);
    expect(s.onStage[0]).toBe(1);
    // And nobody comes back while the density stays at zero.
    run(L, s, 30, 1, 0);
    expect(countOnStage(s)).toBe(1);
  });

  it('fills an empty concourse gradually when the density rises, walkers entering at their start edge', () => {
    const L = layoutCrowd(9, N);
    const s = createCrowdState(L);
    resetCrowd(L, s, 0, 9);
    expect(countOnStage(s)).toBe(1);
    let entered = 0;
    let firstSecond = 0;
    for (let f = 0; f < 40 * FPS; f++) {
      const before = Uint8Array.from(s.onStage);
      stepCrowd(L, s, 1 / FPS, 1, 0.8);
      for (let i = 1; i < N; i++) {
        if (before[i] === 0 && s.onStage[i] === 1) {
          entered++;
          if (f < FPS) firstSecond++;
          expect(s.along[i]).toBeLessThan(0.1); // at the start of its path, not mid-plaza
        }
      }
    }
    const on = countOnStage(s);
    // Most admitted walkers are crossing; the rest wait their turn off stage between crossings.
    expect(on).toBeGreaterThan(N * 0.45);
    expect(on).toBeLessThanOrEqual(Math.ceil(N * 0.8) + 1);
    // Staggered: far fewer than all of them in the first second.
    expect(firstSecond).toBeLessThan(entered * 0.25);
  });

  it('moves walkers at their speed times the pace, and pace 0 holds the crowd still', () => {
    const L = layoutCrowd(2, N);
    const s = createCrowdState(L);
    resetCrowd(L, s, 1, 2);
    const i = 5;
    s.along[i] = 1;
    stepCrowd(L, s, 0.5, 1.5, 1);
    expect(s.along[i]).toBeCloseTo(1 + L.speed[i] * 1.5 * 0.5, 4);
    const frozen = Float32Array.from(s.along);
    run(L, s, 2, 0, 1);
    expect(s.along).toEqual(frozen);
  });

  it('ignores bad numbers instead of corrupting positions', () => {
    const L = layoutCrowd(2, 50);
    const s = createCrowdState(L);
    resetCrowd(L, s, 1, 2);
    const before = Float32Array.from(s.along);
    stepCrowd(L, s, Number.NaN, 1, 1);
    stepCrowd(L, s, 1 / 60, Number.POSITIVE_INFINITY, 1);
    stepCrowd(L, s, -1, 1, Number.NaN);
    expect(s.along).toEqual(before);
    for (const v of s.along) expect(Number.isFinite(v)).toBe(true);
  });
});
