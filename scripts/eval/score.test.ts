import { describe, expect, it } from 'vitest';
import { countMatches, fMeasure, lockTime, onsetScore, scoreClip, summarize, missedTargets, tempoMatches } from './score.ts';
import type { Truth } from './set.ts';

const grid = (start: number, period: number, n: number): number[] => Array.from({ length: n }, (_, i) => start + i * period);

function truth(over: Partial<Truth> = {}): Truth {
  return {
    duration: 30,
    beats: grid(0.5, 0.5, 56),
    downbeats: grid(0.5, 2, 14),
    onsets: grid(0.5, 0.25, 112),
    optionalOnsets: [],
    segments: [{ start: 0.5, end: 28.5, bpm: 120 }],
    silences: [],
    beatless: false,
    ...over,
  };
}

describe('evaluation scoring', () => {
  it('matches one-to-one within the window', () => {
    expect(countMatches([1, 1.01, 2], [1, 2], 0.07)).toBe(2);
    expect(countMatches([1.08], [1], 0.07)).toBe(0);
    expect(countMatches([0.99, 1.02], [1], 0.07)).toBe(1);
    expect(fMeasure([1, 2, 3], [1, 2, 3, 4], 0.05).f).toBeCloseTo((2 * 1 * 0.75) / 1.75, 6);
  });

  it('scores a perfect tracker 1 and one locked at twice the tempo 2/3, with the tempo right only allowing double', () => {
    const t = truth();
    const perfect = scoreClip(t, { beats: t.beats, onsets: t.onsets, bpm: [[0, 120]] });
    expect(perfect.beats!.f).toBe(1);
    expect(perfect.onsets!.f).toBe(1);
    expect(perfect.tempoStrict).toBe(1);
    expect(perfect.lockTimes[0]).toBe(0);
    const double = scoreClip(t, { beats: grid(0.5, 0.25, 112), onsets: [], bpm: [[0, 240]] });
    expect(double.beats!.precision).toBeCloseTo(0.5, 2);
    expect(double.beats!.f).toBeCloseTo(2 / 3, 2);
    expect(double.tempoStrict).toBe(0);
    expect(double.tempoOctave).toBe(1);
    // locked at twice the tempo still counts as locked (halfway beats are accepted)
    expect(double.lockTimes[0]).toBe(0);
  });

  it('scores beats half a beat off as zero and never locked', () => {
    const t = truth();
    const off = scoreClip(t, { beats: grid(0.75, 0.5, 56), onsets: [], bpm: [[0, 120]] });
    expect(off.beats!.f).toBe(0);
    expect(off.lockTimes[0]).toBe(Infinity);
  });

  it('measures lock as the start of the first four correct beats in a row', () => {
    const ref = grid(0.5, 0.5, 20);
    const est = [0.9, 1.4, ...grid(2.5, 0.5, 10)];
    expect(lockTime(est, ref, { start: 0.5, end: 10 })).toBeCloseTo(2, 6);
  });

  it('counts beats more than 1 s into a silence, and leaves detections on optional onsets out', () => {
    const t = truth({ silences: [{ start: 10, end: 15 }] });
    const s = scoreClip(t, { beats: [10.5, 11.2, 14.9], onsets: [], bpm: [] });
    expect(s.falseBeatsInSilence).toBe(2);
    const o = onsetScore([1, 1.3, 2], [1, 2], [1.3], 0.05);
    expect(o.f).toBe(1);
    expect(onsetScore([1, 1.6, 2], [1, 2], [1.3], 0.05).precision).toBeCloseTo(2 / 3, 6);
  });

  it('accepts a tempo within 4% or at double/half, nothing else', () => {
    expect(tempoMatches(124, 120, false)).toBe(true);
    expect(tempoMatches(125, 120, false)).toBe(false);
    expect(tempoMatches(60.5, 120, true)).toBe(true);
    expect(tempoMatches(180, 120, true)).toBe(false);
  });

  it('summarises the set and names every missed target', () => {
    const t = truth();
    const good = scoreClip(t, { beats: t.beats, onsets: t.onsets, bpm: [[0, 120]] });
    const bad = scoreClip(t, { beats: grid(0.75, 0.5, 56), onsets: [], bpm: [[0, 90]] });
    expect(missedTargets(summarize([good, good]))).toEqual([]);
    const miss = missedTargets(summarize([good, bad]));
    expect(miss.join(' ')).toMatch(/beat F-measure/);
    expect(miss.join(' ')).toMatch(/tempo right on 1\/2/);
    expect(miss.join(' ')).toMatch(/slowest lock/);
  });
});
