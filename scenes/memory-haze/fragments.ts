/**
 * Memory fragments: the half-formed shapes of the memory haze (a window, a figure, a lamp, a
 * horizon, a doorway), placed by a seeded generator so a replay shows the same picture.
 */
import { rng } from '../glass-forest/grow.ts';

/** Kinds of fragment, as the shader numbers them. */
export const FRAGMENT_KINDS = ['window', 'figure', 'lamp', 'horizon', 'doorway'] as const;

/** Floats per fragment: x, y, size, kind, then phase, speed, aspect, tone. */
export const FRAGMENT_STRIDE = 8;

/** Half the picture's height is 0.5; fragments sit within this half-width (16:9 and a margin). */
export const FRAME_HALF_WIDTH = 0.85;
export const FRAME_HALF_HEIGHT = 0.45;

/**
 * Lay out `count` fragments from `seed` into a Float32Array of count × FRAGMENT_STRIDE. Kinds
 * cycle through every kind before repeating (so a small count still holds a window and a figure),
 * and each fragment keeps its distance from the ones placed before where the frame allows.
 */
export function layoutFragments(seed: number, count: number): Float32Array {
  const n = Math.max(0, Math.floor(count));
  const out = new Float32Array(n * FRAGMENT_STRIDE);
  const rand = rng(seed ^ 0x5bd1e995);
  const kindOrder = [0, 1, 2, 3, 4];
  for (let i = 0; i < n; i++) {
    if (i % kindOrder.length === 0) {
      // A fresh shuffle per round of kinds keeps the mix varied but complete.
      for (let k = kindOrder.length - 1; k > 0; k--) {
        const j = Math.floor(rand() * (k + 1));
        const t = kindOrder[k];
        kindOrder[k] = kindOrder[j];
        kindOrder[j] = t;
      }
    }
    const kind = kindOrder[i % kindOrder.length];
    let bestX = 0;
    let bestY = 0;
    let bestGap = -1;
    // Best of a few candidates: the one farthest from the fragments already placed.
    for (let c = 0; c < 8; c++) {
      const x = (rand() * 2 - 1) * FRAME_HALF_WIDTH * 0.8;
      const y = (rand() * 2 - 1) * FRAME_HALF_HEIGHT * 0.75;
      let gap = Infinity;
      for (let j = 0; j < i; j++) gap = Math.min(gap, Math.hypot(out[j * FRAGMENT_STRIDE] - x, out[j * FRAGMENT_STRIDE + 1] - y));
      if (gap > bestGap) {
        bestGap = gap;
        bestX = x;
        bestY = y;
      }
    }
    const o = i * FRAGMENT_STRIDE;
    out[o] = bestX;
    out[o + 1] = kind === 3 ? bestY * 0.5 - 0.05 : bestY;
    out[o + 2] = 0.09 + rand() * 0.14;
    out[o + 3] = kind;
    out[o + 4] = rand();
    out[o + 5] = 0.6 + rand() * 0.8;
    out[o + 6] = 0.7 + rand() * 0.6;
    out[o + 7] = rand();
  }
  return out;
}
