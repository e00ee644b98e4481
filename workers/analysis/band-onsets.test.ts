import { describe, expect, it } from 'vitest';
import { F } from '../../engine/features/layout.ts';
import { Analyzer } from './analyzer.ts';
import { BandOnsets } from './band-onsets.ts';
import { loadEssentiaNode } from './load-essentia-node.ts';
import { analyzeSignal } from './offline.ts';
import { mix, whiteNoise } from './signals.ts';

const SR = 44100;
const essentia = loadEssentiaNode();

/** A kick: a 55 Hz thump with a fast decay. */
function kicks(times: number[], duration: number): Float32Array {
  const out = new Float32Array(Math.round(duration * SR));
  for (const t of times) {
    const s0 = Math.round(t * SR);
    for (let k = 0; k < 0.25 * SR && s0 + k < out.length; k++) out[s0 + k] += 0.8 * Math.sin((2 * Math.PI * 55 * k) / SR) * Math.exp(-k / (0.06 * SR));
  }
  return out;
}

/** A hi-hat: a short burst of high-passed noise (first difference of white noise). */
function hats(times: number[], duration: number): Float32Array {
  const noise = whiteNoise({ sampleRate: SR, duration, rms: 0.3, seed: 5 });
  const out = new Float32Array(noise.length);
  for (const t of times) {
    const s0 = Math.round(t * SR);
    for (let k = 1; k < 0.04 * SR && s0 + k < out.length; k++) out[s0 + k] += (noise[s0 + k] - noise[s0 + k - 1]) * Math.exp(-k / (0.01 * SR));
  }
  return out;
}

/** Times at which a band's envelope jumped to 1. */
function bandOnsetTimes(signal: Float32Array): number[][] {
  const analyzer = new Analyzer(essentia, { sampleRate: SR, frameSize: 2048, hopSize: 512 });
  const times: number[][] = [[], [], []];
  const prev = [0, 0, 0];
  analyzeSignal(analyzer, signal, (out, endTime) => {
    for (let b = 0; b < 3; b++) {
      const v = out[F.bandOnsets + b];
      if (v === 1 && prev[b] !== 1) times[b].push(endTime);
      prev[b] = v;
    }
  });
  return times;
}

function near(found: number[], truth: number[], tol = 0.05): number {
  return truth.filter((t) => found.some((f) => Math.abs(f - t) <= tol)).length;
}

describe('per-band onsets', () => {
  const kickTimes = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0];
  const hatTimes = [0.75, 1.25, 1.75, 2.25, 2.75, 3.25, 3.75];

  it('a kick fires the low band and a hi-hat the high band, each at its own times', () => {
    const [low, , high] = bandOnsetTimes(mix(kicks(kickTimes, 4.5), hats(hatTimes, 4.5)));
    expect(near(low, kickTimes)).toBeGreaterThanOrEqual(7);
    expect(near(high, hatTimes)).toBeGreaterThanOrEqual(6);
    // The low band does not fire on the hats, the high band not on the kicks.
    expect(near(low, hatTimes)).toBeLessThanOrEqual(1);
    expect(near(high, kickTimes)).toBeLessThanOrEqual(1);
  });

  it('tape hiss and silence do not flood any band with onsets', () => {
    const hiss = whiteNoise({ sampleRate: SR, duration: 8, rms: 0.003, seed: 11 });
    const quiet = new Float32Array(Math.round(2 * SR));
    const [low, mid, high] = bandOnsetTimes(mix(hiss, new Float32Array(hiss.length)));
    expect(low.length + mid.length + high.length).toBeLessThanOrEqual(3);
    const s = bandOnsetTimes(quiet);
    expect(s[0].length + s[1].length + s[2].length).toBe(0);
  });

  it('decays each envelope by half every half-life, frame-free and finite on junk input', () => {
    const bo = new BandOnsets({ hopRate: 100, halfLife: 0.1 });
    const e = new Float32Array(3);
    for (let i = 0; i < 50; i++) bo.push(e.fill(1e-6), 0, true);
    e[0] = 1; // a big rise in the low band
    bo.push(e, 0, true);
    expect(bo.envelope[0]).toBe(1);
    expect(bo.envelope[1]).toBe(0);
    for (let i = 0; i < 10; i++) bo.push(e, 0, true);
    expect(bo.envelope[0]).toBeCloseTo(0.5, 2);
    e[1] = NaN;
    e[2] = Infinity;
    bo.push(e, 0, true);
    for (const v of bo.envelope) expect(Number.isFinite(v)).toBe(true);
  });
});
