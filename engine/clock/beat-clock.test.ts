import { describe, expect, it } from 'vitest';
import { bytesPerCall } from '../params/test-alloc.ts';
import { AUTO_LEADER, BeatClock, ClockSource, type TrackerEstimate } from './beat-clock.ts';

/** Wrapped difference of two beat phases, in beats (-0.5..0.5). */
function phaseDiff(a: number, b: number): number {
  const d = a - b;
  return d - Math.round(d);
}

/** A tracker that reports `bpm` with beats at `t0 + n·60/bpm` every `every` seconds, as an analysis worker would. */
function feedTracker(clock: BeatClock, est: TrackerEstimate, bpm: number, t0: number, now: number, confidence = 0.8) {
  const p = 60 / bpm;
  est.bpm = bpm;
  est.confidence = confidence;
  est.beatTime = t0 + Math.floor((now - t0) / p) * p;
  clock.trackerInput(est, now);
}

function runTracker(fps: number, seconds: number, bpm: number) {
  const clock = new BeatClock();
  const est: TrackerEstimate = { bpm, beatTime: 0, confidence: 0.8 };
  let beats = 0;
  let bars = 0;
  let nextHop = 0;
  for (let f = 0; f <= seconds * fps; f++) {
    const now = f / fps;
    while (nextHop <= now) {
      feedTracker(clock, est, bpm, 0.25, nextHop);
      nextHop += 0.2;
    }
    clock.update(now);
    beats += clock.beatsCrossed;
    bars += clock.barsCrossed;
  }
  return { clock, beats, bars };
}

describe('beat clock', () => {
  it('counts the same beats and bars at 30, 60 and 144 fps', () => {
    const r30 = runTracker(30, 20, 128);
    const r60 = runTracker(60, 20, 128);
    const r144 = runTracker(144, 20, 128);
    // Beats from 0.25 s to 20 s at 128 BPM: 43 (the first beat at lock included).
    expect(r60.beats).toBe(43);
    expect(r30.beats).toBe(r60.beats);
    expect(r144.beats).toBe(r60.beats);
    expect(r30.bars).toBe(r60.bars);
    expect(r144.bars).toBe(r60.bars);
    expect(r60.bars).toBeGreaterThanOrEqual(10);
    expect(r30.clock.beatCount).toBe(r144.clock.beatCount);
    expect(r60.clock.leader).toBe(ClockSource.Tracker);
  });

  it('extrapolates phase between sparse estimates and never steps backwards', () => {
    const clock = new BeatClock();
    const est: TrackerEstimate = { bpm: 100, beatTime: 0, confidence: 0.9 };
    let last = -Infinity;
    let worst = 0;
    for (let f = 0; f < 600; f++) {
      const now = f / 60;
      // Estimates arrive only twice a second; phase still moves every frame.
      if (f % 30 === 0) feedTracker(clock, est, 100, 0.1, now);
      clock.update(now);
      expect(clock.position).toBeGreaterThanOrEqual(last);
      last = clock.position;
      if (now > 1) worst = Math.max(worst, Math.abs(phaseDiff(clock.beatPhase, ((now - 0.1) * 100) / 60)));
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('stops emitting beats after a second of silence and resumes with the music', () => {
    const clock = new BeatClock();
    const est: TrackerEstimate = { bpm: 120, beatTime: 0, confidence: 0.9 };
    const beatsIn = [0, 0, 0];
    let last = -Infinity;
    for (let f = 0; f < 60 * 12; f++) {
      const now = f / 60;
      const music = now < 4 || now >= 8;
      if (music && f % 6 === 0) feedTracker(clock, est, 120, 0, now);
      // In the silence the tracker still reports, but with no confidence.
      if (!music && f % 6 === 0) feedTracker(clock, est, 120, 0, now, 0.05);
      clock.update(now);
      expect(clock.position).toBeGreaterThanOrEqual(last);
      last = clock.position;
      if (now >= 5 && now < 8) {
        beatsIn[1] += clock.beatsCrossed;
        expect(clock.leader).toBe(ClockSource.None);
        expect(clock.freeRunning).toBe(true);
        expect(clock.confidence).toBe(0);
      } else if (now >= 9) beatsIn[2] += clock.beatsCrossed;
      else if (now >= 1 && now < 4) beatsIn[0] += clock.beatsCrossed;
    }
    expect(beatsIn[0]).toBe(6);
    expect(beatsIn[1]).toBe(0);
    expect(beatsIn[2]).toBe(6);
    expect(clock.leader).toBe(ClockSource.Tracker);
  });

  it('hands over from the tracker to taps without going backwards', () => {
    const clock = new BeatClock();
    const est: TrackerEstimate = { bpm: 120, beatTime: 0, confidence: 0.9 };
    let last = -Infinity;
    let maxStep = 0;
    const taps = [4.2, 4.7, 5.2, 5.7]; // 0.4 beat behind the tracker's grid
    let ti = 0;
    for (let f = 0; f < 60 * 9; f++) {
      const now = f / 60;
      if (f % 6 === 0) feedTracker(clock, est, 120, 0, now);
      while (ti < taps.length && taps[ti] <= now) clock.tap(taps[ti++]);
      clock.update(now);
      if (now > 1) maxStep = Math.max(maxStep, clock.position - last);
      expect(clock.position).toBeGreaterThanOrEqual(last);
      last = clock.position;
    }
    expect(clock.leader).toBe(ClockSource.Tap);
    // Settled on the taps' grid, and no frame moved more than 1.5× a normal frame's travel.
    expect(Math.abs(phaseDiff(clock.beatPhase, ((9 - 1 / 60 - 4.2) * 120) / 60))).toBeLessThan(0.01);
    expect(maxStep).toBeLessThan(1.5 * (2 / 60));
  });

  it('picks the leader by priority, or as the performer chooses', () => {
    const clock = new BeatClock();
    const est: TrackerEstimate = { bpm: 100, beatTime: 0, confidence: 0.9 };
    clock.trackerInput(est, 0.1);
    clock.update(0.1);
    expect(clock.leader).toBe(ClockSource.Tracker);
    clock.setTempo(110, 0.2);
    clock.update(0.2);
    expect(clock.leader).toBe(ClockSource.Osc);
    expect(clock.bpm).toBe(110);
    clock.tap(0.3);
    clock.tap(0.8);
    est.beatTime = 0.6;
    clock.trackerInput(est, 0.85);
    clock.update(0.85);
    expect(clock.leader).toBe(ClockSource.Tap);
    expect(clock.bpm).toBeCloseTo(120, 6);
    const period = 60 / 90 / 24;
    for (let k = 0; k < 24; k++) clock.midiByte(0xf8, 0.3 + k * period);
    clock.midiByte(0xfa, 0.3 + 24 * period);
    clock.midiByte(0xf8, 0.3 + 24 * period);
    clock.update(0.3 + 24 * period);
    expect(clock.leader).toBe(ClockSource.Midi);
    expect(clock.bpm).toBeCloseTo(90, 3);
    expect(clock.setLeaderMode(ClockSource.Tracker)).toBe(true);
    clock.update(0.95);
    expect(clock.leader).toBe(ClockSource.Tracker);
    expect(clock.bpm).toBe(100);
    // An explicit leader with nothing to say leaves the clock free-running.
    clock.update(2.5);
    expect(clock.leader).toBe(ClockSource.None);
    expect(clock.setLeaderMode(AUTO_LEADER)).toBe(true);
    expect(clock.setLeaderMode(99)).toBe(false);
    // Back to automatic: MIDI has gone quiet (no clock for > 0.5 s), the recent taps lead.
    clock.update(2.6);
    expect(clock.leader).toBe(ClockSource.Tap);
    clock.clearTaps();
    clock.update(2.7);
    expect(clock.leader).toBe(ClockSource.Osc);
  });

  it('nudges by a fraction of a beat, slewed without backwards steps', () => {
    const clock = new BeatClock();
    clock.setTempo(120, 0);
    clock.setPhase(0, 0);
    let last = -Infinity;
    let t = 0;
    const run = (until: number) => {
      for (; t < until; t += 1 / 60) {
        clock.update(t);
        expect(clock.position).toBeGreaterThanOrEqual(last);
        last = clock.position;
      }
    };
    run(2);
    clock.nudgeBeats(0.25);
    run(5);
    expect(phaseDiff(clock.beatPhase, (clock.time * 2) % 1)).toBeCloseTo(0.25, 3);
    clock.nudgeSeconds(-0.25); // half a beat back at 120 BPM
    run(8);
    expect(phaseDiff(clock.beatPhase, (clock.time * 2) % 1)).toBeCloseTo(-0.25, 3);
  });

  it('doubles and halves the tempo on the same beats', () => {
    const clock = new BeatClock();
    clock.setTempo(100, 0);
    clock.setPhase(0, 0);
    let t = 0;
    let last = -Infinity;
    const run = (until: number) => {
      for (; t < until; t += 1 / 120) {
        clock.update(t);
        expect(clock.position).toBeGreaterThanOrEqual(last);
        last = clock.position;
      }
    };
    run(3);
    clock.double();
    run(6);
    expect(clock.bpm).toBeCloseTo(200, 9);
    // Beats of the doubled clock fall on the old beats and halfway between.
    expect(Math.abs(phaseDiff(clock.beatPhase, (clock.time * 200) / 60))).toBeLessThan(1e-3);
    clock.half();
    clock.half();
    run(12);
    expect(clock.bpm).toBeCloseTo(50, 9);
    const oldBeats = (clock.time * 100) / 60;
    expect(Math.abs(phaseDiff(clock.beatPhase, oldBeats / 2)) < 1e-3 || Math.abs(phaseDiff(clock.beatPhase, oldBeats / 2 + 0.5)) < 1e-3).toBe(true);
    expect(clock.multiplier).toBe(0.5);
  });

  it('resets the phase: beat one now, and bars follow from there', () => {
    const clock = new BeatClock();
    const est: TrackerEstimate = { bpm: 120, beatTime: 0, confidence: 0.9 };
    let t = 0;
    let bars = 0;
    const barTimes: number[] = [];
    for (let f = 0; f < 60 * 10; f++, t = f / 60) {
      if (f % 6 === 0) feedTracker(clock, est, 120, 0.1, t);
      if (f === 200) clock.resetPhase();
      clock.update(t);
      if (f === 200) {
        expect(clock.beatPhase).toBe(0);
        expect(clock.barPhase).toBe(0);
        expect(clock.beatsCrossed).toBe(1);
        expect(clock.barsCrossed).toBe(1);
      }
      if (f >= 200) {
        bars += clock.barsCrossed;
        if (clock.barsCrossed > 0) barTimes.push(t);
      }
    }
    // Bars every 2 s from the reset, with the tracker still leading.
    expect(clock.leader).toBe(ClockSource.Tracker);
    expect(barTimes.length).toBe(bars);
    for (let i = 1; i < barTimes.length; i++) expect(barTimes[i] - barTimes[i - 1]).toBeCloseTo(2, 1);
    expect(bars).toBe(4);
  });

  it('gives quantised next beat, bar and n-bar times', () => {
    const clock = new BeatClock();
    clock.setTempo(120, 0);
    clock.setBar(0, 0);
    clock.update(0);
    clock.update(1.1);
    expect(clock.nextBeatTime(1.1)).toBeCloseTo(1.5, 9);
    expect(clock.nextBarTime(1.1)).toBeCloseTo(2, 9);
    expect(clock.nextBarsTime(1.1, 2)).toBeCloseTo(4, 9);
    expect(clock.nextBarsTime(4.2, 4)).toBeCloseTo(8, 9);
    expect(clock.setBeatsPerBar(3)).toBe(true);
    clock.setBar(0, 1); // a bar of three starts on the beat at 1 s
    clock.update(1.2);
    expect(clock.nextBarTime(1.2)).toBeCloseTo(2.5, 9);
    expect(clock.setBeatsPerBar(0)).toBe(false);
    expect(clock.setBeatsPerBar(2.5)).toBe(false);
  });

  it('follows OSC tempo and phase messages, and lets go when they stop', () => {
    const clock = new BeatClock({ oscHold: 5 });
    clock.setTempo(90, 0);
    clock.setPhase(0, 0);
    let t = 0;
    let last = -Infinity;
    const run = (until: number) => {
      for (; t < until; t += 1 / 60) {
        clock.update(t);
        expect(clock.position).toBeGreaterThanOrEqual(last);
        last = clock.position;
      }
    };
    run(2);
    expect(clock.leader).toBe(ClockSource.Osc);
    expect(clock.bpm).toBe(90);
    // A tempo change keeps the phase continuous at the moment it applies.
    const before = clock.positionAt(2);
    clock.setTempo(120, 2);
    run(4);
    expect(clock.bpm).toBe(120);
    expect(Math.abs(phaseDiff(clock.positionAt(4), before + 4))).toBeLessThan(1e-6);
    // A phase message moves the beat: a quarter beat at 4.0 s.
    clock.setPhase(0.25, 4);
    run(6.5);
    expect(Math.abs(phaseDiff(clock.beatPhase, 0.25 + ((clock.time - 4) * 120) / 60))).toBeLessThan(1e-3);
    run(10);
    expect(clock.leader).toBe(ClockSource.None);
    expect(clock.beatsCrossed).toBe(0);
  });

  it('shrugs off bad input', () => {
    const clock = new BeatClock();
    expect(clock.setTempo(Number.NaN, 0)).toBe(false);
    expect(clock.setTempo(-5, 0)).toBe(false);
    expect(clock.trackerInput({ bpm: Infinity, beatTime: 0, confidence: 1 })).toBe(false);
    expect(clock.setPhase(Number.NaN, 1)).toBe(false);
    clock.nudgeBeats(Number.NaN);
    clock.update(Number.NaN);
    clock.update(1);
    clock.update(0.5); // time going backwards: hold, never run back
    clock.update(2);
    for (const v of [clock.bpm, clock.beatPhase, clock.barPhase, clock.position, clock.nextBeatTime(2)]) expect(Number.isFinite(v)).toBe(true);
  });

  it('update() allocates nothing', () => {
    const clock = new BeatClock();
    const est: TrackerEstimate = { bpm: 125, beatTime: 0, confidence: 0.9 };
    // Time lives in a typed array: a captured `let` double would be boxed by the test itself.
    const time = new Float64Array(1);
    const bytes = bytesPerCall((i) => {
      const t = (time[0] += 1 / 60);
      if ((i & 7) === 0) {
        est.beatTime = t - 0.01;
        clock.trackerInput(est, t);
      }
      clock.update(t);
    });
    // V8 boxes the double argument of a call it does not inline (16 bytes, made by the caller: an
    // update() that returns at once measures the same). Anything update() allocated would add more.
    expect(bytes).toBeLessThanOrEqual(16.5);
    const midi = new BeatClock();
    const bytes2 = bytesPerCall((i) => {
      const t = (time[0] += 1 / 60);
      midi.midiByte(0xf8, t);
      if (i === 100) midi.midiByte(0xfa, t);
      midi.update(t);
    });
    expect(midi.leader).toBe(ClockSource.Midi);
    expect(bytes2).toBeLessThanOrEqual(32.5);
  });
});
