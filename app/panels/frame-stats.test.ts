import { describe, expect, it } from 'vitest';
import { FrameStats } from './frame-stats.ts';

function feed(s: FrameStats, intervals: number[], t0 = 1000): number {
  let t = t0;
  s.push(t);
  for (const dt of intervals) {
    t += dt;
    s.push(t);
  }
  return t;
}

describe('frame stats', () => {
  it('reports 60 fps and no drops for a steady 60 Hz display', () => {
    const s = new FrameStats();
    feed(s, Array(300).fill(1000 / 60));
    s.refresh();
    expect(s.fps).toBeCloseTo(60, 1);
    expect(s.medianMs).toBeCloseTo(16.67, 1);
    expect(s.droppedInWindow).toBe(0);
  });

  it('counts frames longer than 1.5x the median as dropped, on any display rate', () => {
    for (const hz of [60, 144]) {
      const s = new FrameStats();
      const base = 1000 / hz;
      const seq = Array(200).fill(base);
      seq[50] = base * 2; // one missed vsync
      seq[120] = base * 3; // two missed
      seq[150] = base * 1.3; // jitter, not a drop
      feed(s, seq);
      s.refresh();
      expect(s.medianMs).toBeCloseTo(base, 3);
      expect(s.droppedInWindow).toBe(2);
    }
  });

  it('keeps only the last 5 seconds in the window and ignores pauses', () => {
    const s = new FrameStats(1000, 5000);
    const t = feed(s, [...Array(300).fill(50), ...Array(600).fill(1000 / 60)]);
    s.refresh();
    expect(s.medianMs).toBeCloseTo(16.67, 1);
    expect(s.droppedInWindow).toBe(0);
    s.push(t + 5000); // a hidden tab
    s.refresh();
    expect(s.droppedInWindow).toBe(0);
  });
});
