import { describe, expect, it } from 'vitest';
import { chooseLayerSize, MIN_LAYER_EDGE } from './budget.ts';

describe('keyframe set GPU budget', () => {
  it('loads a set that fits at its own size and says what it costs', () => {
    const c = chooseLayerSize(8, 512, 512, 64 * 1024 * 1024);
    expect(c).toMatchObject({ ok: true, width: 512, height: 512, bytes: 8 * 512 * 512 * 4, scaled: false });
    if (c.ok) expect(c.message).toMatch(/8\.0 MiB/);
  });

  it('scales a set over the budget down, keeping the aspect, to within the budget', () => {
    const budget = 16 * 1024 * 1024;
    const c = chooseLayerSize(16, 2048, 1024, budget);
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.scaled).toBe(true);
    expect(c.bytes).toBeLessThanOrEqual(budget);
    expect(c.width % 4).toBe(0);
    expect(c.height % 4).toBe(0);
    expect(c.width / c.height).toBeCloseTo(2, 1);
    // not needlessly small: at least 80% of the budget is used
    expect(c.bytes).toBeGreaterThan(0.8 * budget);
    expect(c.message).toMatch(/over the 16\.0 MiB budget: loading them at \d+×\d+/);
  });

  it('refuses with a clear message when even the smallest size does not fit', () => {
    const c = chooseLayerSize(64, 1024, 1024, 64 * MIN_LAYER_EDGE * MIN_LAYER_EDGE);
    expect(c.ok).toBe(false);
    expect(c.message).toMatch(/would not fit/);
  });

  it('rejects empty sets, bad sizes and more layers than the GPU holds', () => {
    expect(chooseLayerSize(0, 512, 512).ok).toBe(false);
    expect(chooseLayerSize(4, Number.NaN, 512).ok).toBe(false);
    expect(chooseLayerSize(4, 0, 512).ok).toBe(false);
    const many = chooseLayerSize(300, 64, 64, 1e12, 16384, 256);
    expect(many.ok).toBe(false);
    expect(many.message).toMatch(/at most 256/);
  });

  it('keeps within the GPU texture size', () => {
    const c = chooseLayerSize(1, 8192, 4096, 1e12, 4096);
    expect(c).toMatchObject({ ok: true, width: 4096, height: 2048 });
  });
});
