import { describe, expect, it } from 'vitest';
import { breath, chord, clickTrain, clicks, clippedSine, concat, midiToHz, mix, pulseTimes, seededRandom, silence, sine, square, whiteNoise } from './signals.ts';

function rms(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s / x.length);
}

describe('signals', () => {
  it('makes a sine of the asked frequency, amplitude and length (both call forms)', () => {
    const a = sine({ sampleRate: 48000, duration: 1, frequency: 440, amplitude: 0.5 });
    const b = sine(440, 0.5, 1, 48000);
    expect(a.length).toBe(48000);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(rms(a)).toBeCloseTo(0.5 / Math.SQRT2, 4);
    let crossings = 0;
    for (let i = 1; i < a.length; i++) if (a[i - 1] < 0 !== a[i] < 0) crossings++;
    expect(crossings).toBeGreaterThanOrEqual(879);
    expect(crossings).toBeLessThanOrEqual(881);
  });

  it('tunes MIDI notes to A4 = 440 Hz and builds chords from them', () => {
    expect(midiToHz(69)).toBe(440);
    expect(midiToHz(60)).toBeCloseTo(261.6256, 3);
    const c = chord({ sampleRate: 44100, duration: 0.5, notes: [60, 64, 67], amplitude: 0.2 });
    expect(Array.from(chord([60, 64, 67], 0.2, 0.5, 44100))).toEqual(Array.from(c));
    // Three uncorrelated sines of amplitude 0.2: rms = sqrt(3 * 0.02).
    expect(rms(c)).toBeCloseTo(Math.sqrt(3 * 0.02), 2);
  });

  it('starts each click exactly on its sample and leaves silence elsewhere', () => {
    const sr = 8000;
    const x = clicks({ sampleRate: sr, duration: 1, times: [0.25, 0.5], amplitude: 0.9, clickMs: 2 });
    expect(x[2000]).toBeCloseTo(0.9, 6);
    expect(x[4000]).toBeCloseTo(0.9, 6);
    expect(x[1999]).toBe(0);
    expect(x[3999]).toBe(0);
    let nonZero = 0;
    for (let i = 0; i < x.length; i++) if (x[i] !== 0) nonZero++;
    expect(nonZero).toBeLessThanOrEqual(2 * 16);
    expect(Array.from(clickTrain([0.25, 0.5], 1, sr, 0.9))).toEqual(Array.from(clicks({ sampleRate: sr, duration: 1, times: [0.25, 0.5], amplitude: 0.9 })));
    expect(pulseTimes(120, 3, 1)).toEqual([1, 1.5, 2]);
  });

  it('repeats noise for a seed, differs across seeds, and hits the asked RMS', () => {
    const a = whiteNoise({ sampleRate: 44100, duration: 1, rms: 0.1, seed: 3 });
    const b = whiteNoise({ sampleRate: 44100, duration: 1, rms: 0.1, seed: 3 });
    const c = whiteNoise({ sampleRate: 44100, duration: 1, rms: 0.1, seed: 4 });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(rms(a)).toBeCloseTo(0.1, 2);
    const r = seededRandom(1);
    for (let i = 0; i < 1000; i++) {
      const v = r();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
    const br = breath({ sampleRate: 8000, duration: 4, rms: 0.1, rate: 0.5 });
    expect(Math.abs(br[0])).toBe(0);
    expect(rms(br.subarray(7000, 9000))).toBeGreaterThan(0.08);
  });

  it('clips at full scale and makes silence, sums and joins', () => {
    const c = clippedSine({ sampleRate: 44100, duration: 0.1, frequency: 100 });
    expect(Math.max(...c)).toBe(1);
    expect(Math.min(...c)).toBe(-1);
    const s = square({ sampleRate: 8000, duration: 0.1, frequency: 100 });
    expect(s.every((v) => v === 1 || v === -1)).toBe(true);
    expect(silence({ sampleRate: 100, duration: 1 }).every((v) => v === 0)).toBe(true);
    const m = mix([{ signal: new Float32Array([1, 1]) }, { signal: new Float32Array([1, 1, 1]), gain: 0.5 }]);
    expect(Array.from(m)).toEqual([1.5, 1.5, 0.5]);
    expect(Array.from(mix(new Float32Array([1]), new Float32Array([2, 3])))).toEqual([3, 3]);
    expect(Array.from(concat([new Float32Array([1]), new Float32Array([2, 3])]))).toEqual([1, 2, 3]);
  });

  it('rejects a bad sample rate or duration with a message', () => {
    expect(() => sine({ sampleRate: 0, duration: 1, frequency: 1 })).toThrow(/sampleRate/);
    expect(() => silence({ sampleRate: 100, duration: -1 })).toThrow(/duration/);
  });
});
