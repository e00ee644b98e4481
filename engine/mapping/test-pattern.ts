/**
 * Test patterns for lining up projectors: the exact colour of every pixel, as a pure function, so
 * the pattern shader and the tests agree on what a pixel should be (the shader ports
 * `testPatternColour` line by line; ids are `TEST_PATTERN_IDS` for an int uniform).
 *
 * (u, v) are normalised output coordinates (x right, y up), a pixel's centre being
 * ((i + ½)/outW, (j + ½)/outH). Sizes that must look the same on every output are in pixels.
 *
 * - `grid`: black, with white lines on square cells (GRID_CELLS_TALL per output height, lines
 *   through the output's centre); the two centre lines are red; a white border line. A line
 *   covers the pixels whose centre is closer to it than LINE_HALF_PX (so lines are 2 px wide).
 * - `bars`: eight vertical colour bars at full level, left to right white, yellow, cyan, green,
 *   magenta, red, blue, black.
 * - `edges`: black; a white band EDGE_BAND_PX wide along every border; a square marker in each
 *   corner (side = 1/8 of the shorter output side) in its own colour: bottom-left red,
 *   bottom-right green, top-right blue, top-left yellow (so a flipped or rotated output shows);
 *   a white centre cross.
 */

export const TEST_PATTERNS = ['grid', 'bars', 'edges'] as const;
export type TestPattern = (typeof TEST_PATTERNS)[number];
/** Numeric ids for a shader uniform. */
export const TEST_PATTERN_IDS: Readonly<Record<TestPattern, number>> = Object.freeze({ grid: 0, bars: 1, edges: 2 });

/** Grid cells per output height. */
export const GRID_CELLS_TALL = 8;
/** A line covers pixels whose centre is closer to it than this (pixels): lines are 2 px wide. */
export const LINE_HALF_PX = 1;
/** Width of the `edges` pattern's border band, pixels. */
export const EDGE_BAND_PX = 4;

/** Bar colours, left to right, r g b each. */
export const BAR_COLOURS: readonly (readonly [number, number, number])[] = Object.freeze([
  [1, 1, 1],
  [1, 1, 0],
  [0, 1, 1],
  [0, 1, 0],
  [1, 0, 1],
  [1, 0, 0],
  [0, 0, 1],
  [0, 0, 0],
]);

/** Corner marker colours: bottom-left, bottom-right, top-right, top-left. */
export const CORNER_COLOURS: readonly (readonly [number, number, number])[] = Object.freeze([
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
  [1, 1, 0],
]);

function set(out: Float32Array | Float64Array | number[], r: number, g: number, b: number): void {
  out[0] = r;
  out[1] = g;
  out[2] = b;
}

// Scratch: V8 boxes a double passed to a call it does not inline, so the public function hands
// its coordinates to the core through this array and stays small enough to be inlined.
const ARGS = new Float64Array(4);

/**
 * Colour (r, g, b, each 0..1) of `pattern` at output coordinate (u, v) on an output of outW × outH
 * pixels, into out[0..2]. Outside 0..1 (or NaN) is black. Allocates nothing.
 */
export function testPatternColour(u: number, v: number, pattern: TestPattern, outW: number, outH: number, out: Float32Array | Float64Array | number[]): void {
  ARGS[0] = u;
  ARGS[1] = v;
  ARGS[2] = outW;
  ARGS[3] = outH;
  patternCore(pattern, out);
}

function patternCore(pattern: TestPattern, out: Float32Array | Float64Array | number[]): void {
  const u = ARGS[0];
  const v = ARGS[1];
  const outW = ARGS[2];
  const outH = ARGS[3];
  if (!(u >= 0 && u <= 1 && v >= 0 && v <= 1 && outW > 0 && outH > 0)) {
    set(out, 0, 0, 0);
    return;
  }
  const x = u * outW;
  const y = v * outH;
  if (pattern === 'bars') {
    let k = Math.floor(u * 8);
    if (k > 7) k = 7;
    const c = BAR_COLOURS[k];
    set(out, c[0], c[1], c[2]);
    return;
  }
  const cx = outW * 0.5;
  const cy = outH * 0.5;
  if (pattern === 'edges') {
    const m = (outW < outH ? outW : outH) / 8;
    const left = x < m;
    const right = x > outW - m;
    const bottom = y < m;
    const top = y > outH - m;
    const corner = left && bottom ? 0 : right && bottom ? 1 : right && top ? 2 : left && top ? 3 : -1;
    if (corner >= 0) {
      const c = CORNER_COLOURS[corner];
      set(out, c[0], c[1], c[2]);
      return;
    }
    const band = x < EDGE_BAND_PX || x > outW - EDGE_BAND_PX || y < EDGE_BAND_PX || y > outH - EDGE_BAND_PX;
    const cross = Math.abs(x - cx) < LINE_HALF_PX || Math.abs(y - cy) < LINE_HALF_PX;
    const w = band || cross ? 1 : 0;
    set(out, w, w, w);
    return;
  }
  // grid
  if (Math.abs(x - cx) < LINE_HALF_PX || Math.abs(y - cy) < LINE_HALF_PX) {
    set(out, 1, 0, 0);
    return;
  }
  const cell = outH / GRID_CELLS_TALL;
  // Distance to the nearest grid line through the centre, along each axis (pixels).
  const dx = x - cx;
  const dy = y - cy;
  const lx = Math.abs(dx - Math.round(dx / cell) * cell);
  const ly = Math.abs(dy - Math.round(dy / cell) * cell);
  const border = x < LINE_HALF_PX || x > outW - LINE_HALF_PX || y < LINE_HALF_PX || y > outH - LINE_HALF_PX;
  const w = border || lx < LINE_HALF_PX || ly < LINE_HALF_PX ? 1 : 0;
  set(out, w, w, w);
}
