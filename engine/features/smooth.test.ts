import { describe, expect, it } from 'vitest';
import { AttackRelease, OnsetEnvelope, attackReleaseStep, decayFactor, smoothingCoef, tauFromHalfLife, tauFromSettleTime } from './smooth.ts';
import { bytesPerCall } from '../params/test-alloc.ts';

/** Run a 1-slot follower over a step input (0 until `stepAt`, then 1) at `fps`, sampling at `sampleTimes`. */
function stepCurve(fps: number, sampleTimes: number[], attack: number, release: number, stepAt = 0.5, stepDownAt = Infinity): number[] {
  const f = new AttackRelease(1, attack, release);
  f.reset(0);
  const input = new Float32Array(1);
  const out: number[] = [];
  const dt = 1 / fps;
  let t = 0;
  let k = 0;
  // Integer frame counting keeps the clock exact; sample when a frame lands on a sample time.
  for (let frame = 1; k < sampleTimes.length; frame++) {
    const tNext = frame * dt;
    input[0] = t >= stepAt && t < stepDownAt ? 1 : 0; // the input held over [t, tNext)
    f.process(input, tNext - t);
    t = tNext;
    while (k < sampleTimes.length && Math.abs(t - sampleTimes[k]) < 1e-9) {
      out.push(f.value[0]);
      k++;
    }
    if (frame > 1e6) throw new Error('sample time not on the frame grid');
  }
  return out;
}

describe('smoothingCoef', () => {
  it('is 1 - exp(-dt/tau) and handles the edges', () => {
    expect(smoothingCoef(0.01, 0.1)).toBeCloseTo(1 - Math.exp(-0.1), 12);
    expect(smoothingCoef(0, 0.1)).toBe(0);
    expect(smoothingCoef(-1, 0.1)).toBe(0);
    expect(smoothingCoef(Number.NaN, 0.1)).toBe(0);
    expect(smoothingCoef(1e9, 0.1)).toBe(1);
    expect(smoothingCoef(Infinity, 0.1)).toBe(1);
    expect(smoothingCoef(0.01, 0)).toBe(1); // no smoothing
    expect(smoothingCoef(0.01, Number.NaN)).toBe(1);
    expect(smoothingCoef(0.01, Infinity)).toBe(0); // frozen
  });

  it('converts half-life and settle time', () => {
    expect(1 - smoothingCoef(0.3, tauFromHalfLife(0.3))).toBeCloseTo(0.5, 12);
    expect(1 - smoothingCoef(2, tauFromSettleTime(2, 0.05))).toBeCloseTo(0.05, 12);
  });
});

describe('AttackRelease', () => {
  // Sample times on the common grid of 30, 60 and 144 fps (multiples of 1/6 s... use 1/6 s = 5, 10, 24 frames).
  const times = [0.5, 0.5 + 1 / 6, 0.5 + 2 / 6, 1, 1.5, 2, 3];

  it('draws the same step response at 30, 60 and 144 fps', () => {
    const a = stepCurve(30, times, 0.1, 0.4);
    const b = stepCurve(60, times, 0.1, 0.4);
    const c = stepCurve(144, times, 0.1, 0.4);
    // The analytic curve for a step at 0.5 s: 1 - exp(-(t - 0.5) / 0.1).
    for (let i = 0; i < times.length; i++) {
      const want = 1 - Math.exp(-(times[i] - 0.5) / 0.1);
      expect(a[i]).toBeCloseTo(want, 5);
      expect(b[i]).toBeCloseTo(want, 5);
      expect(c[i]).toBeCloseTo(want, 5);
    }
    // And the values are not trivially all equal (the curve actually moves).
    expect(a[1]).toBeGreaterThan(0.8);
    expect(a[1]).toBeLessThan(0.9);
  });

  it('is frame-rate independent on release too (step down after a full rise)', () => {
    const t = [2, 2 + 1 / 3, 3, 4];
    const a = stepCurve(30, t, 0.05, 0.5, 0, 2);
    const c = stepCurve(144, t, 0.05, 0.5, 0, 2);
    for (let i = 0; i < t.length; i++) {
      expect(a[i]).toBeCloseTo(c[i], 5);
      expect(c[i]).toBeCloseTo(Math.exp(-(t[i] - 2) / 0.5), 4);
    }
  });

  it('rises with the attack time and falls with the release time', () => {
    const f = new AttackRelease(1, 0.02, 1.0);
    f.reset(0);
    const x = new Float32Array([1]);
    for (let i = 0; i < 6; i++) f.process(x, 1 / 60); // 0.1 s up
    expect(f.value[0]).toBeGreaterThan(0.99);
    x[0] = 0;
    for (let i = 0; i < 6; i++) f.process(x, 1 / 60); // 0.1 s down
    expect(f.value[0]).toBeGreaterThan(0.85); // slow release: still high
    expect(f.value[0]).toBeLessThan(0.95);
  });

  it('supports per-slot times', () => {
    const f = new AttackRelease(2, [0.01, 1], [0.01, 1]);
    f.reset(0);
    f.process(new Float32Array([1, 1]), 0.1);
    expect(f.value[0]).toBeGreaterThan(0.99);
    expect(f.value[1]).toBeLessThan(0.1);
    f.setSlotTimes(1, 0, 0);
    f.process(new Float32Array([1, 1]), 0.001);
    expect(f.value[1]).toBe(1); // time 0: no smoothing
  });

  it('does not let NaN or Infinity poison the state', () => {
    const f = new AttackRelease(2, 0.1, 0.1);
    f.process(new Float32Array([0.5, 0.5]), 1 / 60);
    f.process(new Float32Array([Number.NaN, Infinity]), 1 / 60);
    expect(f.value[0]).toBe(0.5);
    expect(f.value[1]).toBe(0.5);
    f.process(new Float32Array([1, 1]), 1 / 60);
    expect(Number.isFinite(f.value[0])).toBe(true);
    expect(f.value[0]).toBeGreaterThan(0.5);
    // NaN dt and NaN times are harmless too.
    f.process(new Float32Array([0, 0]), Number.NaN);
    expect(Number.isFinite(f.value[0])).toBe(true);
    f.setTimes(Number.NaN, Number.NaN);
    f.process(new Float32Array([0.25, 0.25]), 1 / 60);
    expect(f.value[0]).toBeCloseTo(0.25, 6); // NaN time means no smoothing, never NaN
  });

  it('handles dt = 0 (no change) and a huge dt (lands on the target)', () => {
    const f = new AttackRelease(1, 0.1, 0.1);
    f.reset(0);
    f.process(new Float32Array([1]), 0);
    expect(f.value[0]).toBe(0);
    f.process(new Float32Array([1]), 3600);
    expect(f.value[0]).toBe(1);
    f.process(new Float32Array([0]), -5); // a clock going backwards changes nothing
    expect(f.value[0]).toBe(1);
  });

  it('takes the first finite input as is, unless primed by reset(value)', () => {
    const f = new AttackRelease(1, 1, 1);
    f.process(new Float32Array([Number.NaN]), 0.016);
    f.process(new Float32Array([0.7]), 0.016);
    expect(f.value[0]).toBeCloseTo(0.7, 6);
    f.reset(0);
    f.process(new Float32Array([0.7]), 0.016);
    expect(f.value[0]).toBeLessThan(0.05);
  });

  it('smooths a vector in place', () => {
    const f = new AttackRelease(3, 0.1, 0.1);
    f.reset(0);
    const v = new Float32Array([1, 2, 3]);
    f.processInPlace(v, 0.1);
    const c = 1 - Math.exp(-1);
    expect(v[0]).toBeCloseTo(c, 5);
    expect(v[2]).toBeCloseTo(3 * c, 5);
  });

  it('allocates nothing per call', () => {
    const f = new AttackRelease(120, 0.05, 0.3);
    const x = new Float32Array(120);
    const bytes = bytesPerCall((i) => {
      x[i % 120] = (i % 7) / 7;
      f.process(x, 1 / 60);
    });
    expect(bytes).toBeLessThan(1);
  });
});

describe('attackReleaseStep', () => {
  it('matches the vector follower and ignores non-finite targets', () => {
    const y = attackReleaseStep(0, 1, 0.1, 0.1, 1);
    expect(y).toBeCloseTo(1 - Math.exp(-1), 12);
    expect(attackReleaseStep(0.3, Number.NaN, 0.1, 0.1, 1)).toBe(0.3);
    expect(attackReleaseStep(Number.NaN, 0.4, 0.1, 0.1, 1)).toBe(0.4);
  });
});

describe('OnsetEnvelope', () => {
  it('jumps to 1 and halves every half-life, at any frame rate', () => {
    for (const fps of [30, 60, 144]) {
      const e = new OnsetEnvelope(1 / 3);
      e.trigger();
      expect(e.value).toBe(1);
      const frames = fps; // 1 s = 3 half-lives
      for (let i = 0; i < frames; i++) e.update(1 / fps);
      expect(e.value).toBeCloseTo(0.125, 6);
    }
  });

  it('honours the age of an onset that happened between frames', () => {
    const e = new OnsetEnvelope(0.1);
    e.trigger(0.1);
    expect(e.value).toBeCloseTo(0.5, 12);
    expect(decayFactor(0.2, 0.1)).toBeCloseTo(0.25, 12);
  });

  it('never loses an onset signalled by a counter between frames', () => {
    const e = new OnsetEnvelope(0.05);
    e.step(1 / 60, 10); // latches the counter
    expect(e.value).toBe(0);
    e.step(1 / 60, 12); // two onsets since the last frame
    expect(e.value).toBe(1);
    e.step(1 / 60, 12);
    expect(e.value).toBeLessThan(1);
    e.step(1, 12);
    expect(e.value).toBeLessThan(1e-5);
  });

  it('treats bad times sanely', () => {
    const e = new OnsetEnvelope(Number.NaN); // no decay time: instant
    e.trigger();
    e.update(0.001);
    expect(e.value).toBe(0);
    const f = new OnsetEnvelope(0.1);
    f.trigger(Number.NaN);
    expect(f.value).toBe(1);
    f.update(Number.NaN);
    expect(f.value).toBe(1);
  });
});
