import { describe, expect, it } from 'vitest';
import { BAR_COLOURS, CORNER_COLOURS, TEST_PATTERN_IDS, TEST_PATTERNS, testPatternColour, type TestPattern } from './index.ts';

const W = 1920;
const H = 1080;
const rgb = new Float64Array(3);

/** Colour of pixel (i, j) (its centre), j counted from the bottom. */
function px(pattern: TestPattern, i: number, j: number, w = W, h = H): number[] {
  testPatternColour((i + 0.5) / w, (j + 0.5) / h, pattern, w, h, rgb);
  return Array.from(rgb);
}

describe('test patterns', () => {
  it('ids are distinct, one per pattern', () => {
    expect(new Set(TEST_PATTERNS.map((p) => TEST_PATTERN_IDS[p])).size).toBe(TEST_PATTERNS.length);
  });

  it('bars: eight equal vertical bars in order, the same at every height', () => {
    for (let k = 0; k < 8; k++) {
      const mid = Math.floor(((k + 0.5) * W) / 8);
      expect(px('bars', mid, 10)).toEqual([...BAR_COLOURS[k]]);
      expect(px('bars', mid, H - 3)).toEqual([...BAR_COLOURS[k]]);
    }
    // Bar borders fall on pixel 240, 480, ...
    expect(px('bars', 239, 500)).toEqual([1, 1, 1]);
    expect(px('bars', 240, 500)).toEqual([1, 1, 0]);
    expect(px('bars', W - 1, 0)).toEqual([0, 0, 0]);
  });

  it('grid: red centre cross, white lines every 1/8 of the height, black cells', () => {
    // Centre lines at x = 960, y = 540: pixels 959 and 960 (centres within 1 px).
    expect(px('grid', 959, 100)).toEqual([1, 0, 0]);
    expect(px('grid', 960, 100)).toEqual([1, 0, 0]);
    expect(px('grid', 958, 100)).toEqual([0, 0, 0]);
    expect(px('grid', 300, 540)).toEqual([1, 0, 0]);
    // Cell size 135 px: vertical lines at 960 ± 135k, horizontal at 540 ± 135k.
    expect(px('grid', 960 + 135, 100)).toEqual([1, 1, 1]);
    expect(px('grid', 960 - 270 - 1, 100)).toEqual([1, 1, 1]);
    expect(px('grid', 700, 540 + 135)).toEqual([1, 1, 1]);
    expect(px('grid', 960 + 60, 540 + 60)).toEqual([0, 0, 0]);
    // Border.
    expect(px('grid', 0, 333)).toEqual([1, 1, 1]);
    expect(px('grid', 333, H - 1)).toEqual([1, 1, 1]);
    // Every line pixel count on a row between lines: the vertical lines alone.
    let white = 0;
    for (let i = 0; i < W; i++) if (px('grid', i, 600)[1] === 1 && px('grid', i, 600)[0] === 1) white++;
    // Lines at 960 ± 135k inside the output: k = -7..7 except the red centre (14 lines × 2 px) + 2 border px.
    expect(white).toBe(14 * 2 + 2);
  });

  it('edges: coloured corner markers show the orientation, white border band and centre cross', () => {
    const m = H / 8; // 135 px
    expect(px('edges', 5, 5)).toEqual([...CORNER_COLOURS[0]]); // bottom-left
    expect(px('edges', W - 6, 5)).toEqual([...CORNER_COLOURS[1]]); // bottom-right
    expect(px('edges', W - 6, H - 6)).toEqual([...CORNER_COLOURS[2]]); // top-right
    expect(px('edges', 5, H - 6)).toEqual([...CORNER_COLOURS[3]]); // top-left
    expect(px('edges', m - 1, m - 1)).toEqual([...CORNER_COLOURS[0]]);
    expect(px('edges', m + 1, 2)).toEqual([1, 1, 1]); // border band beside the marker
    expect(px('edges', m + 1, 5)).toEqual([0, 0, 0]); // just inside the 4-px band
    expect(px('edges', 500, 3)).toEqual([1, 1, 1]);
    expect(px('edges', 960, 300)).toEqual([1, 1, 1]); // centre cross
    expect(px('edges', 700, 300)).toEqual([0, 0, 0]);
    // Flipping the output vertically would put red at the top: the markers tell.
    expect(px('edges', 5, H - 6)).not.toEqual(px('edges', 5, 5));
  });

  it('outside the output or with a bad size: black', () => {
    testPatternColour(-0.1, 0.5, 'bars', W, H, rgb);
    expect(Array.from(rgb)).toEqual([0, 0, 0]);
    testPatternColour(0.5, Number.NaN, 'grid', W, H, rgb);
    expect(Array.from(rgb)).toEqual([0, 0, 0]);
    testPatternColour(0.1, 0.5, 'bars', 0, H, rgb);
    expect(Array.from(rgb)).toEqual([0, 0, 0]);
  });
});
