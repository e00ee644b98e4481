import { describe, expect, it } from 'vitest';
import { BeatClock, ClockSource } from './beat-clock.ts';
import { TapTempo } from './tap-tempo.ts';

/** Small seeded generator so jitter is the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Taps on a grid with ± `jitter` seconds of human timing. */
function taps(bpm: number, n: number, start: number, jitter: number, seed = 1): number[] {
  const r = rng(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(start + (i * 60) / bpm + (r() * 2 - 1) * jitter);
  return out;
}

describe('tap tempo', () => {
  it('finds 120 BPM from jittery taps despite a stray tap', () => {
    const t = taps(120, 8, 10, 0.012);
    t[4] += 0.17; // a late, clumsy tap: a third of a beat off
    const tap = new TapTempo();
    for (const x of t) tap.tap(x);
    expect(tap.rejected).toBe(1);
    expect(Math.abs(tap.bpm - 120)).toBeLessThan(1);
    expect(tap.confidence).toBeGreaterThan(0.5);
  });

  it('ignores a stray newest tap for tempo and phase', () => {
    const t = taps(120, 7, 10, 0.01, 3);
    t.push(10 + (7 * 0.5) - 0.2); // early by 0.4 beat
    const tap = new TapTempo();
    for (const x of t) tap.tap(x);
    expect(Math.abs(tap.bpm - 120)).toBeLessThan(1);
    // Phase stays on the good grid: the anchor is the previous, good tap.
    expect(tap.anchorTime).toBe(t[6]);
  });

  it('measures intervals on the event clock when given, anchoring the phase in audio time', () => {
    // The page's audio clock stalls under load (runs at 0.85 speed) while the taps are steady at 120 BPM.
    const wall = taps(120, 8, 100, 0.004, 5);
    const audio = wall.map((w) => 3 + (w - 100) * 0.85);
    const tap = new TapTempo();
    for (let i = 0; i < wall.length; i++) tap.tap(audio[i], wall[i]);
    expect(Math.abs(tap.bpm - 120)).toBeLessThan(1);
    expect(tap.anchorTime).toBe(audio[7]);
    expect(tap.lastTap).toBe(audio[7]);
    // Without the event clock the stalled audio clock would read as a faster tempo.
    const audioOnly = new TapTempo();
    for (const a of audio) audioOnly.tap(a);
    expect(audioOnly.bpm).toBeGreaterThan(135);
  });

  it('needs two taps for a tempo and resets after a long pause', () => {
    const tap = new TapTempo();
    tap.tap(1);
    expect(tap.bpm).toBe(0);
    tap.tap(1.6);
    expect(tap.bpm).toBeCloseTo(100, 6);
    for (const x of taps(100, 4, 2.2, 0.005)) tap.tap(x);
    const pause = 2.2 + 3 * 0.6 + 3;
    for (const x of taps(140, 5, pause, 0.005, 7)) tap.tap(x);
    expect(tap.count).toBe(5);
    expect(Math.abs(tap.bpm - 140)).toBeLessThan(1.5);
  });

  it('refuses bad times without breaking', () => {
    const tap = new TapTempo();
    expect(tap.tap(Number.NaN)).toBe(false);
    expect(tap.tap(2)).toBe(true);
    expect(tap.tap(1)).toBe(false);
    expect(tap.tap(2.5)).toBe(true);
    expect(tap.bpm).toBeCloseTo(120, 6);
  });

  it('drives the clock: the latest tap sets the phase', () => {
    const clock = new BeatClock();
    const t = taps(120, 6, 1, 0.008, 11);
    let ti = 0;
    let worst = 0;
    let beats = 0;
    for (let f = 0; f < 60 * 8; f++) {
      const now = 0.5 + f / 60;
      while (ti < t.length && t[ti] <= now) clock.tap(t[ti++]);
      clock.update(now);
      if (now > t[t.length - 1] + 1.5) {
        // The clock's phase follows the grid through the latest tap at the tapped tempo.
        const tt = clock.tapTempo;
        const expected = ((now - tt.anchorTime) * tt.bpm) / 60;
        const e = clock.beatPhase - (expected - Math.floor(expected));
        worst = Math.max(worst, Math.abs(e - Math.round(e)));
        beats += clock.beatsCrossed;
      }
    }
    expect(clock.leader).toBe(ClockSource.Tap);
    expect(clock.tapTempo.anchorTime).toBe(t[t.length - 1]);
    expect(Math.abs(clock.bpm - 120)).toBeLessThan(1);
    expect(worst).toBeLessThan(0.005);
    expect(beats).toBe(7); // 3.5 s at 120 BPM after the check starts
  });
});
