import { describe, expect, it } from 'vitest';
import { RecentValues } from './recent-values.ts';

describe('RecentValues', () => {
  it('gives quantiles of the newest values only, after the window wraps', () => {
    const w = new RecentValues(5);
    expect(w.quantile(0.5)).toBe(0);
    for (const v of [100, 100, 100, 3, 1, 2, 5, 4]) w.push(v);
    // The three 100s fell out of the window: 3 1 2 5 4 remain.
    expect(w.count).toBe(5);
    expect(w.quantile(0)).toBe(1);
    expect(w.quantile(0.5)).toBe(3);
    expect(w.quantile(1)).toBe(5);
    w.clear();
    expect(w.count).toBe(0);
    expect(w.quantile(0.99)).toBe(0);
  });
});
