import { describe, expect, it } from 'vitest';
import { FLASH_GUARD_PARAMS, FlashGuard } from './flash-guard.ts';

const FPS = 60;

/** Run the guard over a luminance sequence; returns the luminance shown and the k per frame. */
function run(seq: (t: number) => number, seconds: number, guard = new FlashGuard()): { shown: number[]; k: number[]; input: number[] } {
  const shown: number[] = [];
  const k: number[] = [];
  const input: number[] = [];
  let prev = -1;
  for (let i = 0; i < seconds * FPS; i++) {
    const t = i / FPS;
    const x = seq(t);
    const kk = guard.update(x, t);
    // What the host shows: mix(scene, previous shown, k) in linear light.
    const y = prev < 0 ? x : x + (prev - x) * kk;
    prev = y;
    shown.push(y);
    k.push(kk);
    input.push(x);
  }
  return { shown, k, input };
}

/**
 * Most flashes in any one-second window, counted independently of the guard: greedily from
 * each window start, a transition is a swing of >= 0.1 from the running extreme (darker side
 * below 0.8) opposite to the previous one; a flash is a pair of them.
 */
function maxFlashesPerSecond(y: number[]): number {
  let worst = 0;
  for (let s = 0; s < y.length; s++) {
    let transitions = 0;
    let lo = y[s];
    let hi = y[s];
    let dir = 0;
    for (let i = s + 1; i < y.length && i < s + FPS; i++) {
      const v = y[i];
      if (dir >= 0 && hi - v >= 0.1 && v < 0.8) {
        transitions++;
        dir = -1;
        lo = hi = v;
      } else if (dir <= 0 && v - lo >= 0.1 && lo < 0.8) {
        transitions++;
        dir = 1;
        lo = hi = v;
      } else {
        if (v > hi) hi = v;
        if (v < lo) lo = v;
      }
    }
    worst = Math.max(worst, Math.floor(transitions / 2));
  }
  return worst;
}

const square = (hz: number, lo = 0, hi = 1) => (t: number) => (Math.floor(t * hz * 2) % 2 === 0 ? hi : lo);

describe('flash guard', () => {
  it('the counter sees a 10 Hz strobe as 10 flashes per second', () => {
    const { input } = run(square(10), 3);
    expect(maxFlashesPerSecond(input)).toBeGreaterThanOrEqual(9);
  });

  for (const hz of [4, 10, 15, 30]) {
    it(`limits a ${hz} Hz black/white strobe to at most 3 flashes in any second`, () => {
      const { shown, k } = run(square(hz), 6);
      expect(maxFlashesPerSecond(shown)).toBeLessThanOrEqual(3);
      expect(k.some((v) => v > 0)).toBe(true);
    });
  }

  it('eases a sustained 10 Hz strobe to a gentle picture instead of bursts', () => {
    const { shown } = run(square(10), 6);
    const late = shown.slice(3 * FPS);
    // After the first second the shown luminance ripples well under one flash step.
    expect(Math.max(...late) - Math.min(...late)).toBeLessThan(0.1);
  });

  it('still holds the limit with easing off (hard limit alone), and for a grey strobe', () => {
    const hard = new FlashGuard({ easeAboveTransitions: 1000 });
    expect(maxFlashesPerSecond(run(square(12), 5, hard).shown)).toBeLessThanOrEqual(3);
    expect(maxFlashesPerSecond(run(square(8, 0.2, 0.45), 5).shown)).toBeLessThanOrEqual(3);
  });

  it('holds the limit on random flicker', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const values = Array.from({ length: 6 * FPS }, rnd);
    expect(maxFlashesPerSecond(run((t) => values[Math.round(t * FPS)], 6).shown)).toBeLessThanOrEqual(3);
  });

  it('lets slow changes pass untouched', () => {
    const slow = run((t) => 0.5 + 0.5 * Math.sin(2 * Math.PI * 0.25 * t), 8);
    expect(slow.k.every((v) => v === 0)).toBe(true);
    expect(slow.shown).toEqual(slow.input);
  });

  it('lets a flash on every beat at 120 bpm pass untouched (2 flashes per second)', () => {
    // Bright for 3 frames on each beat, dark between: 4 swings a second.
    const beat = run((t) => ((t * 2) % 1 < 3 / FPS ? 0.9 : 0.05), 6);
    expect(beat.k.every((v) => v === 0)).toBe(true);
  });

  it('lets bright changes above the dark limit pass (not a flash by definition)', () => {
    const bright = run(square(10, 0.82, 1), 3);
    expect(bright.k.every((v) => v === 0)).toBe(true);
  });

  it('returns to the scene once the strobe stops', () => {
    const g = new FlashGuard();
    const { shown, k, input } = run((t) => (t < 3 ? square(10)(t) : 0.6), 6, g);
    expect(k[k.length - 1]).toBe(0);
    expect(shown[shown.length - 1]).toBeCloseTo(input[input.length - 1], 6);
    expect(g.limiting).toBe(false);
  });

  it('survives bad measurements without throwing', () => {
    const g = new FlashGuard();
    g.update(0.5, 0);
    expect(g.update(Number.NaN, 1 / 60)).toBe(1);
    expect(g.update(0.5, 2 / 60)).toBe(0);
  });

  it('is the engine parameter /engine/flash-guard, off unless the installation turns it on', () => {
    const p = FLASH_GUARD_PARAMS.params[0];
    expect(p.path).toBe('/engine/flash-guard');
    expect(p.type).toBe('boolean');
    expect(p.defaults[0]).toBe(0);
  });
});
