import { describe, expect, it } from 'vitest';
import { BeatClock } from '../clock/index.ts';
import { seededRandom } from '../../workers/analysis/signals.ts';
import { KeyframeBlend, SIGNATURE_FEATURE_COUNT, type BlendMode, type KeyframeSlot, type SequencerMode } from './index.ts';

const rng = seededRandom;

const NO_LIVE = new Float32Array(SIGNATURE_FEATURE_COUNT).fill(Number.NaN);

function sum(w: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i];
  return s;
}

function argmax(w: ArrayLike<number>): number {
  let b = -1;
  for (let i = 0; i < w.length; i++) if (b < 0 || w[i] > w[b]) b = i;
  return b;
}

/** Fails unless `w` is a valid blend of `n` keyframes. */
function expectValid(w: Float32Array, n: number): void {
  expect(w.length).toBe(n);
  for (let i = 0; i < n; i++) {
    if (!(Number.isFinite(w[i]) && w[i] >= 0)) throw new Error(`weight ${i} is ${w[i]} in [${Array.from(w).join(', ')}]`);
  }
  if (n > 0 && Math.abs(sum(w) - 1) > 1e-6) throw new Error(`weights sum to ${sum(w)}: [${Array.from(w).join(', ')}]`);
}

function padSet(points: ReadonlyArray<readonly [number, number]>): KeyframeSlot[] {
  return points.map((p) => ({ pad: p }));
}

describe('weights are always a valid blend', () => {
  it('survives random garbage inputs (seeded property loop)', () => {
    const r = rng(7);
    const garbage = [Number.NaN, Infinity, -Infinity, -1, 0, 0.5, 1, 2, 1e308, -1e308, 1e-320, 63, 64, 1000];
    const g = () => (r() < 0.5 ? garbage[Math.floor(r() * garbage.length)] : r() * 4 - 1);
    const modes = ['pad', 'crossfader', 'sequencer', 'bogus'];
    const seqModes = ['forward', 'ping-pong', 'random', ''];
    const sizes = [0, 1, 2, 3, 5, 64, 70];
    const b = new KeyframeBlend();
    const idx = new Int32Array(4);
    const tw = new Float32Array(4);
    const live = new Float32Array(SIGNATURE_FEATURE_COUNT);
    let loads = 0;
    for (let it = 0; it < 4000; it++) {
      if (it % 150 === 0) {
        const n = sizes[loads++ % sizes.length];
        const slots: unknown[] = [];
        for (let i = 0; i < n; i++) {
          const c = r();
          if (c < 0.1) slots.push(null);
          else if (c < 0.3) slots.push({ pad: [0.25, 0.25] }); // many coincident
          else if (c < 0.5) slots.push({ pad: [g(), g()], signature: { loudness: g(), low: g() } });
          else if (c < 0.7) slots.push({ signature: { centroid: r(), onsetRate: r(), nonsense: 3 } });
          else slots.push({ pad: [r(), r()] });
        }
        const rep = b.setKeyframes(slots as KeyframeSlot[]);
        expect(rep.count).toBe(Math.min(n, 64));
        expectValid(b.weights, rep.count);
      }
      b.mode = modes[Math.floor(r() * modes.length)] as BlendMode;
      b.seqMode = seqModes[Math.floor(r() * seqModes.length)] as SequencerMode;
      b.padX = g();
      b.padY = g();
      b.padPower = g() * 8;
      b.crossA = g();
      b.crossB = g() * 64;
      b.fader = g();
      b.faderCurve = r() < 0.5 ? 'linear' : 'equal-power';
      b.seqStepBeats = g() * 8;
      b.seqMorphBeats = g() * 8;
      b.seqSeed = g() * 1e6;
      b.soundMix = g();
      b.temperature = g() * 0.1;
      b.holdSeconds = g();
      b.glideSeconds = g();
      if (it % 50 === 0) b.setSequenceOrder(r() < 0.3 ? null : [g(), 2, 2, 70, -1, g() * 10, 1.5]);
      for (let f = 0; f < SIGNATURE_FEATURE_COUNT; f++) live[f] = r() < 0.2 ? Number.NaN : g();
      const liveArg = r() < 0.1 ? null : r() < 0.1 ? new Float32Array(2) : live;
      const w = b.update(g() * 0.1, it * 0.05 + g(), r() < 0.8, liveArg);
      expect(w).toBe(b.weights);
      expectValid(w, b.count);
      const got = b.topK(4, idx, tw);
      expect(got).toBe(Math.min(4, b.count));
      if (got > 0) expect(Math.abs(sum(tw.subarray(0, got)) - 1)).toBeLessThan(1e-6);
      for (let j = 0; j < got; j++) expect(b.weights[idx[j]]).toBeGreaterThanOrEqual(j + 1 < got ? b.weights[idx[j + 1]] : 0);
    }
    expect(loads).toBeGreaterThanOrEqual(sizes.length);
  });

  it('an empty set gives an empty blend in every mode', () => {
    const b = new KeyframeBlend();
    expect(b.setKeyframes([]).count).toBe(0);
    const idx = new Int32Array(4).fill(7);
    const tw = new Float32Array(4).fill(7);
    for (const mode of ['pad', 'crossfader', 'sequencer'] as const) {
      b.mode = mode;
      b.soundMix = 0.5;
      const w = b.update(1 / 60, 3.3, true, NO_LIVE);
      expect(w.length).toBe(0);
    }
    expect(b.topK(4, idx, tw)).toBe(0);
    expect(Array.from(idx)).toEqual([-1, -1, -1, -1]);
    expect(Array.from(tw)).toEqual([0, 0, 0, 0]);
  });

  it('one keyframe always weighs 1', () => {
    const b = new KeyframeBlend();
    b.setKeyframes([{ signature: { loudness: 0.2 } }]);
    const live = new Float32Array([0.9, 0.1, 0.1, 0.1, 0.1]);
    for (const mode of ['pad', 'crossfader', 'sequencer'] as const) {
      b.mode = mode;
      b.crossB = 5;
      b.fader = 0.7;
      for (const mix of [0, 0.5, 1]) {
        b.soundMix = mix;
        b.update(1 / 60, 17.2, true, live);
        expect(Array.from(b.weights)).toEqual([1]);
      }
    }
  });

  it('two keyframes in every mode', () => {
    const b = new KeyframeBlend();
    b.setKeyframes(padSet([
      [0.2, 0.5],
      [0.8, 0.5],
    ]));
    b.padX = 0.35;
    b.update(1 / 60, 0, true, NO_LIVE);
    expectValid(b.weights, 2);
    expect(b.weights[0]).toBeGreaterThan(0.85);
    b.mode = 'crossfader';
    b.fader = 1;
    b.update(1 / 60, 0, true, NO_LIVE);
    expect(b.weights[1]).toBeCloseTo(1, 6);
    b.mode = 'sequencer';
    b.seqStepBeats = 1;
    b.seqMorphBeats = 0;
    b.update(1 / 60, 1.5, true, NO_LIVE);
    expect(Array.from(b.weights)).toEqual([0, 1]);
  });

  it('coincident pad positions away from the cursor split evenly and stay finite', () => {
    const b = new KeyframeBlend();
    b.setKeyframes(padSet([
      [0.3, 0.3],
      [0.3, 0.3],
      [0.3, 0.3],
      [0.9, 0.9],
    ]));
    for (const [x, y, p] of [
      [0.6, 0.6, 2],
      [0.1, 0.95, 32],
      [0.3 + 1e-9, 0.3, 32],
      [0.9, 0.9 - 1e-9, 32],
    ]) {
      b.padX = x;
      b.padY = y;
      b.padPower = p;
      b.update(1 / 60, 0, true, NO_LIVE);
      expectValid(b.weights, 4);
      expect(b.weights[0]).toBeCloseTo(b.weights[1], 7);
      expect(b.weights[1]).toBeCloseTo(b.weights[2], 7);
    }
  });

  it('the cursor exactly on a keyframe gives it 1, split evenly where keyframes coincide', () => {
    const b = new KeyframeBlend();
    b.setKeyframes(padSet([
      [0.1, 0.1],
      [0.5, 0.5],
      [0.5, 0.5],
      [0.9, 0.2],
    ]));
    b.padX = 0.9;
    b.padY = 0.2;
    b.update(1 / 60, 0, true, NO_LIVE);
    expect(Array.from(b.weights)).toEqual([0, 0, 0, 1]);
    b.padX = 0.5;
    b.padY = 0.5;
    b.update(1 / 60, 0, true, NO_LIVE);
    expect(Array.from(b.weights)).toEqual([0, 0.5, 0.5, 0]);
  });
});

describe('blend pad', () => {
  const corners = padSet([
    [0, 0],
    [1, 0],
    [0, 1],
    [1, 1],
  ]);

  it('the nearer keyframe weighs more, by inverse distance to the power', () => {
    const b = new KeyframeBlend();
    b.setKeyframes(corners);
    b.padX = 0.2;
    b.padY = 0.1;
    b.update(1 / 60, 0, true, NO_LIVE);
    const w = b.weights;
    expect(w[0]).toBeGreaterThan(w[1]);
    expect(w[0]).toBeGreaterThan(w[2]);
    expect(w[1]).toBeGreaterThan(w[3]);
    const d2 = [0.2 ** 2 + 0.1 ** 2, 0.8 ** 2 + 0.1 ** 2, 0.2 ** 2 + 0.9 ** 2, 0.8 ** 2 + 0.9 ** 2];
    const inv = d2.map((d) => 1 / d); // power 2: 1/d²
    const s = sum(inv);
    for (let i = 0; i < 4; i++) expect(w[i]).toBeCloseTo(inv[i] / s, 6);
    // A higher power is sharper.
    const w2 = b.weights[0];
    b.padPower = 6;
    b.update(1 / 60, 0, true, NO_LIVE);
    expect(b.weights[0]).toBeGreaterThan(w2 + 0.05);
  });

  it('moving the cursor from one keyframe to another moves the weight monotonically', () => {
    const b = new KeyframeBlend();
    b.setKeyframes([...corners, { pad: [0.5, 0.6] }, {}]);
    let last0 = Infinity;
    let last1 = -Infinity;
    for (let i = 0; i <= 200; i++) {
      b.padX = i / 200;
      b.padY = 0;
      b.update(1 / 60, 0, true, NO_LIVE);
      expect(b.weights[0]).toBeLessThanOrEqual(last0 + 1e-7);
      expect(b.weights[1]).toBeGreaterThanOrEqual(last1 - 1e-7);
      last0 = b.weights[0];
      last1 = b.weights[1];
    }
    expect(last1).toBe(1);
  });

  it('lays out keyframes without a position on a circle, keeps given ones, and ignores a NaN cursor', () => {
    const b = new KeyframeBlend();
    const rep = b.setKeyframes([{}, { pad: [0.1, 0.9] }, {}, { pad: [Number.NaN, 0.5] as unknown as [number, number] }, { pad: [2, -1] }]);
    expect(rep.autoPlaced).toBe(3);
    expect(rep.warnings.length).toBe(2);
    const L = b.padLayout;
    expect(L[2]).toBeCloseTo(0.1, 6);
    expect(L[3]).toBeCloseTo(0.9, 6);
    expect([L[8], L[9]]).toEqual([1, 0]);
    for (const i of [0, 2, 3]) expect(Math.hypot(L[2 * i] - 0.5, L[2 * i + 1] - 0.5)).toBeCloseTo(0.4, 5);
    // Auto-placed keyframes are distinct.
    expect(Math.hypot(L[0] - L[4], L[1] - L[5])).toBeGreaterThan(0.3);
    b.padX = L[4];
    b.padY = L[5];
    b.update(1 / 60, 0, true, NO_LIVE);
    b.padX = Number.NaN;
    b.padY = Infinity;
    b.update(1 / 60, 0, true, NO_LIVE);
    expect(b.padX).toBe(L[4]);
    expect(b.weights[2]).toBe(1);
  });
});

describe('crossfader', () => {
  function rig(curve: 'linear' | 'equal-power') {
    const b = new KeyframeBlend();
    b.setKeyframes([{}, {}, {}, {}]);
    b.mode = 'crossfader';
    b.faderCurve = curve;
    b.crossA = 1;
    b.crossB = 3;
    return (f: number) => {
      b.fader = f;
      return Array.from(b.update(1 / 60, 0, true, NO_LIVE));
    };
  }

  for (const curve of ['linear', 'equal-power'] as const) {
    it(`${curve}: the ends give A or B alone, the middle half each`, () => {
      const at = rig(curve);
      const a = at(0);
      expect(a[1]).toBe(1);
      expect(a[3]).toBe(0);
      const b = at(1);
      expect(b[1]).toBeCloseTo(0, 7);
      expect(b[3]).toBeCloseTo(1, 7);
      const m = at(0.5);
      expect(m[1]).toBeCloseTo(0.5, 6);
      expect(m[3]).toBeCloseTo(0.5, 6);
      expect(m[0] + m[2]).toBe(0);
    });
  }

  it('the curves differ between the ends: equal-power leaves an end faster', () => {
    expect(rig('linear')(0.25)[3]).toBeCloseTo(0.25, 6);
    const ep = Math.sin(Math.PI / 8) / (Math.sin(Math.PI / 8) + Math.cos(Math.PI / 8));
    expect(rig('equal-power')(0.25)[3]).toBeCloseTo(ep, 6);
    expect(ep).toBeGreaterThan(0.28);
  });

  it('A = B gives that keyframe 1; indices beyond the set clamp to the last keyframe', () => {
    const b = new KeyframeBlend();
    b.setKeyframes([{}, {}, {}]);
    b.mode = 'crossfader';
    b.crossA = 2;
    b.crossB = 2;
    b.fader = 0.3;
    expect(Array.from(b.update(1 / 60, 0, true, NO_LIVE))).toEqual([0, 0, 1]);
    b.crossA = 0;
    b.crossB = 40;
    b.faderCurve = 'linear';
    b.fader = 0.75;
    expect(Array.from(b.update(1 / 60, 0, true, NO_LIVE))).toEqual([0.25, 0, 0.75]);
    b.crossB = Number.NaN;
    b.fader = Number.NaN;
    b.faderCurve = 'steep' as 'linear';
    expect(Array.from(b.update(1 / 60, 0, true, NO_LIVE))).toEqual([0.25, 0, 0.75]);
    expect(b.crossB).toBe(40);
    expect(b.fader).toBe(0.75);
    expect(b.faderCurve).toBe('linear');
    b.fader = 7;
    b.update(1 / 60, 0, true, NO_LIVE);
    expect(b.fader).toBe(1);
  });
});

interface SeqFrame {
  pos: number;
  beatCount: number;
  step: number;
  cur: number;
  prev: number;
  progress: number;
  w: number[];
}

/** Drives `b` from a real BeatClock at `bpm`, `fps` frames a second, recording every frame. */
function driveSequencer(b: KeyframeBlend, fps: number, seconds: number, bpm: number, running: (t: number) => boolean = () => true): SeqFrame[] {
  const clock = new BeatClock();
  clock.setTempo(bpm, 0);
  const frames: SeqFrame[] = [];
  for (let f = 0; f <= Math.round(seconds * fps); f++) {
    const now = f / fps;
    if (f > 0 && f % (10 * fps) === 0) clock.setTempo(bpm, now); // OSC tempo stays the leader
    clock.update(now);
    b.update(1 / fps, clock.beatCount + clock.beatPhase, running(now), NO_LIVE);
    frames.push({ pos: clock.position, beatCount: clock.beatCount, step: b.seqStep, cur: b.seqCurrent, prev: b.seqPrevious, progress: b.seqProgress, w: Array.from(b.weights) });
  }
  return frames;
}

/** The keyframe of each step, in step order, from recorded frames. */
function stepSequence(frames: SeqFrame[]): number[] {
  const seq: number[] = [];
  let last = Number.NaN;
  for (const f of frames) {
    if (f.step !== last) {
      expect(f.step).toBe(Number.isNaN(last) ? f.step : last + 1);
      seq.push(f.cur);
      last = f.step;
    }
  }
  return seq;
}

function sequencer(n: number, stepBeats: number, morphBeats: number, mode: SequencerMode = 'forward'): KeyframeBlend {
  const b = new KeyframeBlend();
  b.setKeyframes(Array.from({ length: n }, () => ({})));
  b.mode = 'sequencer';
  b.seqStepBeats = stepBeats;
  b.seqMorphBeats = morphBeats;
  b.seqMode = mode;
  return b;
}

describe('sequencer on the beat clock', () => {
  for (const fps of [60, 23]) {
    it(`steps land on multiples of stepBeats and morph from the beat position at ${fps} fps`, () => {
      const b = sequencer(5, 4, 2);
      b.setSequenceOrder([3, 1, 4, 0]);
      const bpm = 120;
      const frames = driveSequencer(b, fps, 24, bpm);
      const advance = bpm / 60 / fps;
      const order = [3, 1, 4, 0];
      let changes = 0;
      let nearestHalf = 1;
      for (let i = 0; i < frames.length; i++) {
        const f = frames[i];
        expect(f.step).toBe(Math.floor(f.beatCount / 4));
        expect(f.cur).toBe(order[f.step % 4]);
        if (i > 0 && f.cur !== frames[i - 1].cur) {
          changes++;
          // Changes exactly on the frame whose beat count reaches a multiple of 4.
          expect(f.beatCount % 4).toBe(0);
          expect(frames[i - 1].beatCount).toBeLessThan(f.beatCount);
          expect(f.prev).toBe(frames[i - 1].cur);
        }
        const expected = Math.min(1, (f.pos - f.step * 4) / 2);
        expect(f.progress).toBeCloseTo(expected, 9);
        if (f.step > 0) {
          expect(f.w[f.cur]).toBeCloseTo(f.progress, 6);
          expect(f.w[f.prev]).toBeCloseTo(1 - f.progress, 6);
          const intoStep = f.pos - f.step * 4;
          if (Math.abs(intoStep - 1) < Math.abs(nearestHalf)) nearestHalf = intoStep - 1;
          if (Math.abs(intoStep - 1) <= advance / 2 + 1e-9) expect(Math.abs(f.progress - 0.5)).toBeLessThanOrEqual(advance / 4 + 1e-9);
        }
      }
      // 0 to 24 s inclusive at 120 BPM reaches beat 48: changes at beats 4, 8, ... 48.
      expect(changes).toBe(12);
      expect(Math.abs(nearestHalf)).toBeLessThanOrEqual(advance / 2 + 1e-9);
    });
  }

  it('plays the same keyframes per step at 60 and 23 fps', () => {
    const at60 = stepSequence(driveSequencer(sequencer(4, 1, 0.5), 60, 12, 128));
    const at23 = stepSequence(driveSequencer(sequencer(4, 1, 0.5), 23, 12, 128));
    expect(at60.length).toBeGreaterThan(20);
    expect(at23).toEqual(at60);
    expect(at60.slice(0, 6)).toEqual([0, 1, 2, 3, 0, 1]);
  });

  it('a morph of 0 cuts', () => {
    const frames = driveSequencer(sequencer(3, 2, 0), 60, 5, 120);
    for (const f of frames) expect(f.w[f.cur]).toBe(1);
  });

  it('ping-pong runs back and forth without repeating the ends', () => {
    const seq = stepSequence(driveSequencer(sequencer(4, 1, 0.5, 'ping-pong'), 23, 7, 120));
    expect(seq.slice(0, 13)).toEqual([0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0]);
  });

  it('random is seeded, deterministic across frame rates, and never repeats a keyframe', () => {
    const run = (seed: number, fps: number, n = 5) => {
      const b = sequencer(n, 1, 0.5, 'random');
      b.seqSeed = seed;
      return stepSequence(driveSequencer(b, fps, 40, 150));
    };
    const a = run(42, 60);
    expect(a.length).toBeGreaterThanOrEqual(100);
    for (let i = 1; i < a.length; i++) expect(a[i]).not.toBe(a[i - 1]);
    for (let k = 0; k < 5; k++) expect(a).toContain(k);
    // Not a cycle in disguise: some step is followed by different keyframes at different times.
    const followers = new Set<string>();
    for (let i = 1; i < a.length; i++) followers.add(`${a[i - 1]}>${a[i]}`);
    expect(followers.size).toBeGreaterThan(10);
    expect(run(42, 23)).toEqual(a);
    expect(run(43, 60)).not.toEqual(a);
    const two = run(9, 60, 2);
    for (let i = 1; i < two.length; i++) expect(two[i]).not.toBe(two[i - 1]);
  });

  it('holds its weights while the clock is stopped, then follows the clock again', () => {
    const b = sequencer(4, 1, 1);
    const frames = driveSequencer(b, 60, 6, 120, (t) => t < 1.26 || t >= 3);
    const held = frames.filter((_, i) => i / 60 >= 1.26 && i / 60 < 3);
    expect(held.length).toBeGreaterThan(90);
    for (const f of held) {
      expect(f.w).toEqual(held[0].w);
      expect(f.step).toBe(held[0].step);
    }
    expect(held[0].progress).toBeGreaterThan(0.4);
    expect(held[0].progress).toBeLessThan(0.6);
    const after = frames[3 * 60];
    expect(after.step).toBe(after.beatCount);
    expect(after.w).not.toEqual(held[0].w);
    // A non-finite beat position holds too.
    const before = Array.from(b.weights);
    b.update(1 / 60, Number.NaN, true, NO_LIVE);
    expect(Array.from(b.weights)).toEqual(before);
  });

  it('a custom order skips keyframes missing from the set and applies from the next step', () => {
    const b = sequencer(3, 1, 0);
    expect(b.setSequenceOrder([2, 9, 0, 0.5, -1])).toBe(2);
    expect([b.sequenceAt(0), b.sequenceAt(1)]).toEqual([2, 0]);
    expect(b.setSequenceOrder(null)).toBe(3);
  });
});

const SIGS: KeyframeSlot[] = [
  { signature: { loudness: 0.1, centroid: 0.2, onsetRate: 0.1 } },
  { signature: { loudness: 0.9, centroid: 0.8, onsetRate: 0.9, low: 0.7 } },
  { signature: { loudness: 0.5, pitchConfidence: 0.9 } },
  { signature: { loudness: 0.6, centroid: 0.3, low: 0.95, pitchConfidence: 0.1 } },
  {},
];

/** Live features for a signature: its targets plus a little noise, other features random or missing. */
function liveFor(slot: KeyframeSlot, r: () => number, out: Float32Array): Float32Array {
  const names = ['loudness', 'centroid', 'onsetRate', 'low', 'pitchConfidence'] as const;
  for (let f = 0; f < 5; f++) {
    const t = slot.signature?.[names[f]];
    out[f] = t !== undefined ? t + (r() - 0.5) * 0.04 : r() < 0.5 ? Number.NaN : r();
  }
  return out;
}

describe('sound-follow', () => {
  it('live features matching keyframe k select k', () => {
    const r = rng(3);
    const b = new KeyframeBlend();
    b.setKeyframes(SIGS);
    b.soundMix = 1;
    expect(b.soundFromPad).toBe(false);
    const live = new Float32Array(5);
    for (const k of [2, 0, 3, 1, 2]) {
      for (let f = 0; f < 150; f++) b.update(1 / 60, 0, true, liveFor(SIGS[k], r, live));
      expect(b.soundLeader).toBe(k);
      expect(argmax(b.weights)).toBe(k);
      expect(b.weights[4]).toBe(0); // no signature: nothing from sound-follow
    }
  });

  it('features jittering across a boundary do not switch the leader within the hold', () => {
    const r = rng(11);
    const b = new KeyframeBlend();
    b.setKeyframes([{ signature: { loudness: 0.3, centroid: 0.5 } }, { signature: { loudness: 0.7, centroid: 0.5 } }]);
    b.soundMix = 1;
    const live = new Float32Array([0.45, 0.5, Number.NaN, Number.NaN, Number.NaN]);
    b.update(1 / 60, 0, true, live);
    expect(b.soundLeader).toBe(0);
    let rawFlips = 0;
    let leaderChanges = 0;
    let topChanges = 0;
    let side = -1;
    let run = 0;
    let lastTop = argmax(b.weights);
    let lastW1 = b.weights[1];
    let maxStep = 0;
    for (let f = 0; f < 60 * 20; f++) {
      if (run <= 0) {
        side = -side;
        run = 1 + Math.floor(r() * 60); // up to a second on one side: shorter than the 1.5 s hold
        rawFlips++;
      }
      run--;
      live[0] = 0.5 + side * (0.002 + r() * 0.03);
      const lead = b.soundLeader;
      b.update(1 / 60, 0, true, live);
      if (b.soundLeader !== lead) leaderChanges++;
      const top = argmax(b.weights);
      if (top !== lastTop) topChanges++;
      lastTop = top;
      maxStep = Math.max(maxStep, Math.abs(b.weights[1] - lastW1));
      lastW1 = b.weights[1];
    }
    expect(rawFlips).toBeGreaterThan(30);
    expect(leaderChanges).toBe(0);
    expect(topChanges).toBe(0);
    // The glide keeps frame-to-frame changes small.
    expect(maxStep).toBeLessThan(0.05);
  });

  it('leader changes are at least the hold time apart, and a steady new leader takes over after the hold', () => {
    const r = rng(5);
    const b = new KeyframeBlend();
    b.setKeyframes([{ signature: { loudness: 0.3 } }, { signature: { loudness: 0.7 } }, { signature: { loudness: 0.5, low: 0.9 } }]);
    b.holdSeconds = 1;
    const live = new Float32Array([0.3, Number.NaN, Number.NaN, 0.2, Number.NaN]);
    const fps = 60;
    const changes: number[] = [];
    let run = 0;
    for (let f = 0; f < fps * 60; f++) {
      if (run <= 0) {
        run = 1 + Math.floor(r() * 150); // up to 2.5 s: some runs outlast the hold
        live[0] = 0.5 + (r() < 0.5 ? -1 : 1) * (0.01 + r() * 0.05);
        live[3] = r() < 0.2 ? 0.9 : 0.2;
      }
      run--;
      const lead = b.soundLeader;
      b.update(1 / fps, 0, true, live);
      if (b.soundLeader !== lead && lead >= 0) changes.push(f / fps);
    }
    expect(changes.length).toBeGreaterThan(5);
    for (let i = 1; i < changes.length; i++) expect(changes[i] - changes[i - 1]).toBeGreaterThanOrEqual(1 - 1e-9);

    // A clear, steady change of sound: the leader follows once the hold has passed, not before.
    for (const fps2 of [60, 23]) {
      const c = new KeyframeBlend();
      c.setKeyframes([{ signature: { loudness: 0.3 } }, { signature: { loudness: 0.7 } }]);
      const l = new Float32Array([0.3, Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
      for (let f = 0; f < fps2; f++) c.update(1 / fps2, 0, true, l);
      expect(c.soundLeader).toBe(0);
      l[0] = 0.7;
      let switched = -1;
      for (let f = 1; f <= fps2 * 3 && switched < 0; f++) {
        c.update(1 / fps2, 0, true, l);
        if (c.soundLeader === 1) switched = f / fps2;
        else expect(c.soundChallenger).toBe(1);
      }
      expect(switched).toBeGreaterThanOrEqual(1.5 - 1e-9);
      expect(switched).toBeLessThan(1.5 + 1 / fps2 + 1e-9);
    }
  });

  it('two keyframes taking turns at beating the leader still replace it after the hold', () => {
    // Live sound between two signatures, both far from the leader's: whichever is closest changes
    // every few frames, but the leader is beaten all the time, so it must go after the hold.
    const b = new KeyframeBlend();
    b.setKeyframes([{ signature: { loudness: 0.1 } }, { signature: { loudness: 0.8, centroid: 0.9 } }, { signature: { loudness: 0.9, centroid: 0.7 } }]);
    b.soundMix = 1;
    b.holdSeconds = 1;
    const live = new Float32Array([0.1, 0.5, Number.NaN, Number.NaN, Number.NaN]);
    for (let f = 0; f < 30; f++) b.update(1 / 60, 0, true, live);
    expect(b.soundLeader).toBe(0);
    let switched = -1;
    for (let f = 1; f <= 180 && switched < 0; f++) {
      const odd = Math.floor(f / 3) % 2 === 1;
      live[0] = odd ? 0.8 : 0.9;
      live[1] = odd ? 0.9 : 0.7;
      b.update(1 / 60, 0, true, live);
      if (b.soundLeader !== 0) switched = f / 60;
    }
    expect(switched).toBeGreaterThanOrEqual(1 - 1e-9);
    expect(switched).toBeLessThan(1 + 2 / 60);
    expect([1, 2]).toContain(b.soundLeader);
  });

  it('glides with a time constant in seconds, the same at 60 and 23 fps', () => {
    const at = (fps: number) => {
      const b = new KeyframeBlend();
      b.setKeyframes([{ signature: { centroid: 0.1 } }, { signature: { centroid: 0.9 } }]);
      b.holdSeconds = 0;
      b.glideSeconds = 0.5;
      b.temperature = 0.01;
      const live = new Float32Array([Number.NaN, 0.1, Number.NaN, Number.NaN, Number.NaN]);
      b.update(1 / fps, 0, true, live);
      const start = b.soundWeights[1];
      live[1] = 0.9;
      for (let f = 0; f < fps; f++) b.update(1 / fps, 0, true, live); // one second
      return { start, end: b.soundWeights[1] };
    };
    const a = at(60);
    const c = at(23);
    expect(a.start).toBeLessThan(1e-6);
    const target = 1 / (1 + Math.exp(-0.64 / 0.01));
    const expected = target * (1 - Math.exp(-1 / 0.5));
    expect(a.end).toBeCloseTo(expected, 5);
    expect(c.end).toBeCloseTo(expected, 5);
  });

  it('treats a non-finite live feature as unavailable and clamps the others to 0..1', () => {
    const b = new KeyframeBlend();
    b.setKeyframes([{ signature: { loudness: 0.2, centroid: 0.8 } }, { signature: { loudness: 0.8, centroid: 0.2 } }]);
    b.update(1 / 60, 0, true, new Float32Array([Infinity, 0.8, 0, 0, 0]));
    expect(b.soundInformed).toBe(true);
    expect(b.soundLeader).toBe(0);
    const c = new KeyframeBlend();
    c.setKeyframes([{ signature: { loudness: 1 } }, { signature: { loudness: 0.6 } }]);
    c.temperature = 0.05;
    // 5 is read as 1, an exact match for keyframe 0 (unclamped, keyframe 0 would take all the weight).
    c.update(1 / 60, 0, true, new Float32Array([5, Number.NaN, Number.NaN, Number.NaN, Number.NaN]));
    expect(c.soundLeader).toBe(0);
    expect(c.soundWeights[0]).toBeCloseTo(1 / (1 + Math.exp(-0.16 / 0.05)), 5);
  });

  it('keeps its last weights while no live feature is available', () => {
    const b = new KeyframeBlend();
    b.setKeyframes(SIGS);
    b.soundMix = 1;
    const live = new Float32Array([0.6, 0.3, Number.NaN, 0.95, 0.1]);
    for (let f = 0; f < 300; f++) b.update(1 / 60, 0, true, live);
    const before = Array.from(b.weights);
    for (let f = 0; f < 120; f++) b.update(1 / 60, 0, true, f % 2 === 0 ? NO_LIVE : null);
    expect(b.soundInformed).toBe(false);
    expect(b.soundLeader).toBe(3);
    for (let i = 0; i < before.length; i++) expect(b.weights[i]).toBeCloseTo(before[i], 6);
    expect(argmax(before)).toBe(3);
  });

  it('without signatures it contributes the pad weights and says so', () => {
    const b = new KeyframeBlend();
    b.setKeyframes(padSet([
      [0, 0],
      [1, 1],
      [0, 1],
    ]));
    b.mode = 'crossfader';
    b.soundMix = 1;
    b.padX = 0.1;
    b.padY = 0.2;
    b.update(1 / 60, 0, true, new Float32Array([0.5, 0.5, 0.5, 0.5, 0.5]));
    expect(b.soundFromPad).toBe(true);
    expect(b.soundLeader).toBe(-1);
    const pad = new KeyframeBlend();
    pad.setKeyframes(padSet([
      [0, 0],
      [1, 1],
      [0, 1],
    ]));
    pad.padX = 0.1;
    pad.padY = 0.2;
    pad.update(1 / 60, 0, true, NO_LIVE);
    expect(Array.from(b.weights)).toEqual(Array.from(pad.weights));
    expect(Array.from(b.soundWeights)).toEqual(Array.from(pad.weights));
  });
});

describe('mix and top k', () => {
  it('mixes the manual source with sound-follow by soundMix', () => {
    const b = new KeyframeBlend();
    b.setKeyframes([{ signature: { loudness: 0.1 } }, { signature: { loudness: 0.9 } }, {}]);
    b.mode = 'crossfader';
    b.crossA = 2;
    b.crossB = 2;
    b.temperature = 0.001;
    b.soundMix = 0.25;
    const w = b.update(1 / 60, 0, true, new Float32Array([0.9, 0, 0, 0, 0]));
    expect(w[2]).toBeCloseTo(0.75, 6);
    expect(w[1]).toBeCloseTo(0.25, 6);
    expect(Array.from(b.manualWeights)).toEqual([0, 0, 1]);
  });

  it('topK returns the heaviest, ties by index, renormalised', () => {
    const b = new KeyframeBlend();
    b.setKeyframes([{}, {}, {}, {}, {}, {}]);
    b.mode = 'crossfader';
    b.faderCurve = 'linear';
    b.crossA = 4;
    b.crossB = 1;
    b.fader = 0.25;
    b.update(1 / 60, 0, true, NO_LIVE);
    const idx = new Int32Array(4);
    const w = new Float32Array(4);
    expect(b.topK(4, idx, w)).toBe(4);
    expect(Array.from(idx)).toEqual([4, 1, 0, 2]);
    expect(Array.from(w)).toEqual([0.75, 0.25, 0, 0]);
    // Even weights: lowest indices first.
    b.mode = 'pad';
    b.setKeyframes([{ pad: [0, 0.5] }, { pad: [1, 0.5] }, { pad: [0.5, 0] }, { pad: [0.5, 1] }, { pad: [0.5, 0.5] }]);
    b.padX = 0.5;
    b.padY = 0.6;
    b.padPower = 0;
    b.update(1 / 60, 0, true, NO_LIVE);
    expect(b.topK(3, idx, w)).toBe(3);
    expect(Array.from(idx.subarray(0, 3))).toEqual([0, 1, 2]);
    for (let j = 0; j < 3; j++) expect(w[j]).toBeCloseTo(1 / 3, 6);
    b.padPower = 2;
    b.update(1 / 60, 0, true, NO_LIVE);
    expect(b.topK(2, idx, w)).toBe(2);
    expect(idx[0]).toBe(4);
    expect(idx[1]).toBe(3);
    expect(w[0] + w[1]).toBeCloseTo(1, 6);
    expect(w[0] / w[1]).toBeCloseTo(b.weights[4] / b.weights[3], 4);
    expect(w[0] / w[1]).toBeCloseTo(16, 4); // distances 0.1 and 0.4, power 2
    // More asked than there are keyframes: the rest are -1 / 0.
    b.setKeyframes([{}, {}]);
    b.update(1 / 60, 0, true, NO_LIVE);
    expect(b.topK(4, idx, w)).toBe(2);
    expect(Array.from(idx.subarray(2))).toEqual([-1, -1]);
    expect(Array.from(w.subarray(2))).toEqual([0, 0]);
  });

  it('reports what it corrected at set load', () => {
    const b = new KeyframeBlend(4);
    const rep = b.setKeyframes([{ signature: { loudness: 3, pitch: 1 } as never }, { signature: { low: Number.NaN } }, {}, {}, {}, {}]);
    expect(rep.count).toBe(4);
    expect(rep.withSignature).toBe(1);
    expect(rep.warnings.some((w) => w.includes('only the first 4'))).toBe(true);
    expect(rep.warnings.some((w) => w.includes("unknown signature feature 'pitch'"))).toBe(true);
    expect(rep.warnings.some((w) => w.includes('loudness clamped'))).toBe(true);
    expect(rep.warnings.some((w) => w.includes('low is not a finite number'))).toBe(true);
    expect(b.hasSignature(0)).toBe(true);
    expect(b.hasSignature(1)).toBe(false);
    expectValid(b.weights, 4);
  });
});
