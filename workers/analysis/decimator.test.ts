import { describe, expect, it } from 'vitest';
import { DecimatedRing, decimationBelow, decimationFor } from './decimator.ts';
import { sine } from './signals.ts';

function ringRms(r: DecimatedRing): number {
  const ones = new Float32Array(r.length).fill(1);
  const out = new Float32Array(r.length);
  r.readWindowed(ones, out);
  let s = 0;
  for (let i = r.length >> 1; i < r.length; i++) s += out[i] * out[i];
  return Math.sqrt(s / (r.length >> 1));
}

describe('DecimatedRing', () => {
  it('picks power-of-two factors for the target rates', () => {
    expect([8000, 22050, 44100, 48000, 96000, 192000].map((sr) => decimationFor(sr, 10000))).toEqual([1, 2, 4, 4, 8, 16]);
    expect([44100, 48000, 88200, 96000, 192000].map((sr) => decimationBelow(sr, 48000))).toEqual([1, 1, 2, 2, 4]);
  });

  it('passes a tone below the cutoff and blocks one that would alias', () => {
    const sr = 44100;
    const pass = new DecimatedRing(sr, 4, 1024, 0.4 * (sr / 4));
    const stop = new DecimatedRing(sr, 4, 1024, 0.4 * (sr / 4));
    const low = sine({ sampleRate: sr, duration: 0.5, frequency: 440, amplitude: 0.5 });
    const high = sine({ sampleRate: sr, duration: 0.5, frequency: 9000, amplitude: 0.5 });
    for (let i = 0; i + 512 <= low.length; i += 512) {
      pass.push(low, i, i + 512);
      stop.push(high, i, i + 512);
    }
    expect(ringRms(pass)).toBeCloseTo(0.5 / Math.SQRT2, 2);
    // 9 kHz would fold to 2 kHz at 11.025 kHz; an octave above the cutoff, 4th order: >= 24 dB down.
    expect(ringRms(stop)).toBeLessThan((0.5 / Math.SQRT2) * 0.063);
  });

  it('keeps the newest samples last, in order, across wrap-around', () => {
    const r = new DecimatedRing(1000, 1, 4, 100);
    const src = new Float32Array([1, 2, 3, 4, 5, 6]);
    r.push(src, 0, 6);
    const out = new Float32Array(4);
    r.readWindowed(new Float32Array(4).fill(1), out);
    expect(Array.from(out)).toEqual([3, 4, 5, 6]);
    r.reset();
    r.readWindowed(new Float32Array(4).fill(1), out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  });
});
