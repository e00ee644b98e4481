/**
 * Tempo and beat tracking on onset strength from the real analyser (essentia.js), computed from
 * generated click and kick tracks with exact beat times.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { F } from '../../engine/features/layout.ts';
import { bytesPerCall } from '../../engine/params/test-alloc.ts';
import { Analyzer } from './analyzer.ts';
import { DEFAULT_ANALYZER_CONFIG } from './contract.ts';
import { loadEssentiaNode } from './load-essentia-node.ts';
import { analyzeSignal } from './offline.ts';
import { chord, clickTrain, mix, pulseTimes, seededRandom, whiteNoise } from './signals.ts';
import { TempoTracker, type TempoTrackerOptions } from './tempo.ts';

const SR = 44100;
const HOP_RATE = SR / DEFAULT_ANALYZER_CONFIG.hopSize;
const essentia = loadEssentiaNode();
afterAll(() => essentia.dispose());

interface Rhythm {
  onset: Float32Array;
  accent: Float32Array;
  low: Float32Array;
  time: Float64Array;
}

/** Onset strength and low-band energy per hop, as the live analyser would produce them. */
function rhythmOf(signal: Float32Array): Rhythm {
  const a = new Analyzer(essentia, { sampleRate: SR, ...DEFAULT_ANALYZER_CONFIG });
  const hops = Math.ceil(signal.length / DEFAULT_ANALYZER_CONFIG.hopSize);
  const r: Rhythm = { onset: new Float32Array(hops), accent: new Float32Array(hops), low: new Float32Array(hops), time: new Float64Array(hops) };
  analyzeSignal(a, signal, (f, t, i) => {
    r.onset[i] = f[F.onsetStrength];
    r.accent[i] = f[F.beatStrength];
    r.low[i] = f[F.bands3];
    r.time[i] = t;
  });
  return r;
}

interface Run {
  beats: number[];
  downbeats: number[];
  bpmAt: (t: number) => number;
  confAt: (t: number) => number;
  tracker: TempoTracker;
}

function track(r: Rhythm, options: Partial<TempoTrackerOptions> = {}, setup?: (t: TempoTracker) => void): Run {
  const tracker = new TempoTracker({ hopRate: HOP_RATE, ...options });
  setup?.(tracker);
  const beats: number[] = [];
  const downbeats: number[] = [];
  const bpm = new Float64Array(r.onset.length);
  const conf = new Float64Array(r.onset.length);
  for (let i = 0; i < r.onset.length; i++) {
    tracker.push(r.onset[i], r.accent[i], r.low[i], r.time[i]);
    if (tracker.beatEmitted) {
      beats.push(tracker.lastBeatTime);
      if (tracker.downbeatEmitted) downbeats.push(tracker.lastBeatTime);
    }
    bpm[i] = tracker.bpm;
    conf[i] = tracker.confidence;
  }
  const idx = (t: number) => Math.max(0, Math.min(r.time.length - 1, Math.round(t * HOP_RATE)));
  return { beats, downbeats, bpmAt: (t) => bpm[idx(t)], confAt: (t) => conf[idx(t)], tracker };
}

/** Signed offset of each emitted beat from the nearest true beat. */
function offsets(beats: number[], truth: number[]): number[] {
  return beats.map((b) => {
    let best = Infinity;
    for (const t of truth) if (Math.abs(b - t) < Math.abs(best)) best = b - t;
    return best;
  });
}

/** A kick drum: a 55 Hz sine dropping from 110 Hz with a fast decay, at each time. */
function kicks(times: readonly number[], duration: number, amplitude = 0.8): Float32Array {
  const out = new Float32Array(Math.round(duration * SR));
  const len = Math.round(0.25 * SR);
  for (const t of times) {
    const s = Math.round(t * SR);
    let phase = 0;
    for (let i = 0; i < len && s + i < out.length; i++) {
      const f = 55 + 55 * Math.exp(-i / (0.03 * SR));
      phase += (2 * Math.PI * f) / SR;
      out[s + i] += amplitude * Math.sin(phase) * Math.exp(-i / (0.08 * SR));
    }
  }
  return out;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : NaN;
}

interface Score {
  /** Time of the first emitted beat from which every later beat (until `until`) hits a true beat within ±70 ms. */
  lockTime: number;
  /** Offsets (s) of the beats after lock. */
  offsets: number[];
  /** True beats after lock with no emitted beat within ±70 ms. */
  missed: number;
}

/** Scores emitted beats against the truth between `from` and `until`. */
function score(beats: number[], truth: number[], from: number, until: number): Score {
  const inRange = beats.filter((b) => b >= from && b <= until);
  const off = offsets(inRange, truth);
  let start = off.length;
  while (start > 0 && Math.abs(off[start - 1]) <= 0.07) start--;
  const lockTime = start < inRange.length ? inRange[start] : Infinity;
  const after = off.slice(start);
  const missed = truth.filter((t) => t >= lockTime && t <= until && !beats.some((b) => Math.abs(b - t) <= 0.07)).length;
  return { lockTime, offsets: after, missed };
}

const figures: string[] = [];
afterAll(() => console.log(`tempo figures:\n${figures.join('\n')}`));

describe('TempoTracker: steady click and kick tracks', () => {
  const cases: { name: string; bpm: number; make: (truth: number[], dur: number) => Float32Array }[] = [
    { name: 'clicks', bpm: 70, make: (t, d) => clickTrain(t, d, SR) },
    { name: 'clicks', bpm: 100, make: (t, d) => clickTrain(t, d, SR) },
    { name: 'clicks', bpm: 128, make: (t, d) => clickTrain(t, d, SR) },
    { name: 'clicks', bpm: 174, make: (t, d) => clickTrain(t, d, SR) },
    { name: 'kicks', bpm: 92, make: (t, d) => kicks(t, d) },
    { name: 'quiet clicks (-34 dBFS peaks)', bpm: 140, make: (t, d) => clickTrain(t, d, SR, 0.02) },
    { name: 'kicks + quiet clicks', bpm: 128, make: (t, d) => mix(kicks(t, d), clickTrain(t, d, SR, 0.2)) },
  ];
  for (const c of cases) {
    it(`${c.bpm} BPM ${c.name}: tempo within 4%, locks within 4 s, every beat after lock within ±70 ms`, () => {
      const dur = 16;
      const start = 0.5;
      const truth = pulseTimes(c.bpm, Math.floor(((dur - 1) * c.bpm) / 60), start);
      const last = truth[truth.length - 1];
      const run = track(rhythmOf(c.make(truth, dur)));
      const s = score(run.beats, truth, 0, last + 0.05);
      const est = run.bpmAt(last);
      figures.push(
        `${c.bpm} BPM ${c.name}: bpm ${est.toFixed(2)}, confidence ${run.confAt(last).toFixed(2)}, lock ${(s.lockTime - start).toFixed(2)} s after start, ` +
          `offsets median ${(median(s.offsets) * 1000).toFixed(1)} ms, worst ${(Math.max(...s.offsets.map(Math.abs)) * 1000).toFixed(1)} ms, missed ${s.missed}`,
      );
      expect(Math.abs(est / c.bpm - 1)).toBeLessThan(0.04);
      expect(s.lockTime - start).toBeLessThan(4);
      expect(s.offsets.length).toBeGreaterThan(((last - s.lockTime) * c.bpm) / 60 - 1);
      expect(s.missed).toBe(0);
      expect(Math.abs(median(s.offsets))).toBeLessThan(0.02);
      expect(run.confAt(last)).toBeGreaterThan(0.5);
      // hysteresis: once locked, the estimate does not wander
      for (let t = s.lockTime + 1; t < last; t += 0.1) expect(Math.abs(run.bpmAt(t) / c.bpm - 1)).toBeLessThan(0.04);
    });
  }
});

describe('TempoTracker: rhythms with several levels', () => {
  it('120 BPM with kicks on 1 and 3 and hi-hat clicks on every eighth stays at 120 (not 60 or 240)', () => {
    const eighths = pulseTimes(240, 60, 0.5);
    const quarters = eighths.filter((_, i) => i % 2 === 0);
    const halves = eighths.filter((_, i) => i % 4 === 0);
    const dur = 16;
    const sig = mix(clickTrain(eighths, dur, SR, 0.25), clickTrain(quarters, dur, SR, 0.5), kicks(halves, dur));
    const run = track(rhythmOf(sig));
    const s = score(run.beats, quarters, 0, quarters[quarters.length - 1] + 0.05);
    figures.push(`120 BPM kick/hat pattern: bpm ${run.bpmAt(15).toFixed(2)}, lock ${(s.lockTime - 0.5).toFixed(2)} s, missed ${s.missed}`);
    for (let t = 5; t < 15; t += 0.1) expect(Math.abs(run.bpmAt(t) / 120 - 1)).toBeLessThan(0.04);
    expect(s.lockTime - 0.5).toBeLessThan(4);
    expect(s.missed).toBe(0);
  });

  it('174 BPM breakbeat (kick on 1, 3 and the and of 3, backbeat, hi-hat on every eighth) stays at 174, not 87', () => {
    // one bar = sixteen sixteenths at 174: kick on steps 0, 8 and 10, snare on 4 and 12, hat on
    // every other step. At 87 the hats would be even sixteenths under the beat, which the
    // subdivision check marks down; without it the tracker moved to 87 after about 10 s.
    const step = 60 / 174 / 4;
    const start = 0.5;
    const bars = 11;
    const at = (steps: readonly number[]) => {
      const out: number[] = [];
      for (let b = 0; b < bars; b++) for (const s of steps) out.push(start + (16 * b + s) * step);
      return out;
    };
    const dur = start + bars * 16 * step + 0.5;
    const sig = mix(
      kicks(at([0, 8, 10]), dur),
      clickTrain(at([4, 12]), dur, SR, 0.6),
      clickTrain(at([0, 2, 4, 6, 8, 10, 12, 14]), dur, SR, 0.15),
    );
    const truth = at([0, 4, 8, 12]);
    const run = track(rhythmOf(sig));
    const last = truth[truth.length - 1];
    const s = score(run.beats, truth, 0, last + 0.05);
    figures.push(`174 BPM breakbeat: bpm ${run.bpmAt(last).toFixed(2)}, lock ${(s.lockTime - start).toFixed(2)} s, missed ${s.missed}`);
    for (let t = 5; t < last; t += 0.1) expect(Math.abs(run.bpmAt(t) / 174 - 1)).toBeLessThan(0.04);
    expect(s.lockTime - start).toBeLessThan(4);
    expect(s.missed).toBe(0);
  });

  it('follows humanised timing (±15 ms jitter) at 96 BPM: beats within ±70 ms', () => {
    const rnd = seededRandom(5);
    const truth = pulseTimes(96, 22, 0.5).map((t) => t + (rnd() * 2 - 1) * 0.015);
    const dur = 15;
    const run = track(rhythmOf(mix(kicks(truth, dur), clickTrain(truth, dur, SR, 0.3))));
    const s = score(run.beats, truth, 0, truth[truth.length - 1] + 0.05);
    figures.push(`96 BPM ±15 ms jitter: lock ${(s.lockTime - 0.5).toFixed(2)} s, worst offset ${(Math.max(...s.offsets.map(Math.abs)) * 1000).toFixed(1)} ms, missed ${s.missed}`);
    expect(s.lockTime - 0.5).toBeLessThan(4);
    expect(s.missed).toBe(0);
  });
});

describe('TempoTracker: changes and silence', () => {
  it('follows a change from 120 to 140 BPM within 4 s', () => {
    const a = pulseTimes(120, 20, 0.5); // 0.5 .. 10.0
    const change = a[a.length - 1] + 0.5; // 10.5 s
    const b = pulseTimes(140, 23, change); // until ~19.9 s
    const truth = [...a, ...b];
    const dur = 20.5;
    const run = track(rhythmOf(clickTrain(truth, dur, SR)));
    let followed = Infinity;
    for (let t = change; t < dur; t += 0.05) {
      if (Math.abs(run.bpmAt(t) / 140 - 1) < 0.04) {
        followed = t;
        break;
      }
    }
    const s = score(run.beats, b, change, b[b.length - 1] + 0.05);
    figures.push(`120→140 BPM: tempo within 4% of 140 after ${(followed - change).toFixed(2)} s, beats locked ${(s.lockTime - change).toFixed(2)} s after the change, missed ${s.missed}`);
    expect(followed - change).toBeLessThan(4);
    expect(s.lockTime - change).toBeLessThan(4.5);
    expect(s.missed).toBe(0);
  });

  it('follows a 3/2 jump from 90 to 135 BPM (an octave-related ratio, held back by a larger margin) within 5 s', () => {
    const a = pulseTimes(90, 15, 0.5);
    const change = a[a.length - 1] + 60 / 90;
    const b = pulseTimes(135, 24, change);
    const dur = b[b.length - 1] + 0.5;
    const run = track(rhythmOf(clickTrain([...a, ...b], dur, SR)));
    let followed = Infinity;
    for (let t = change; t < dur; t += 0.05) {
      if (Math.abs(run.bpmAt(t) / 135 - 1) < 0.04) {
        followed = t;
        break;
      }
    }
    const s = score(run.beats, b, change, b[b.length - 1] + 0.05);
    figures.push(`90→135 BPM: tempo within 4% of 135 after ${(followed - change).toFixed(2)} s, beats locked ${(s.lockTime - change).toFixed(2)} s after the change, missed ${s.missed}`);
    expect(followed - change).toBeLessThan(5);
    expect(s.missed).toBe(0);
  });

  it('stops beats within 1 s of a 2 s silence and resumes them when the music returns', () => {
    const a = pulseTimes(110, 14, 0.5);
    const gapStart = a[a.length - 1] + 0.05;
    const gapEnd = gapStart + 2;
    const b = pulseTimes(110, 15, gapEnd);
    const dur = b[b.length - 1] + 0.5;
    const run = track(rhythmOf(clickTrain([...a, ...b], dur, SR)));
    const inGap = run.beats.filter((t) => t > gapStart + 1 && t < gapEnd - 0.035);
    const s = score(run.beats, b, gapEnd - 0.035, b[b.length - 1] + 0.05);
    figures.push(`silence gap: ${inGap.length} beats after 1 s of silence, beats resumed ${(s.lockTime - gapEnd).toFixed(2)} s after the music returned`);
    expect(inGap).toEqual([]);
    expect(s.lockTime - gapEnd).toBeLessThan(3);
    expect(s.missed).toBe(0);
  });

  it('also stops on the silent input flag', () => {
    const truth = pulseTimes(120, 30, 0.5);
    const r = rhythmOf(clickTrain(truth, 16, SR));
    const tr = new TempoTracker({ hopRate: HOP_RATE });
    let beatsWhileSilent = 0;
    for (let i = 0; i < r.onset.length; i++) {
      const flag = r.time[i] > 8;
      tr.push(r.onset[i], r.accent[i], r.low[i], r.time[i], flag);
      if (flag && tr.beatEmitted) beatsWhileSilent++;
    }
    expect(beatsWhileSilent).toBe(0);
    expect(tr.silent).toBe(true);
  });
});

describe('TempoTracker: beatless input', () => {
  for (const kind of ['pad', 'noise'] as const) {
    it(`${kind}: low confidence and (almost) no beats`, () => {
      const dur = 12;
      const sig =
        kind === 'pad'
          ? chord({ notes: [57, 60, 64, 67], amplitude: 0.2, duration: dur, sampleRate: SR })
          : whiteNoise({ rms: 0.1, duration: dur, sampleRate: SR, seed: 7 });
      const run = track(rhythmOf(sig));
      figures.push(`${kind}: ${run.beats.length} beats in ${dur} s, confidence ${run.confAt(dur - 0.5).toFixed(2)}`);
      expect(run.beats.length).toBeLessThanOrEqual(3);
      expect(run.confAt(dur - 0.5)).toBeLessThan(0.3);
    });
  }
});

describe('TempoTracker: onsets without a pulse', () => {
  it('random clicks (about 3 per second, no tempo) give lower confidence than a pulse and few beats', () => {
    const rnd = seededRandom(11);
    const times: number[] = [];
    for (let t = 0.5; t < 15; t += 0.08 + rnd() * 0.5) times.push(t);
    const run = track(rhythmOf(clickTrain(times, 16, SR)));
    const conf = run.confAt(15);
    figures.push(`random clicks: ${run.beats.length} beats for ${times.length} clicks in 16 s, confidence ${conf.toFixed(2)}`);
    expect(conf).toBeLessThan(0.6);
  });
});

describe('TempoTracker: bars', () => {
  it('guesses the 4/4 downbeat from the low-band accent (kick on 1, clicks on every beat)', () => {
    const truth = pulseTimes(120, 30, 0.5);
    const down = truth.filter((_, i) => i % 4 === 1); // bar starts on the second click
    const dur = 16;
    const run = track(rhythmOf(mix(clickTrain(truth, dur, SR), kicks(down, dur))));
    const late = run.downbeats.filter((t) => t > 8);
    expect(late.length).toBeGreaterThan(1);
    for (const t of late) expect(Math.min(...down.map((d) => Math.abs(d - t)))).toBeLessThan(0.07);
  });

  it('3/4 with setBeatsPerBar(3): downbeats on the accented beats, bar phase wraps every 3 beats', () => {
    const truth = pulseTimes(105, 26, 0.5);
    const down = truth.filter((_, i) => i % 3 === 0);
    const dur = 16;
    const r = rhythmOf(mix(clickTrain(truth, dur, SR), kicks(down, dur)));
    const run = track(r, {}, (t) => expect(t.setBeatsPerBar(3)).toBe(true));
    const late = run.downbeats.filter((t) => t > 8);
    expect(late.length).toBeGreaterThan(1);
    for (const t of late) expect(Math.min(...down.map((d) => Math.abs(d - t)))).toBeLessThan(0.07);
    expect(run.tracker.beatsPerBar).toBe(3);
    expect(run.tracker.setBeatsPerBar(0)).toBe(false);
    expect(run.tracker.setBeatsPerBar(2.5)).toBe(false);
  });

  it('setDownbeat moves the bar start to the beat the user marks', () => {
    const truth = pulseTimes(120, 30, 0.5);
    const r = rhythmOf(clickTrain(truth, 16, SR));
    const tr = new TempoTracker({ hopRate: HOP_RATE });
    const downs: number[] = [];
    let marked = false;
    for (let i = 0; i < r.onset.length; i++) {
      tr.push(r.onset[i], r.accent[i], r.low[i], r.time[i]);
      if (!marked && r.time[i] > 8) {
        expect(tr.setDownbeat(NaN)).toBe(false);
        expect(tr.setDownbeat(truth[16] + 0.01)).toBe(true); // user taps (slightly late) on the click at 8.5 s
        marked = true;
      }
      if (tr.downbeatEmitted) downs.push(tr.lastBeatTime);
      if (marked) expect(tr.barPhase).toBeGreaterThanOrEqual(0);
    }
    const after = downs.filter((t) => t > 8.4);
    expect(after.length).toBeGreaterThan(1);
    for (const t of after) {
      const k = (t - truth[16]) / 0.5;
      expect(Math.abs(k - Math.round(k))).toBeLessThan(0.14);
      expect(Math.abs(Math.round(k) % 4)).toBe(0);
    }
  });
});

describe('TempoTracker: hot path', () => {
  it('allocates nothing per push, re-estimates included', { timeout: 120_000 }, () => {
    const truth = pulseTimes(128, 40, 0.5);
    const r = rhythmOf(clickTrain(truth, 20, SR));
    const n = r.onset.length;
    // A short window runs the same code as the default 8 s one (every push, a re-estimate every
    // ~12 pushes) at a fraction of the cost, so the hundreds of thousands of calls bytesPerCall
    // makes stay quick on a loaded machine. The cost per hop belongs to bench/analysis-node.bench.ts.
    const tr = new TempoTracker({ hopRate: HOP_RATE, windowSeconds: 2.5 });
    const clock = new Float64Array(1); // numbers pass through a typed array so the closure boxes nothing
    const bytes = bytesPerCall((i) => {
      const k = i % n;
      clock[0] += 1 / HOP_RATE;
      tr.push(r.onset[k], r.accent[k], r.low[k], clock[0]);
    }, 5000, 5, 10_000);
    // the tempo/phase re-estimate (autocorrelation, comb, phase search) on its own, with no arguments to box
    const small = new TempoTracker({ hopRate: HOP_RATE, windowSeconds: 2.5 });
    for (let i = 0; i < 400; i++) small.push(r.onset[i], r.accent[i], r.low[i], r.time[i]);
    const reestimateBytes = bytesPerCall(() => small.reestimate(), 500, 9, 5000); // short rounds: background allocation by the test runner lands in fewer of them
    figures.push(`allocation: ${bytes.toFixed(2)} bytes per push, re-estimate ${reestimateBytes.toFixed(2)} bytes per call`);
    // 0 bytes on a quiet machine. The bound tolerates what V8 can box for a call it has not
    // inlined (3 double arguments × 16 bytes, made by the caller), seen under load; an array or
    // closure made per push, or an object on top of such boxing, exceeds it.
    expect(bytes).toBeLessThanOrEqual(48.5);
    expect(reestimateBytes).toBeLessThan(1);
  });

  it('survives bad input and rejects a bad hop rate with a clear message', () => {
    const tr = new TempoTracker({ hopRate: HOP_RATE });
    for (let i = 0; i < 1000; i++) tr.push(i % 3 === 0 ? NaN : i % 5 === 0 ? Infinity : -1, NaN, NaN, i / HOP_RATE);
    expect(Number.isFinite(tr.bpm)).toBe(true);
    expect(Number.isFinite(tr.beatPhase)).toBe(true);
    expect(() => new TempoTracker({ hopRate: 0 })).toThrow(/hopRate/);
    expect(new TempoTracker({ hopRate: HOP_RATE }).setDownbeat(1)).toBe(false); // no beat yet
  });

  it('starts over when the audio clock jumps back (a new file or stream), then locks again', () => {
    const truth = pulseTimes(120, 20, 0.5);
    const r = rhythmOf(clickTrain(truth, 11, SR));
    const tr = new TempoTracker({ hopRate: HOP_RATE });
    for (let i = 0; i < r.onset.length; i++) tr.push(r.onset[i], r.accent[i], r.low[i], r.time[i]);
    expect(tr.beatCount).toBeGreaterThan(10);
    const beats: number[] = [];
    for (let i = 0; i < r.onset.length; i++) {
      tr.push(r.onset[i], r.accent[i], r.low[i], r.time[i]);
      if (i === 0) expect(tr.beatCount).toBe(0);
      if (tr.beatEmitted) beats.push(tr.lastBeatTime);
    }
    const s = score(beats, truth, 0, truth[truth.length - 1] + 0.05);
    expect(s.lockTime - 0.5).toBeLessThan(4);
    expect(s.missed).toBe(0);
  });
});
