import { describe, expect, it } from 'vitest';
import { OnsetDetector } from './onsets.ts';

/** A frame with one sharp click `age` samples before its newest sample. */
function frameWithClick(n: number, age: number): Float32Array {
  const f = new Float32Array(n);
  if (age >= 0 && age < n) f[n - 1 - age] = 0.8;
  return f;
}

describe('OnsetDetector', () => {
  const sr = 44100;
  const make = () => new OnsetDetector({ sampleRate: sr, frameSize: 2048, hopSize: 512 });

  it('fires once per crossing and re-arms only after the ODF falls back', () => {
    const d = make();
    const quiet = new Float32Array(2048);
    let t = 0;
    const step = 512 / sr;
    for (let i = 0; i < 20; i++) expect(d.update(0.001, quiet, (t += step), 0)).toBe(false);
    expect(d.update(1, frameWithClick(2048, 100), (t += step), 0.8)).toBe(true);
    expect(Math.abs(d.lastOnsetTime - (t - 100 / sr))).toBeLessThan(0.002);
    // Still above threshold on the next hop: the same event, no second onset.
    expect(d.update(1, frameWithClick(2048, 612), (t += step), 0.8)).toBe(false);
    for (let i = 0; i < 10; i++) d.update(0.001, quiet, (t += step), 0);
    expect(d.update(1, frameWithClick(2048, 10), (t += step), 0.8)).toBe(true);
  });

  it('respects the minimum gap of 50 ms', () => {
    const d = make();
    const quiet = new Float32Array(2048);
    let t = 1;
    const step = 512 / sr;
    expect(d.update(1, frameWithClick(2048, 50), (t += step), 0.8)).toBe(true);
    d.update(0, quiet, (t += step), 0);
    // 2 hops = 23 ms after the first: refused.
    expect(d.update(1, frameWithClick(2048, 50), (t += step), 0.8)).toBe(false);
  });

  it('ignores a rise with no sharp attack unless it is overwhelming', () => {
    const d = make();
    let t = 0;
    const step = 512 / sr;
    const swell = new Float32Array(2048);
    for (let i = 0; i < 2048; i++) swell[i] = 0.1 * Math.sin(i * 0.05) * (i / 2048);
    for (let i = 0; i < 20; i++) d.update(0.05, swell, (t += step), 0.1);
    expect(d.update(0.15, swell, (t += step), 0.1)).toBe(false);
    for (let i = 0; i < 20; i++) d.update(0.05, swell, (t += step), 0.1);
    expect(d.update(5, swell, (t += step), 0.1)).toBe(true);
  });

  it('does not fire below -50 dBFS peak, however sharp the rise', () => {
    const d = make();
    const f = new Float32Array(2048);
    f[2000] = 0.002;
    expect(d.update(1, f, 1, 0.002)).toBe(false);
    // The same event once loud enough on the next hop still counts.
    f[2000] = 0.5;
    expect(d.update(5, f, 1.01, 0.5)).toBe(true);
  });

  it('never fires below the absolute floor, and reset() forgets everything', () => {
    const d = make();
    let t = 0;
    for (let i = 0; i < 50; i++) expect(d.update(0.02, frameWithClick(2048, 5), (t += 0.01), 0.8)).toBe(false);
    d.update(1, frameWithClick(2048, 5), (t += 0.01), 0.8);
    expect(d.lastOnsetTime).toBeGreaterThan(0);
    d.reset();
    expect(d.lastOnsetTime).toBe(-1);
    expect(d.threshold).toBe(0);
  });
});
