import { describe, expect, it } from 'vitest';
import { bytesPerCall } from '../params/test-alloc.ts';
import { fitTransform, nextFitMode, validateMappingSettings } from './index.ts';

/** Where content coordinate (u, v) of the output samples the picture. */
function at(k: ArrayLike<number>, u: number, v: number): [number, number] {
  return [u * k[0] + k[2], v * k[1] + k[3]];
}

describe('fit modes (content coordinate to picture coordinate)', () => {
  it('equal aspect ratios and stretch are the identity', () => {
    expect(fitTransform('cover', 1920, 1080, 1280, 720, [0, 0, 0, 0])).toEqual([1, 1, 0, 0]);
    expect(fitTransform('contain', 1920, 1080, 320, 180, [0, 0, 0, 0])).toEqual([1, 1, 0, 0]);
    expect(fitTransform('stretch', 1920, 1080, 1024, 768, [0, 0, 0, 0])).toEqual([1, 1, 0, 0]);
  });

  it('cover: a 16:9 picture on a 4:3 output keeps its height and crops the sides equally', () => {
    const k = fitTransform('cover', 1920, 1080, 1440, 1080, new Float64Array(4));
    expect(Array.from(k)).toEqual([0.75, 1, 0.125, 0]);
    // The output's left and right edges sample 1/8 in from the picture's; its centre the picture's centre.
    expect(at(k, 0, 0)).toEqual([0.125, 0]);
    expect(at(k, 1, 1)).toEqual([0.875, 1]);
    expect(at(k, 0.5, 0.5)).toEqual([0.5, 0.5]);
    // One output pixel is one picture pixel (1440 of the picture's 1920 columns are shown).
    expect((k[0] * 1920) / 1440).toBeCloseTo(1, 12);
  });

  it('cover: a 4:3 picture on a 16:9 output keeps its width and crops top and bottom', () => {
    const k = fitTransform('cover', 1024, 768, 1920, 1080, [0, 0, 0, 0]);
    expect(k[0]).toBe(1);
    expect(k[1]).toBeCloseTo(0.75, 12);
    expect(k[3]).toBeCloseTo(0.125, 12);
    const [, top] = at(k, 0.5, 1);
    expect(top).toBeCloseTo(0.875, 12);
  });

  it('contain: a 16:9 picture on a 4:3 output is letterboxed (bars above and below)', () => {
    const k = fitTransform('contain', 1920, 1080, 1440, 1080, [0, 0, 0, 0]);
    expect(k[0]).toBe(1);
    expect(k[1]).toBeCloseTo(4 / 3, 12);
    expect(k[3]).toBeCloseTo(-1 / 6, 12);
    // The picture spans output rows 1/8 .. 7/8 (810 of 1080 rows: 1440 × 9/16): outside is a bar.
    expect(at(k, 0.5, 0.125)[1]).toBeCloseTo(0, 12);
    expect(at(k, 0.5, 0.875)[1]).toBeCloseTo(1, 12);
    expect(at(k, 0.5, 0.05)[1]).toBeLessThan(0);
    expect(at(k, 0.5, 0.95)[1]).toBeGreaterThan(1);
    expect(at(k, 0, 0.5)).toEqual([0, 0.5]);
  });

  it('contain: a 4:3 picture on a 16:9 output is pillarboxed (bars left and right)', () => {
    const k = fitTransform('contain', 1024, 768, 1920, 1080, [0, 0, 0, 0]);
    expect(k[1]).toBe(1);
    expect(k[0]).toBeCloseTo(4 / 3, 12);
    // 1440 of 1920 columns: the picture's left edge is at output column 240.
    expect(at(k, 240 / 1920, 0.5)[0]).toBeCloseTo(0, 12);
    expect(at(k, 1680 / 1920, 0.5)[0]).toBeCloseTo(1, 12);
  });

  it('a size that is not positive gives the identity, never NaN', () => {
    expect(fitTransform('cover', 0, 0, 1920, 1080, [9, 9, 9, 9])).toEqual([1, 1, 0, 0]);
    expect(fitTransform('contain', 1920, 1080, 0, 1080, [9, 9, 9, 9])).toEqual([1, 1, 0, 0]);
  });

  it('allocates nothing (it runs when the picture size changes, inside the draw)', () => {
    const out = new Float32Array(4);
    const sizes = new Int32Array([1920, 1080, 1440, 1080, 1024, 768, 320, 180]);
    expect(bytesPerCall((i) => void fitTransform(i & 1 ? 'cover' : 'contain', sizes[i & 7], sizes[(i + 1) & 7], sizes[(i + 2) & 7], sizes[(i + 3) & 7], out))).toBeLessThan(1);
  });

  it('the editor steps through the modes in order', () => {
    expect(nextFitMode('cover')).toBe('contain');
    expect(nextFitMode('contain')).toBe('stretch');
    expect(nextFitMode('stretch')).toBe('cover');
  });
});

describe('fit in the settings', () => {
  it('defaults to cover, also (silently) for version 1 settings saved without it', () => {
    const r = validateMappingSettings({ version: 1, output: { width: 1024, height: 768 } });
    expect(r.problems).toEqual([]);
    expect(r.settings.fit).toBe('cover');
  });
  it('keeps a known mode and reports an unknown one by field', () => {
    expect(validateMappingSettings({ fit: 'contain' }).settings.fit).toBe('contain');
    expect(validateMappingSettings({ fit: 'stretch' }).settings.fit).toBe('stretch');
    const bad = validateMappingSettings({ fit: 'zoom' });
    expect(bad.settings.fit).toBe('cover');
    expect(bad.problems).toEqual(['fit: "zoom" is not one of cover, contain, stretch; using "cover"']);
    expect(validateMappingSettings({ fit: 3 }).problems).toEqual(['fit: 3 is not one of cover, contain, stretch; using "cover"']);
  });
});
