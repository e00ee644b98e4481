/**
 * The breath scene's response: near-silence is its most sensitive state, loud steady music does
 * not saturate the pane, silence clears it, and onsets leave seeded traces that age.
 */
import { describe, expect, it } from 'vitest';
import { FogResponse, TRACE_EMPTY_AGE, TRACE_SLOTS, TRACE_STRIDE, TraceRing, compressLevel } from './response.ts';

function run(fog: FogResponse, seconds: number, fps: number, level: number | ((t: number) => number), sensitivity = 0.7): number {
  let peak = 0;
  const n = Math.round(seconds * fps);
  for (let i = 0; i < n; i++) {
    fog.step(1 / fps, typeof level === 'number' ? level : level(i / fps), sensitivity);
    peak = Math.max(peak, fog.fog);
  }
  return peak;
}

describe('fog response', () => {
  it('a faint sound out of silence blooms the glass most of the way a loud one does', () => {
    const whisper = new FogResponse();
    run(whisper, 5, 60, 0);
    const faint = run(whisper, 1.5, 60, 0.05);
    const shout = new FogResponse();
    run(shout, 5, 60, 0);
    const loud = run(shout, 1.5, 60, 1);
    expect(faint).toBeGreaterThan(0.3);
    expect(faint / loud, `faint ${faint.toFixed(2)} vs loud ${loud.toFixed(2)}`).toBeGreaterThan(0.5);
  });

  it('sensitivity steepens the response near silence', () => {
    expect(compressLevel(0.05, 1)).toBeGreaterThan(compressLevel(0.05, 0.3) + 0.15);
    expect(compressLevel(0.05, 0)).toBeCloseTo(0.05, 5);
    expect(compressLevel(1, 0.7)).toBeCloseTo(1, 5);
  });

  it('loud steady music settles to a haze instead of a white-out', () => {
    const fog = new FogResponse();
    run(fog, 30, 60, 0.9);
    expect(fog.fog).toBeLessThan(0.6);
    expect(fog.fog).toBeGreaterThan(0.2);
    // A swell above that level still blooms it.
    const before = fog.fog;
    const swell = run(fog, 0.8, 60, 1);
    expect(swell).toBeGreaterThan(before);
  });

  it('each breath blooms and recedes: it follows a slow in-out rhythm', () => {
    const fog = new FogResponse();
    run(fog, 3, 60, 0);
    // Breathing: 1.5 s of faint sound, 2.5 s of silence, repeated.
    const levels: number[] = [];
    for (let i = 0; i < 16 * 60; i++) {
      const t = i / 60;
      fog.step(1 / 60, t % 4 < 1.5 ? 0.08 : 0, 0.7);
      levels.push(fog.fog);
    }
    const last = levels.slice(-4 * 60);
    expect(Math.max(...last) - Math.min(...last), 'visible swing within one breath').toBeGreaterThan(0.25);
  });

  it('silence clears the glass', () => {
    const fog = new FogResponse();
    run(fog, 5, 60, 0.6);
    run(fog, 12, 60, 0);
    expect(fog.fog).toBeLessThan(0.05);
  });

  it('shown mid-song, or frozen on one fixture frame (dt 0), the pane already shows the sound’s fog', () => {
    const loud = new FogResponse();
    loud.step(0, 0.9, 0.7);
    const steady = new FogResponse();
    run(steady, 40, 60, 0.9);
    expect(loud.fog).toBeCloseTo(steady.fog, 1);
    const quiet = new FogResponse();
    quiet.step(0, 0, 0.7);
    expect(quiet.fog).toBe(0);
  });

  it('is the same at 30 and 144 frames per second and survives bad input', () => {
    const a = new FogResponse();
    const b = new FogResponse();
    const level = (t: number) => (t % 2 < 0.7 ? 0.1 : 0.02);
    run(a, 6, 30, level);
    run(b, 6, 144, level);
    expect(Math.abs(a.fog - b.fog)).toBeLessThan(0.03);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -1, 1e9]) a.step(bad, bad, bad);
    a.step(1 / 60, Number.NaN, Number.NaN);
    expect(Number.isFinite(a.fog) && a.fog >= 0 && a.fog <= 1).toBe(true);
  });
});

describe('onset traces', () => {
  it('one trace per onset: a held envelope does not draw again until it falls', () => {
    const ring = new TraceRing(3);
    expect(ring.step(1 / 60, 1)).toBe(true);
    for (let i = 0; i < 30; i++) expect(ring.step(1 / 60, 0.8)).toBe(false);
    expect(ring.step(1 / 60, 0.1)).toBe(false);
    expect(ring.step(1 / 60, 0.9)).toBe(true);
    expect(ring.count).toBe(2);
  });

  it('places traces from its seed: same seed, same marks; on the pane', () => {
    const marks = (seed: number) => {
      const r = new TraceRing(seed);
      for (let i = 0; i < 4; i++) {
        r.step(0.1, 1);
        r.step(0.1, 0);
      }
      return Array.from(r.data);
    };
    expect(marks(9)).toEqual(marks(9));
    expect(marks(9)).not.toEqual(marks(10));
    const d = marks(9);
    for (let k = 0; k < 4; k++) {
      expect(Math.abs(d[k * TRACE_STRIDE])).toBeLessThanOrEqual(1.2);
      expect(Math.abs(d[k * TRACE_STRIDE + 1])).toBeLessThanOrEqual(0.6);
    }
  });

  it('ages traces, keeps empty slots empty, and a new one wipes over the oldest', () => {
    const r = new TraceRing(1);
    for (let k = 0; k < TRACE_SLOTS; k++) expect(r.data[k * TRACE_STRIDE + 3]).toBe(TRACE_EMPTY_AGE);
    r.step(0.1, 1);
    r.step(0.2, 0);
    expect(r.data[3]).toBeCloseTo(0.2, 5);
    expect(r.data[TRACE_STRIDE + 3]).toBe(TRACE_EMPTY_AGE);
    for (let i = 0; i < TRACE_SLOTS; i++) {
      r.step(0.1, 1);
      r.step(0.1, 0);
    }
    expect(r.count).toBe(TRACE_SLOTS + 1);
    // Slot 0 held the oldest and was drawn over last-but-zero: its age restarted.
    expect(r.data[3]).toBeCloseTo(0.1, 5);
  });
});
