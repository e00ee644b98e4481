import { afterAll, describe, expect, it } from 'vitest';
import { EssentiaFacade, PitchResult, essentiaError } from './essentia-facade.ts';
import { loadEssentiaNode, loadEssentiaPackageNode } from './load-essentia-node.ts';
import { sine } from './signals.ts';

const essentia = loadEssentiaNode();
afterAll(() => essentia.dispose());

function hannFrame(x: Float32Array): Float32Array {
  const n = x.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = x[i] * (4 / n) * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
  return out;
}

describe('EssentiaFacade', () => {
  it('loads without leaving process-wide error handlers behind', () => {
    const before = [process.listeners('uncaughtException').length, process.listeners('unhandledRejection').length];
    const other = loadEssentiaNode();
    expect([process.listeners('uncaughtException').length, process.listeners('unhandledRejection').length]).toEqual(before);
    expect(other.version).toMatch(/\d/);
    other.dispose();
  });

  it('reads and writes WASM vectors through the heap', () => {
    expect(essentia.heapAccess).toBe(true);
  });

  it('computes the magnitude spectrum of a bin-centred sine: peak = amplitude in its bin', () => {
    const sr = 44100;
    const n = 2048;
    const f = (20 * sr) / n;
    const frame = hannFrame(sine({ sampleRate: sr, duration: n / sr, frequency: f, amplitude: 0.5 }));
    const mag = new Float32Array(n / 2 + 1);
    essentia.spectrum(frame, mag);
    expect(mag[20]).toBeCloseTo(0.5, 3);
    expect(mag[19]).toBeCloseTo(0.25, 3);
    expect(mag[100]).toBeLessThan(1e-4);
  });

  it('finds pitch with PitchYinFFT and chroma with SpectralPeaks + HPCP', () => {
    const sr = 44100;
    const frame = hannFrame(sine({ sampleRate: sr, duration: 2048 / sr, frequency: 440, amplitude: 0.5 }));
    const mag = new Float32Array(1025);
    essentia.spectrum(frame, mag);
    const r = new PitchResult();
    essentia.pitchYinFFT(mag, { frameSize: 2048, minFrequency: 40, maxFrequency: 5000, sampleRate: sr, tolerance: 1 }, r);
    expect(r.pitch).toBeCloseTo(440, -1);
    expect(r.confidence).toBeGreaterThan(0.9);
    const hpcp = new Float32Array(12);
    const peaks = essentia.hpcpFromSpectrum(mag, 1025, { magnitudeThreshold: 1e-5, minFrequency: 40, maxFrequency: 5000, maxPeaks: 60, sampleRate: sr }, { size: 12, referenceFrequency: 440, minFrequency: 40, maxFrequency: 5000, harmonics: 0, windowSize: 1, sampleRate: sr }, hpcp);
    expect(peaks).toBeGreaterThan(0);
    expect(hpcp[0]).toBe(1); // essentia's bin 0 is A
    const freqs = new Float32Array(8);
    const mags = new Float32Array(8);
    const n = essentia.spectralPeaks(mag, 1025, { magnitudeThreshold: 0.1, minFrequency: 40, maxFrequency: 5000, maxPeaks: 8, sampleRate: sr }, freqs, mags);
    expect(n).toBe(1);
    expect(freqs[0]).toBeCloseTo(440, -1);
    const again = new Float32Array(12);
    essentia.hpcp(freqs, mags, n, { size: 12, referenceFrequency: 440, minFrequency: 40, maxFrequency: 5000, harmonics: 0, windowSize: 1, sampleRate: sr }, again);
    expect(again[0]).toBe(1);
  });

  it('turns essentia C++ exceptions (bare numbers) into Errors with essentia\'s message', () => {
    const mag = new Float32Array(1025);
    mag[20] = 1;
    expect(() =>
      essentia.hpcpFromSpectrum(mag, 1025, { magnitudeThreshold: 0, minFrequency: 40, maxFrequency: 5000, maxPeaks: 10, sampleRate: 44100 }, { size: 13, referenceFrequency: 440, minFrequency: 40, maxFrequency: 5000, harmonics: 0, windowSize: 1, sampleRate: 44100 }, new Float32Array(13)),
    ).toThrow(/essentia HPCP: .*multiple of 12/);
    expect(() => essentia.pitchYinFFT(mag, { frameSize: 4, minFrequency: 30, maxFrequency: 5000, sampleRate: 44100, tolerance: 1 }, new PitchResult())).toThrow(/essentia PitchYinFFT: .*frequenc/);
    expect(essentiaError(42, 'X').message).toBe('essentia X: C++ exception (code 42)');
    expect(essentiaError('boom', 'X').message).toBe('essentia X: boom');
    expect(() => essentia.spectrum(new Float32Array(3), new Float32Array(3))).toThrow(/even/);
  });

  it('rejects something that is not an essentia instance', () => {
    expect(() => new EssentiaFacade({} as never)).toThrow(/essentia\.js instance/);
  });

  it('measures leaks: the heap-top probe rises when vectors are not freed, and stays put when they are', () => {
    const { Essentia, EssentiaWASM } = loadEssentiaPackageNode();
    const raw = new Essentia(EssentiaWASM);
    const frame = new Float32Array(2048);
    const mag = new Float32Array(1025);
    for (let i = 0; i < 200; i++) essentia.spectrum(frame, mag);
    const top0 = essentia.heapTopProbe();
    for (let i = 0; i < 2000; i++) essentia.spectrum(frame, mag);
    const top1 = essentia.heapTopProbe();
    expect(top1 - top0).toBeLessThan(16 * 1024);
    const v = new EssentiaWASM.VectorFloat();
    v.resize(2048, 0);
    const leaked = [];
    for (let i = 0; i < 100; i++) leaked.push(raw.algorithms.Spectrum(v, 2048).spectrum);
    const top2 = essentia.heapTopProbe();
    expect(top2 - top1).toBeGreaterThan(100 * 1025 * 4);
    for (const l of leaked) l.delete();
    v.delete();
    raw.delete();
  });
});
