import { describe, expect, it } from 'vitest';
import { BundleScheduler } from './schedule.ts';

describe('bundle time tags', () => {
  it('runs past and "immediately" bundles now, holds future ones until their time, in time order', () => {
    const s = new BundleScheduler<string>();
    expect(s.schedule(900, 1000, 'late')).toBe('now');
    expect(s.schedule(1000, 1000, 'exactly now')).toBe('now');
    expect(s.schedule(1300, 1000, 'c')).toBe('later');
    expect(s.schedule(1100, 1000, 'a')).toBe('later');
    expect(s.schedule(1200, 1000, 'b')).toBe('later');
    expect(s.nextDue()).toBe(1100);
    expect(s.takeDue(1050)).toEqual([]);
    expect(s.takeDue(1200)).toEqual(['a', 'b']);
    expect(s.takeDue(5000)).toEqual(['c']);
    expect(s.size).toBe(0);
  });

  it('refuses bundles absurdly far ahead or beyond capacity (counted)', () => {
    const s = new BundleScheduler<number>(2, 10_000);
    expect(s.schedule(1_000_000, 0, 1)).toBe('refused');
    expect(s.schedule(10, 0, 2)).toBe('later');
    expect(s.schedule(20, 0, 3)).toBe('later');
    expect(s.schedule(30, 0, 4)).toBe('refused');
    expect(s.refused).toBe(2);
  });
});
