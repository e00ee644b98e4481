import { describe, expect, it } from 'vitest';
import { F, FEATURE_COUNT, FEATURE_DECLS } from './layout.ts';
import { DEFAULT_LEVEL_GATE, FeatureNormalizer, defaultNormalizerConfig, type NormalizerConfig } from './normalize.ts';
import { bytesPerCall } from '../params/test-alloc.ts';
import { seededRandom as rng } from '../../workers/analysis/signals.ts';

const SR = 44100;
const HOP = 512;
const HOP_S = HOP / SR;
/** Scales the mix to about 0 dBFS rms at gain 1, so a gain of -40 dB means -40 dBFS rms. */
const MIX_TO_0DB = 4.57;

/**
 * A small dance loop rendered sample by sample (kick at 120 bpm, off-beat hats, a bass line,
 * a pad) plus a fixed -90 dBFS noise floor, with features computed from the samples hop by hop:
 * rms, loudness, peak, bands3 (one-pole splits at 250 Hz and 4 kHz), flux and onset strength.
 * `gainAt(t)` sets the music's rms level (linear, 1 = 0 dBFS) over time; the noise floor does not scale.
 */
class Track {
  private n = 0;
  private readonly noise = rng(7);
  private readonly floorNoise = rng(99);
  private lp250 = 0;
  private lp4k = 0;
  private prevBands = new Float64Array(3);
  private prevRms = 0;
  private readonly hop = new Float64Array(HOP);
  readonly features = new Float32Array(FEATURE_COUNT);
  time = 0; // end time of the newest hop

  constructor(private readonly gainAt: (t: number) => number) {}

  nextHop(): Float32Array {
    const a250 = 1 - Math.exp((-2 * Math.PI * 250) / SR);
    const a4k = 1 - Math.exp((-2 * Math.PI * 4000) / SR);
    let sum = 0;
    let peak = 0;
    let eLow = 0;
    let eMid = 0;
    let eHigh = 0;
    for (let k = 0; k < HOP; k++) {
      const t = this.n / SR;
      const beat = t * 2; // 120 bpm
      const sinceBeat = (beat - Math.floor(beat)) / 2;
      const sinceOff = ((beat + 0.5) - Math.floor(beat + 0.5)) / 2;
      const kick = Math.sin(2 * Math.PI * (50 + 80 * Math.exp(-sinceBeat * 40)) * sinceBeat) * Math.exp(-sinceBeat * 9);
      const hat = (this.noise() * 2 - 1) * Math.exp(-sinceOff * 60) * 0.35;
      const bar = Math.floor(beat / 4) % 4;
      const bass = Math.sin(2 * Math.PI * [55, 55, 65.4, 49][bar] * t) * 0.3 * (0.6 + 0.4 * Math.exp(-sinceBeat * 3));
      const pad = (Math.sin(2 * Math.PI * 440 * t) + Math.sin(2 * Math.PI * 554.4 * t) + Math.sin(2 * Math.PI * 659.3 * t)) * 0.05;
      const floor = (this.floorNoise() * 2 - 1) * 5.5e-5; // about -90 dBFS rms
      const x = (kick * 0.5 + hat + bass + pad) * MIX_TO_0DB * this.gainAt(t) + floor;
      this.lp250 += (x - this.lp250) * a250;
      this.lp4k += (x - this.lp4k) * a4k;
      eLow += this.lp250 * this.lp250;
      eMid += (this.lp4k - this.lp250) * (this.lp4k - this.lp250);
      eHigh += (x - this.lp4k) * (x - this.lp4k);
      sum += x * x;
      const ax = Math.abs(x);
      if (ax > peak) peak = ax;
      this.hop[k] = x;
      this.n++;
    }
    const f = this.features;
    const rms = Math.sqrt(sum / HOP);
    f[F.rms] = rms;
    f[F.loudness] = rms > 1e-6 ? 20 * Math.log10(rms) : -120;
    f[F.peak] = peak;
    const bands = [eLow / HOP, eMid / HOP, eHigh / HOP];
    let flux = 0;
    for (let b = 0; b < 3; b++) {
      f[F.bands3 + b] = bands[b];
      const d = Math.log(bands[b] + 1e-12) - Math.log(this.prevBands[b] + 1e-12);
      if (d > 0 && this.n > HOP) flux += d;
      this.prevBands[b] = bands[b];
    }
    f[F.flux] = flux;
    f[F.onsetStrength] = Math.max(0, rms - this.prevRms);
    this.prevRms = rms;
    f[F.onset] = 0;
    this.time = this.n / SR;
    return f;
  }
}

const CHECKED = [F.rms, F.loudness, F.peak, F.bands3, F.bands3 + 1, F.bands3 + 2, F.flux, F.onsetStrength];

/**
 * Play `track` through a normaliser at `fps`, the way the frame loop sees the bus (the newest
 * hop at each frame), and record the outputs of CHECKED slots at the given times.
 */
function play(track: Track, norm: FeatureNormalizer, fps: number, until: number, record: (t: number, out: Float32Array) => void): void {
  let t = 0;
  const features = new Float32Array(FEATURE_COUNT);
  for (let frame = 1; ; frame++) {
    const tNext = frame / fps;
    if (tNext > until + 1e-9) break;
    while (track.time + HOP_S <= tNext + 1e-12) features.set(track.nextHop());
    norm.update(features, tNext - t);
    t = tNext;
    record(t, norm.output);
  }
}

function dbToGain(db: number): number {
  return Math.pow(10, db / 20);
}

/** Mean of each CHECKED slot over [from, to). */
function meansOver(gainDb: (t: number) => number, from: number, to: number, fps = 60, config?: NormalizerConfig): number[] {
  const sums = CHECKED.map(() => 0);
  let count = 0;
  const norm = new FeatureNormalizer(config ?? defaultNormalizerConfig());
  play(new Track((t) => dbToGain(gainDb(t))), norm, fps, to, (t, out) => {
    if (t >= from) {
      for (let k = 0; k < CHECKED.length; k++) sums[k] += out[CHECKED[k]];
      count++;
    }
  });
  return sums.map((s) => s / count);
}

describe('FeatureNormalizer: level independence', () => {
  it('a -40 dBFS and a -6 dBFS copy of the same music settle to the same values within a few seconds', () => {
    const quiet: number[][] = [];
    const loud: number[][] = [];
    const nq = new FeatureNormalizer();
    const nl = new FeatureNormalizer();
    const grab = (into: number[][]) => (t: number, out: Float32Array) => {
      if (t > 3) into.push(CHECKED.map((s) => out[s]));
    };
    play(new Track(() => dbToGain(-40)), nq, 60, 6, grab(quiet));
    play(new Track(() => dbToGain(-6)), nl, 60, 6, grab(loud));
    expect(nq.gateGain).toBe(1); // the gate is not what equalises them
    let worst = 0;
    let spread = 0;
    for (let i = 0; i < quiet.length; i++) {
      for (let k = 0; k < CHECKED.length; k++) {
        worst = Math.max(worst, Math.abs(quiet[i][k] - loud[i][k]));
        spread = Math.max(spread, quiet[i][k]);
      }
    }
    expect(worst).toBeLessThan(0.02);
    expect(spread).toBeGreaterThan(0.9); // the outputs move over the whole range, not a flat line
    // Raw values differ by 34 dB: without normalisation they would be far apart.
    expect(nl.envelope(F.rms).high / nq.envelope(F.rms).high).toBeGreaterThan(40);
  });

  it('uses the range: the kick drives the low band to the top, between kicks it falls', () => {
    const lows: number[] = [];
    play(new Track(() => dbToGain(-20)), new FeatureNormalizer(), 60, 8, (t, out) => {
      if (t > 4) lows.push(out[F.bands3]);
    });
    expect(Math.max(...lows)).toBeGreaterThan(0.95);
    expect(Math.min(...lows)).toBeLessThan(0.2);
    const mean = lows.reduce((a, b) => a + b, 0) / lows.length;
    expect(mean).toBeGreaterThan(0.15);
    expect(mean).toBeLessThan(0.8);
  });

  it('a step up in level adapts within the configured time (and not instantly)', () => {
    const step = (t: number) => (t < 12 ? -40 : -6);
    const ref = () => -6;
    // Just after the step everything is pinned high: the loud part reads loud at first.
    const early = meansOver(step, 12.05, 12.5);
    const earlyRef = meansOver(ref, 12.05, 12.5);
    expect(early[1] - earlyRef[1]).toBeGreaterThan(0.2); // loudness (adapt 8 s) is far off at first
    // After the configured adaptation time (6 s for energies, 8 s for loudness) it matches.
    const late = meansOver(step, 20, 22);
    const lateRef = meansOver(ref, 20, 22);
    for (let k = 0; k < CHECKED.length; k++) expect(Math.abs(late[k] - lateRef[k])).toBeLessThan(0.08);
  });

  it('a step down adapts within the configured time too (log-scale envelopes)', () => {
    const step = (t: number) => (t < 12 ? -6 : -40);
    const ref = () => -40;
    const early = meansOver(step, 12.1, 13);
    const earlyRef = meansOver(ref, 12.1, 13);
    expect(earlyRef[0] - early[0]).toBeGreaterThan(0.2); // the quiet part reads quiet at first
    const late = meansOver(step, 20, 22);
    const lateRef = meansOver(ref, 20, 22);
    for (let k = 0; k < CHECKED.length; k++) expect(Math.abs(late[k] - lateRef[k])).toBeLessThan(0.08);
  });

  it('ratio style: 1.0 means a typical moment, at any level', () => {
    const cfg = defaultNormalizerConfig('ratio');
    const q = meansOver(() => -40, 4, 8, 60, cfg);
    const l = meansOver(() => -6, 4, 8, 60, cfg);
    for (const k of [0, 2, 3]) {
      expect(Math.abs(q[k] - l[k])).toBeLessThan(0.03);
      expect(q[k]).toBeGreaterThan(0.6);
      expect(q[k]).toBeLessThan(2);
    }
  });
});

describe('FeatureNormalizer: frame-rate independence', () => {
  it('30, 60 and 144 fps give the same outputs at the same times (input held between frames)', () => {
    // Inputs change every 1/6 s, a time all three frame rates land on.
    const r = rng(3);
    const steps = 60;
    const vectors: Float32Array[] = [];
    for (let s = 0; s < steps; s++) {
      const v = new Float32Array(FEATURE_COUNT);
      const level = s < 30 ? 0.02 : 0.3;
      v[F.rms] = level * (0.3 + r());
      v[F.loudness] = 20 * Math.log10(v[F.rms]);
      v[F.peak] = v[F.rms] * 1.8;
      for (let b = 0; b < 3; b++) v[F.bands3 + b] = level * level * r();
      v[F.flux] = r() * 3;
      v[F.mfcc + 1] = r() * 10 - 5;
      vectors.push(v);
    }
    const run = (fps: number): Float32Array[] => {
      const n = new FeatureNormalizer();
      const framesPerStep = fps / 6;
      const out: Float32Array[] = [];
      for (let s = 0; s < steps; s++) {
        for (let f = 0; f < framesPerStep; f++) n.update(vectors[s], 1 / fps);
        out.push(Float32Array.from(n.output));
      }
      return out;
    };
    const a = run(30);
    const b = run(60);
    const c = run(144);
    let worst = 0;
    let moved = 0;
    for (let s = 0; s < steps; s++) {
      for (const k of [...CHECKED, F.mfcc + 1]) {
        worst = Math.max(worst, Math.abs(a[s][k] - c[s][k]), Math.abs(b[s][k] - c[s][k]));
        moved = Math.max(moved, Math.abs(c[s][k] - c[Math.max(0, s - 1)][k]));
      }
    }
    expect(worst).toBeLessThan(1e-4);
    expect(moved).toBeGreaterThan(0.3);
  });

  it('with music sampled from the hop stream the three frame rates agree closely', () => {
    const times = new Map<number, number[][]>();
    for (const fps of [30, 60, 144]) {
      const rows: number[][] = [];
      play(new Track(() => dbToGain(-20)), new FeatureNormalizer(), fps, 8, (t, out) => {
        const k = Math.round(t * 6);
        if (Math.abs(t * 6 - k) < 1e-6 && t > 2) rows.push(CHECKED.map((s) => out[s]));
      });
      times.set(fps, rows);
    }
    const a = times.get(30)!;
    const c = times.get(144)!;
    expect(a.length).toBe(c.length);
    let sum = 0;
    let n = 0;
    for (let i = 0; i < a.length; i++) for (let k = 0; k < CHECKED.length; k++) {
      sum += Math.abs(a[i][k] - c[i][k]);
      n++;
    }
    expect(sum / n).toBeLessThan(0.03);
  });
});

describe('FeatureNormalizer: silence and bad input', () => {
  it('silence after music decays towards 0, not noise amplified to 1', () => {
    const norm = new FeatureNormalizer();
    const track = new Track((t) => (t < 8 ? dbToGain(-12) : 0)); // then only the -90 dBFS noise floor
    let musicMax = 0;
    const tail: number[] = [];
    play(track, norm, 60, 30, (t, out) => {
      if (t > 4 && t < 8) musicMax = Math.max(musicMax, out[F.bands3 + 2]);
      if (t > 9) for (const s of CHECKED) tail.push(out[s]);
    });
    expect(musicMax).toBeGreaterThan(0.9);
    expect(Math.max(...tail)).toBeLessThan(0.01);
    // Adaptation paused in silence: the envelopes still describe the music.
    expect(norm.envelope(F.loudness).high).toBeGreaterThan(-40);
  });

  it('without a level gate, per-slot floors keep silence at 0', () => {
    const cfg = defaultNormalizerConfig();
    const slots = cfg.slots.slice();
    for (let b = 0; b < 3; b++) slots[F.bands3 + b] = { mode: 'unit', floor: 1e-7 };
    const norm = new FeatureNormalizer({ slots, gate: null });
    const tail: number[] = [];
    play(new Track((t) => (t < 6 ? dbToGain(-12) : 0)), norm, 60, 20, (t, out) => {
      if (t > 7) for (const s of [F.rms, F.peak, F.bands3, F.bands3 + 1, F.bands3 + 2, F.loudness]) tail.push(out[s]);
    });
    expect(Math.max(...tail)).toBeLessThan(0.01);
  });

  it('a quiet but real signal (a whisper at -50 dBFS) is not gated away', () => {
    const m = meansOver(() => -50, 4, 8);
    expect(m[0]).toBeGreaterThan(0.1);
  });

  it('outputs stay finite and in range under hostile input', () => {
    const norm = new FeatureNormalizer();
    const v = new Float32Array(FEATURE_COUNT);
    const r = rng(11);
    const hostile = [Number.NaN, Infinity, -Infinity, 1e38, -1e38, 0, -1, 1e-45];
    for (let i = 0; i < 5000; i++) {
      for (let k = 0; k < FEATURE_COUNT; k++) v[k] = r() < 0.2 ? hostile[(r() * hostile.length) | 0] : r() * 100 - 20;
      const dt = [1 / 60, 0, -1, Number.NaN, 1e9][i % 5];
      norm.update(v, dt);
      for (let k = 0; k < FEATURE_COUNT; k++) {
        const y = norm.output[k];
        if (!Number.isFinite(y) || y < 0 || y > 4) throw new Error(`slot ${k} produced ${y}`);
      }
    }
  });

  it('a NaN input holds the previous output; reset() forgets everything', () => {
    const norm = new FeatureNormalizer();
    play(new Track(() => dbToGain(-20)), norm, 60, 3, () => {});
    const before = norm.output[F.rms];
    const v = new Float32Array(FEATURE_COUNT);
    v[F.loudness] = -20;
    v[F.rms] = Number.NaN;
    norm.update(v, 1 / 60);
    expect(norm.output[F.rms]).toBe(before);
    norm.reset();
    expect(norm.output[F.rms]).toBe(0);
    expect(norm.envelope(F.rms).adaptedFor).toBe(0);
  });

  it('writes into a caller-owned vector and allocates nothing per update', () => {
    const norm = new FeatureNormalizer();
    const out = new Float32Array(FEATURE_COUNT);
    const v = new Float32Array(FEATURE_COUNT);
    v[F.loudness] = -20;
    const bytes = bytesPerCall((i) => {
      v[F.rms] = 0.05 + (i % 10) * 0.01;
      v[F.bands3] = (i % 7) * 0.001;
      norm.update(v, 1 / 60, out);
    });
    expect(bytes).toBeLessThan(1);
    expect(out[F.rms]).toBe(norm.output[F.rms]);
  });
});

describe('defaultNormalizerConfig', () => {
  it('has one entry per feature slot and treats each kind sensibly', () => {
    const cfg = defaultNormalizerConfig();
    expect(cfg.slots.length).toBe(FEATURE_COUNT);
    expect(cfg.gate).toBe(DEFAULT_LEVEL_GATE);
    expect(cfg.slots[F.onset]).toMatchObject({ mode: 'pass', gated: false });
    expect(cfg.slots[F.chroma + 5].mode).toBe('pass');
    expect(cfg.slots[F.pitch]).toMatchObject({ mode: 'fixed', curve: 'log' });
    expect(cfg.slots[F.loudness]).toMatchObject({ mode: 'unit', domain: 'db' });
    expect(cfg.slots[F.bands8 + 7].mode).toBe('unit');
    expect(defaultNormalizerConfig('ratio').slots[F.bands3].mode).toBe('ratio');
    expect(new FeatureNormalizer(cfg).warnings).toEqual([]);
    expect(FEATURE_DECLS.length).toBeGreaterThan(0);
  });

  it('passes flags through and maps pitch Hz on a fixed log range', () => {
    const norm = new FeatureNormalizer();
    const v = new Float32Array(FEATURE_COUNT);
    v[F.loudness] = -20;
    v[F.onset] = 1;
    v[F.pitch] = Math.sqrt(50 * 2000); // geometric middle of 50..2000 Hz
    v[F.chroma + 3] = 0.7;
    norm.update(v, 1 / 60);
    expect(norm.output[F.onset]).toBe(1);
    expect(norm.output[F.pitch]).toBeCloseTo(0.5, 5);
    expect(norm.output[F.chroma + 3]).toBeCloseTo(0.7, 6);
    v[F.pitch] = 0; // no pitch found
    v[F.loudness] = -120; // and silence closes the gate for everything but flags
    norm.update(v, 1 / 60);
    expect(norm.output[F.pitch]).toBe(0);
    expect(norm.output[F.chroma + 3]).toBe(0);
    expect(norm.output[F.onset]).toBe(1);
  });

  it('repairs a bad configuration with clear warnings instead of throwing', () => {
    const norm = new FeatureNormalizer({
      slots: [
        { mode: 'bogus' as never },
        { mode: 'fixed', min: 5, max: 1 },
        { mode: 'unit', adapt: -3 },
        { mode: 'ratio', domain: 'linear' },
        { mode: 'fixed', min: 0, max: 10, curve: 'log' },
      ],
      gate: { slot: 99, closedDb: -70, openDb: -60 },
    });
    expect(norm.warnings.length).toBe(6);
    expect(norm.warnings.join('\n')).toMatch(/unknown mode/);
    expect(norm.warnings.join('\n')).toMatch(/gate disabled/);
    norm.update(new Float32Array([3, 0.5, 2, 2, 5]), 1 / 60);
    for (const y of norm.output) expect(Number.isFinite(y)).toBe(true);
    expect(norm.output[1]).toBeCloseTo(0.5, 6); // fell back to 0..1
  });
});
