/**
 * Known-answer tests of the live analyser on real essentia.js, fed hop by hop exactly like
 * the analysis worker feeds it. Signals come from signals.ts with known ground truth.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CHROMA_BINS, F, FEATURE_COUNT, FEATURE_DECLS, MEL_BANDS, MFCC_COEFFS } from '../../engine/features/layout.ts';
import { Analyzer, type AnalyzerOptions } from './analyzer.ts';
import { DEFAULT_ANALYZER_CONFIG } from './contract.ts';
import { loadEssentiaNode } from './load-essentia-node.ts';
import { analyzeSignal } from './offline.ts';
import { breath, chord, clicks, clippedSine, concat, mix, pulseTimes, silence, sine, square, whiteNoise } from './signals.ts';

const essentia = loadEssentiaNode();
afterAll(() => essentia.dispose());

function analyzer(sampleRate: number, options?: AnalyzerOptions): Analyzer {
  return new Analyzer(essentia, { sampleRate, ...DEFAULT_ANALYZER_CONFIG }, options);
}

/** Copies of every hop's features whose end time is at or after `from` seconds (zero-padded tail excluded). */
function hopsFrom(a: Analyzer, signal: Float32Array, from: number): { t: number; f: Float32Array }[] {
  const rows: { t: number; f: Float32Array }[] = [];
  const last = (signal.length - 1) / a.config.sampleRate;
  analyzeSignal(a, signal, (f, t) => {
    if (t >= from && t <= last) rows.push({ t, f: f.slice() });
  });
  return rows;
}

function allFinite(f: Float32Array): boolean {
  for (let i = 0; i < f.length; i++) if (!Number.isFinite(f[i])) return false;
  return true;
}

function topIndices(v: ArrayLike<number>, k: number): number[] {
  return Array.from(v, (x, i) => [x, i] as const)
    .sort((p, q) => q[0] - p[0])
    .slice(0, k)
    .map((p) => p[1])
    .sort((p, q) => p - q);
}

/** Each true time matched to the nearest detected onset; returns the worst error and the unmatched count. */
function matchOnsets(detected: number[], truth: number[], tolerance: number): { worst: number; missed: number; extra: number } {
  let worst = 0;
  let missed = 0;
  const used = new Set<number>();
  for (const t of truth) {
    let best = -1;
    for (let i = 0; i < detected.length; i++) {
      if (used.has(i)) continue;
      if (best < 0 || Math.abs(detected[i] - t) < Math.abs(detected[best] - t)) best = i;
    }
    if (best >= 0 && Math.abs(detected[best] - t) <= tolerance) {
      used.add(best);
      worst = Math.max(worst, Math.abs(detected[best] - t));
    } else {
      missed++;
    }
  }
  return { worst, missed, extra: detected.length - used.size };
}

describe('Analyzer: 440 Hz sine at amplitude 0.5 (44.1 kHz)', () => {
  const sr = 44100;
  const a = analyzer(sr);
  const rows = hopsFrom(a, sine({ sampleRate: sr, duration: 2, frequency: 440, amplitude: 0.5 }), 0.3);

  it('measures RMS 0.3536 (±1%), loudness -9.03 dBFS and peak 0.5 on every hop', () => {
    for (const { f } of rows) {
      expect(f[F.rms]).toBeGreaterThan(0.35355 * 0.99);
      expect(f[F.rms]).toBeLessThan(0.35355 * 1.01);
      expect(f[F.loudness]).toBeCloseTo(20 * Math.log10(0.35355), 1);
      expect(f[F.peak]).toBeGreaterThan(0.49);
      expect(f[F.peak]).toBeLessThanOrEqual(0.5);
    }
  });

  it('finds pitch 440 Hz (±1%) with confidence above 0.9', () => {
    for (const { f } of rows) {
      expect(Math.abs(f[F.pitch] - 440) / 440).toBeLessThan(0.01);
      expect(f[F.pitchConfidence]).toBeGreaterThan(0.9);
    }
  });

  it('puts the centroid near 440 Hz, the rolloff just above it, and reads a pure tone as tonal', () => {
    for (const { f } of rows) {
      expect(Math.abs(f[F.centroid] - 440)).toBeLessThan(10);
      expect(f[F.rolloff]).toBeGreaterThanOrEqual(420);
      expect(f[F.rolloff]).toBeLessThan(500);
      expect(f[F.flatness]).toBeLessThan(0.05);
      expect(f[F.zcr]).toBeCloseTo((2 * 440) / sr, 3);
      expect(f[F.flux]).toBeLessThan(0.01);
    }
  });

  it('puts the tone\'s power (A^2/2 = 0.125) in the 250-4000 Hz band and the 320-640 Hz band', () => {
    const { f } = rows[rows.length - 1];
    expect(f[F.bands3 + 1]).toBeCloseTo(0.125, 2);
    expect(f[F.bands3 + 0] + f[F.bands3 + 2]).toBeLessThan(1e-4);
    expect(f[F.bands8 + 3]).toBeCloseTo(0.125, 2);
    expect(topIndices(f.subarray(F.bands8, F.bands8 + 8), 1)).toEqual([3]);
  });

  it('peaks the mel bands at 440 Hz and derives MFCCs as the DCT of log mel', () => {
    const { f } = rows[rows.length - 1];
    const mel = f.subarray(F.mel, F.mel + MEL_BANDS);
    const top = topIndices(mel, 1)[0];
    // HTK mel of 440 Hz is 549; 40 bands over 20..16000 Hz are spaced ~94.7 mel apart.
    expect(top).toBeGreaterThanOrEqual(4);
    expect(top).toBeLessThanOrEqual(5);
    let c0 = 0;
    for (let j = 0; j < MEL_BANDS; j++) c0 += Math.log(mel[j] + 1e-10);
    expect(f[F.mfcc]).toBeCloseTo(c0 / Math.sqrt(MEL_BANDS), 2);
    let c1 = 0;
    for (let j = 0; j < MEL_BANDS; j++) c1 += Math.log(mel[j] + 1e-10) * Math.cos((Math.PI * (j + 0.5)) / MEL_BANDS);
    expect(f[F.mfcc + 1]).toBeCloseTo(c1 * Math.sqrt(2 / MEL_BANDS), 2);
  });

  it('reports at most the tone\'s start as an onset', () => {
    const b = analyzer(sr);
    const { onsets: all } = analyzeSignal(b, sine({ sampleRate: sr, duration: 3, frequency: 440, amplitude: 0.5 }));
    // The tone is cut off at full amplitude at 3 s: that click may count; nothing inside the tone may.
    const onsets = all.filter((t) => t < 2.95);
    expect(onsets.length).toBeLessThanOrEqual(1);
    for (const t of onsets) expect(t).toBeLessThan(0.03);
  });
});

describe('Analyzer: onsets', () => {
  const irregular = [0.5, 0.9, 1.55, 2.0, 2.3, 3.1, 3.45, 4.2];

  it('finds each click within ±30 ms and nothing else (digital silence between)', () => {
    const sr = 44100;
    const { onsets } = analyzeSignal(analyzer(sr), clicks({ sampleRate: sr, duration: 5, times: irregular }));
    const m = matchOnsets(onsets, irregular, 0.03);
    expect(m).toMatchObject({ missed: 0, extra: 0 });
    // The localisation is far better than the requirement; keep it from silently regressing.
    expect(m.worst).toBeLessThan(0.005);
  });

  it('finds each click over a -70 dBFS noise floor (no onset where the noise starts) and -40 dBFS quiet clicks', () => {
    const sr = 48000;
    const noisy = mix([{ signal: clicks({ sampleRate: sr, duration: 5, times: irregular }) }, { signal: whiteNoise({ sampleRate: sr, duration: 5, rms: 0.0003 }) }]);
    const quiet = clicks({ sampleRate: sr, duration: 5, times: irregular, amplitude: 0.01 });
    for (const sig of [noisy, quiet]) {
      const { onsets } = analyzeSignal(analyzer(sr), sig);
      expect(matchOnsets(onsets, irregular, 0.03)).toMatchObject({ missed: 0, extra: 0 });
    }
  });

  it('keeps up with sixteenth notes at 140 BPM (107 ms apart)', () => {
    const sr = 44100;
    const times = pulseTimes(140 * 4, 30, 0.3);
    const { onsets } = analyzeSignal(analyzer(sr), clicks({ sampleRate: sr, duration: 4, times }));
    expect(matchOnsets(onsets, times, 0.03)).toMatchObject({ missed: 0, extra: 0 });
  });

  it('finds chord changes (a bar of harmonic chords every 0.6 s)', () => {
    const sr = 44100;
    const prog = [[60, 64, 67], [57, 60, 64], [53, 57, 60], [55, 59, 62]];
    const parts = prog.map((notes) => chord({ sampleRate: sr, duration: 0.6, notes, harmonics: 4 }));
    const times = prog.map((_, i) => i * 0.6);
    const { onsets } = analyzeSignal(analyzer(sr), concat(parts));
    expect(matchOnsets(onsets, times, 0.03)).toMatchObject({ missed: 0, extra: 0 });
  });

  it('stamps onsets within ±30 ms at 8, 22.05, 96 and 192 kHz (hop = 64 .. 2.7 ms)', () => {
    const times = pulseTimes(120 * 2, 12, 0.3);
    for (const sr of [8000, 22050, 96000, 192000]) {
      const { onsets } = analyzeSignal(analyzer(sr), clicks({ sampleRate: sr, duration: 3.5, times }));
      const m = matchOnsets(onsets, times, 0.03);
      expect({ sr, ...m }).toMatchObject({ sr, missed: 0, extra: 0 });
    }
  });

  it('exposes the newest onset time and -1 before any', () => {
    const sr = 44100;
    const a = analyzer(sr);
    expect(a.lastOnsetTime).toBe(-1);
    const out = new Float32Array(FEATURE_COUNT);
    const sig = clicks({ sampleRate: sr, duration: 1, times: [0.5] });
    const hop = new Float32Array(a.config.hopSize);
    let flagged = 0;
    for (let i = 0; (i + 1) * hop.length <= sig.length; i++) {
      hop.set(sig.subarray(i * hop.length, (i + 1) * hop.length));
      const onset = a.processHop(hop, ((i + 1) * hop.length - 1) / sr, out);
      expect(out[F.onset]).toBe(onset ? 1 : 0);
      if (onset) {
        flagged++;
        expect(Math.abs(a.lastOnsetTime - 0.5)).toBeLessThan(0.03);
        expect(out[F.onsetStrength]).toBeGreaterThan(0.5);
      }
    }
    expect(flagged).toBe(1);
  });
});

describe('Analyzer: chroma', () => {
  const sr = 44100;
  const names = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
  const cases: [string, number[], string[]][] = [
    ['C major', [60, 64, 67], ['C', 'E', 'G']],
    ['A minor', [57, 60, 64], ['C', 'E', 'A']],
    ['D major (with harmonics)', [62, 66, 69], ['D', 'F#', 'A']],
  ];
  for (const [label, notes, expected] of cases) {
    it(`peaks at ${expected.join(', ')} for ${label}`, () => {
      const harmonics = label.includes('harmonics') ? 4 : 1;
      const rows = hopsFrom(analyzer(sr), chord({ sampleRate: sr, duration: 1.5, notes, harmonics }), 0.3);
      for (const { f } of rows) {
        const c = f.subarray(F.chroma, F.chroma + CHROMA_BINS);
        expect(topIndices(c, 3).map((i) => names[i])).toEqual([...expected].sort((p, q) => names.indexOf(p) - names.indexOf(q)));
        expect(Math.max(...c)).toBeCloseTo(1, 5);
      }
    });
  }

  it('holds chroma between its updates (about every 90 ms) and follows a chord change', () => {
    const a = analyzer(sr);
    expect(a.chromaEvery).toBe(8);
    const sig = concat([chord({ sampleRate: sr, duration: 1, notes: [60, 64, 67] }), chord({ sampleRate: sr, duration: 1, notes: [62, 65, 69] })]);
    const rows: Float32Array[] = [];
    analyzeSignal(a, sig, (f) => rows.push(f.slice(F.chroma, F.chroma + CHROMA_BINS)));
    let changes = 0;
    let run = 0;
    for (let i = 1; i < rows.length; i++) {
      if (rows[i].some((v, k) => v !== rows[i - 1][k])) {
        changes++;
        // Never refreshed twice within fewer hops than its period (a pitch hop may delay it by one).
        if (changes > 1) expect(run).toBeGreaterThanOrEqual(a.chromaEvery - 2);
        run = 0;
      } else {
        run++;
      }
    }
    expect(changes).toBeGreaterThan(5);
    expect(changes).toBeLessThanOrEqual(Math.ceil(rows.length / a.chromaEvery) + 1);
    expect(topIndices(rows[rows.length - 1], 3).map((i) => names[i])).toEqual(['D', 'F', 'A']);
    // Within ~0.2 s of the change the new chord leads.
    const settle = Math.ceil((1.2 * sr) / a.config.hopSize);
    expect(topIndices(rows[settle], 3).map((i) => names[i])).toEqual(['D', 'F', 'A']);
  });

  it('resolves close low notes (C3 major, A3 minor) and keeps them at 8, 48 and 96 kHz', () => {
    const checks: [number[], string[]][] = [
      [[48, 52, 55], ['C', 'E', 'G']],
      [[57, 60, 64], ['C', 'E', 'A']],
    ];
    for (const rate of [8000, 48000, 96000]) {
      for (const [notes, expected] of checks) {
        const rows = hopsFrom(analyzer(rate), chord({ sampleRate: rate, duration: 1.2, notes }), 0.3);
        for (const { f } of rows) {
          expect({ rate, notes, top: topIndices(f.subarray(F.chroma, F.chroma + CHROMA_BINS), 3).map((i) => names[i]) }).toEqual({ rate, notes, top: expected });
        }
      }
    }
  });
});

describe('Analyzer: silence, noise and overload', () => {
  it('gives zeros and finite numbers for silence: loudness -120, no onsets, no pitch', () => {
    const sr = 44100;
    const rows = hopsFrom(analyzer(sr), silence({ sampleRate: sr, duration: 2 }), 0);
    for (const { f } of rows) {
      expect(allFinite(f)).toBe(true);
      expect(f[F.rms]).toBe(0);
      expect(f[F.loudness]).toBe(-120);
      expect(f[F.onset]).toBe(0);
      expect(f[F.pitch]).toBe(0);
      expect(f[F.pitchConfidence]).toBe(0);
      for (let i = 0; i < CHROMA_BINS; i++) expect(f[F.chroma + i]).toBe(0);
      for (let i = 0; i < MEL_BANDS; i++) expect(f[F.mel + i]).toBe(0);
      for (let i = 0; i < MFCC_COEFFS; i++) expect(Number.isFinite(f[F.mfcc + i])).toBe(true);
    }
  });

  it('reads white noise as flat and broadband without a flood of onsets (≤ 1 per second)', () => {
    const sr = 44100;
    const a = analyzer(sr);
    const flat: number[] = [];
    const { onsets } = analyzeSignal(a, whiteNoise({ sampleRate: sr, duration: 20, rms: 0.1 }), (f, t) => {
      expect(allFinite(f)).toBe(true);
      if (t > 0.2) {
        flat.push(f[F.flatness]);
        expect(f[F.centroid]).toBeGreaterThan(sr / 4 - 1500);
        expect(f[F.centroid]).toBeLessThan(sr / 4 + 1500);
        expect(f[F.zcr]).toBeGreaterThan(0.45);
        expect(f[F.zcr]).toBeLessThan(0.55);
      }
    });
    expect(Math.min(...flat)).toBeGreaterThan(0.7);
    expect(onsets.length).toBeLessThanOrEqual(20);
  });

  it('does not flood onsets on quiet hiss, loud hiss or breathing swells', () => {
    const sr = 48000;
    const inputs = [
      whiteNoise({ sampleRate: sr, duration: 15, rms: 0.001, seed: 11 }),
      whiteNoise({ sampleRate: sr, duration: 15, rms: 0.3, seed: 12 }),
      breath({ sampleRate: sr, duration: 15, rms: 0.05, rate: 0.4 }),
      breath({ sampleRate: sr, duration: 15, rms: 0.005, rate: 1.5 }),
    ];
    for (const sig of inputs) {
      const { onsets } = analyzeSignal(analyzer(sr), sig);
      // At most the start of the sound itself.
      expect(onsets.length).toBeLessThanOrEqual(1);
    }
  });

  it('stays finite at full scale: a hard-clipped sine and a square wave read ≈ 0 dBFS', () => {
    const sr = 44100;
    for (const sig of [clippedSine({ sampleRate: sr, duration: 1.5, frequency: 100 }), square({ sampleRate: sr, duration: 1.5, frequency: 100 })]) {
      const rows = hopsFrom(analyzer(sr), sig, 0.3);
      for (const { f } of rows) {
        expect(allFinite(f)).toBe(true);
        expect(f[F.loudness]).toBeGreaterThan(-0.5);
        expect(f[F.loudness]).toBeLessThanOrEqual(0.01);
        expect(f[F.peak]).toBe(1);
        expect(Math.abs(f[F.pitch] - 100)).toBeLessThan(2);
      }
    }
  });

  it('survives NaN, Infinity and absurd samples: outputs stay finite and it recovers', () => {
    const sr = 44100;
    const a = analyzer(sr);
    const bad = sine({ sampleRate: sr, duration: 0.5, frequency: 440 });
    bad[1000] = Number.NaN;
    bad[5000] = Number.POSITIVE_INFINITY;
    bad[9000] = -1e30;
    analyzeSignal(a, bad, (f) => expect(allFinite(f)).toBe(true));
    const rows = hopsFrom(a, sine({ sampleRate: sr, duration: 1, frequency: 440, amplitude: 0.5 }), 0.3);
    const { f } = rows[rows.length - 1];
    expect(f[F.rms]).toBeCloseTo(0.3536, 2);
    expect(Math.abs(f[F.pitch] - 440)).toBeLessThan(4.4);
  });
});

describe('Analyzer: sample rates', () => {
  for (const sr of [8000, 11025, 22050, 32000, 44100, 48000, 88200, 96000, 176400, 192000]) {
    it(`reads a 440 Hz sine right at ${sr} Hz`, () => {
      const rows = hopsFrom(analyzer(sr), sine({ sampleRate: sr, duration: 1, frequency: 440, amplitude: 0.5 }), 0.25);
      expect(rows.length).toBeGreaterThan(3);
      for (const { f } of rows) {
        expect(allFinite(f)).toBe(true);
        expect(Math.abs(f[F.pitch] - 440) / 440).toBeLessThan(0.01);
        expect(f[F.pitchConfidence]).toBeGreaterThan(0.9);
        expect(Math.abs(f[F.rms] - 0.35355) / 0.35355).toBeLessThan(0.01);
        expect(Math.abs(f[F.centroid] - 440) / 440).toBeLessThan(0.02);
      }
    });
  }
});

describe('Analyzer: contract and bad input', () => {
  it('writes exactly the layout\'s FEATURE_COUNT slots', () => {
    expect(FEATURE_COUNT).toBe(FEATURE_DECLS.reduce((n, d) => n + d.size, 0));
    const a = analyzer(44100);
    const out = new Float32Array(FEATURE_COUNT + 4).fill(Number.NaN);
    a.processHop(new Float32Array(512), 0, out);
    for (let i = 0; i < FEATURE_COUNT; i++) expect(Number.isNaN(out[i])).toBe(false);
    for (let i = FEATURE_COUNT; i < out.length; i++) expect(Number.isNaN(out[i])).toBe(true);
  });

  it('rejects bad configs with a message naming the field', () => {
    expect(() => new Analyzer(essentia, { sampleRate: 4000, frameSize: 2048, hopSize: 512 })).toThrow(/sampleRate/);
    expect(() => new Analyzer(essentia, { sampleRate: Number.NaN, frameSize: 2048, hopSize: 512 })).toThrow(/sampleRate/);
    expect(() => new Analyzer(essentia, { sampleRate: 44100, frameSize: 2000, hopSize: 512 })).toThrow(/frameSize/);
    expect(() => new Analyzer(essentia, { sampleRate: 44100, frameSize: 2048, hopSize: 0 })).toThrow(/hopSize/);
    expect(() => new Analyzer(essentia, { sampleRate: 44100, frameSize: 2048, hopSize: 4096 })).toThrow(/hopSize/);
  });

  it('rejects a hop of the wrong length or a short output with a clear message', () => {
    const a = analyzer(44100);
    expect(() => a.processHop(new Float32Array(100), 0, new Float32Array(FEATURE_COUNT))).toThrow(/expected 512 samples, got 100/);
    expect(() => a.processHop(new Float32Array(512), 0, new Float32Array(3))).toThrow(/out needs/);
  });

  it('is deterministic, and reset() returns it to a fresh state', () => {
    const sr = 44100;
    const sig = mix([{ signal: chord({ sampleRate: sr, duration: 1.5, notes: [60, 64, 67] }) }, { signal: clicks({ sampleRate: sr, duration: 1.5, times: [0.4, 0.9] }) }]);
    const run = (a: Analyzer) => {
      const rows: number[] = [];
      const r = analyzeSignal(a, sig, (f) => rows.push(...f));
      return { rows, onsets: r.onsets };
    };
    const a = analyzer(sr);
    const first = run(a);
    a.reset();
    expect(a.lastOnsetTime).toBe(-1);
    const again = run(a);
    const fresh = run(analyzer(sr));
    expect(again).toEqual(first);
    expect(fresh).toEqual(first);
    expect(first.onsets.length).toBeGreaterThanOrEqual(3);
    expect(matchOnsets(first.onsets.slice(0, 3), [0, 0.4, 0.9], 0.03).missed).toBe(0);
  });

  it('refuses to run after dispose()', () => {
    const a = analyzer(44100);
    a.dispose();
    expect(() => a.processHop(new Float32Array(512), 0, new Float32Array(FEATURE_COUNT))).toThrow(/dispose/);
  });
});

describe('Analyzer: WASM memory', () => {
  /**
   * How: heapBytes() is the WASM memory size (it only grows); heapTopProbe() is the address
   * dlmalloc gives a fresh 1 MiB block, which is carved from the top of the heap and so rises
   * by whatever stayed allocated. One undeleted 1025-bin spectrum per hop would move it by
   * ~32 MB over 8k hops; the facade test shows a 200-vector leak moves it by ~0.8 MB.
   */
  it('stays flat across 8 000 hops of chord + clicks + noise (all features, all code paths)', () => {
    const sr = 44100;
    const a = analyzer(sr);
    const duration = (8500 * 512) / sr;
    const sig = mix([
      { signal: chord({ sampleRate: sr, duration, notes: [57, 60, 64], harmonics: 3 }) },
      { signal: clicks({ sampleRate: sr, duration, times: pulseTimes(128, Math.floor(duration * 2)) }) },
      { signal: whiteNoise({ sampleRate: sr, duration, rms: 0.01 }) },
    ]);
    const out = new Float32Array(FEATURE_COUNT);
    const hop = new Float32Array(512);
    const feed = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        hop.set(sig.subarray(i * 512, (i + 1) * 512));
        a.processHop(hop, ((i + 1) * 512 - 1) / sr, out);
      }
    };
    feed(0, 500);
    const heap0 = essentia.heapBytes();
    const top0 = essentia.heapTopProbe();
    feed(500, 8500);
    const heap1 = essentia.heapBytes();
    const top1 = essentia.heapTopProbe();
    expect(top0).toBeGreaterThan(0);
    expect(heap1).toBe(heap0);
    expect(top1 - top0).toBeLessThan(64 * 1024);
    expect(a.slowFeatureErrors).toBe(0);
  }, 180_000);
});
