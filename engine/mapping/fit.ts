/**
 * How an output whose aspect ratio differs from the engine's picture shows it.
 *
 * The engine renders one picture (at the largest open output's resolution); each output samples
 * it at content coordinates (u, v) in 0..1 over the output (before the mapping moves them). The
 * fit mode turns those into the picture's texture coordinates, s = u·scale + offset:
 *
 * - `cover`: the picture fills the output, its centre kept, the overhanging sides cropped.
 * - `contain`: the whole picture, centred, with black bars where the output is wider or taller.
 * - `stretch`: the picture is squeezed to the output (the aspect ratio is not kept).
 *
 * With k = (source aspect) / (output aspect), cover scales u by min(1, 1/k) and v by min(1, k);
 * contain by max(1, 1/k) and max(1, k); both keep the centre (offset = (1 − scale) / 2). A texture
 * coordinate outside 0..1 (only with contain) is a bar: black. Allocates nothing.
 */

export const FIT_MODES = ['cover', 'contain', 'stretch'] as const;
export type FitMode = (typeof FIT_MODES)[number];
/** For settings saved before outputs had a fit mode. */
export const DEFAULT_FIT: FitMode = 'cover';

/**
 * Writes [scaleU, scaleV, offsetU, offsetV] of fit mode `mode` for a srcW×srcH picture on an
 * outW×outH output into `out` and returns it. Identity for stretch, equal aspects or a size that
 * is not positive.
 */
export function fitTransform(mode: FitMode, srcW: number, srcH: number, outW: number, outH: number, out: Float32Array | Float64Array | number[]): typeof out {
  let su = 1;
  let sv = 1;
  if (mode !== 'stretch' && srcW > 0 && srcH > 0 && outW > 0 && outH > 0) {
    // Source aspect over output aspect, as one ratio of products (exact for equal aspects).
    const k = (srcW * outH) / (srcH * outW);
    if (mode === 'cover') {
      if (k > 1) su = 1 / k;
      else sv = k;
    } else {
      if (k > 1) sv = k;
      else su = 1 / k;
    }
  }
  out[0] = su;
  out[1] = sv;
  out[2] = (1 - su) / 2;
  out[3] = (1 - sv) / 2;
  return out;
}

/** The next fit mode (for a key that steps through them). */
export function nextFitMode(mode: FitMode): FitMode {
  return FIT_MODES[(FIT_MODES.indexOf(mode) + 1) % FIT_MODES.length];
}
