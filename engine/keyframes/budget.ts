/**
 * GPU memory budget of a keyframe set (pure). A set is one RGBA8 texture array without mipmaps:
 * N layers of W×H×4 bytes. Past the budget the set is loaded smaller (same aspect), and refused
 * only when even the smallest size does not fit.
 */
import { bytesForSet, formatBytes } from './manifest.ts';

/** Default GPU memory a loaded set may take: 8 keyframes at 2048², or 32 at 1024². */
export const DEFAULT_BUDGET_BYTES = 128 * 1024 * 1024;
/** Smallest layer edge a set is scaled down to before it is refused. */
export const MIN_LAYER_EDGE = 64;

export type LayerSizeChoice =
  | { readonly ok: true; readonly width: number; readonly height: number; readonly bytes: number; readonly scaled: boolean; readonly message: string }
  | { readonly ok: false; readonly message: string };

/**
 * The layer size to load `n` keyframes of `w`×`h` at within `budget` bytes (and within the GPU's
 * `maxEdge` texture size and `maxLayers`).
 */
export function chooseLayerSize(n: number, w: number, h: number, budget: number = DEFAULT_BUDGET_BYTES, maxEdge = 16384, maxLayers = 256): LayerSizeChoice {
  if (!(n >= 1 && Number.isFinite(n))) return { ok: false, message: 'the set has no keyframes' };
  if (!(w >= 1 && h >= 1 && Number.isFinite(w) && Number.isFinite(h))) return { ok: false, message: `the set's image size ${w}×${h} is not valid` };
  if (n > maxLayers) return { ok: false, message: `the set has ${n} keyframes; this GPU holds at most ${maxLayers} in one texture array` };
  const want = bytesForSet(n, w, h, false);
  let scale = 1;
  if (want > budget) scale = Math.sqrt(budget / want);
  const edge = Math.max(w, h);
  if (edge * scale > maxEdge) scale = maxEdge / edge;
  if (scale >= 1) return { ok: true, width: w, height: h, bytes: want, scaled: false, message: `${n} × ${w}×${h}: ${formatBytes(want)} of GPU memory` };
  // Scale down to multiples of 4 pixels, never below the smallest edge.
  let sw = Math.max(4, Math.floor((w * scale) / 4) * 4);
  let sh = Math.max(4, Math.floor((h * scale) / 4) * 4);
  if (Math.min(sw, sh) < MIN_LAYER_EDGE) {
    return {
      ok: false,
      message: `${n} keyframes at ${w}×${h} need ${formatBytes(want)}; even at ${MIN_LAYER_EDGE} px they would not fit the ${formatBytes(budget)} budget. Use fewer keyframes or raise the budget.`,
    };
  }
  let bytes = bytesForSet(n, sw, sh, false);
  while (bytes > budget && sw > 4 && sh > 4) {
    sw -= 4;
    sh = Math.max(4, Math.round((sw * h) / w / 4) * 4);
    bytes = bytesForSet(n, sw, sh, false);
  }
  return {
    ok: true,
    width: sw,
    height: sh,
    bytes,
    scaled: true,
    message: `${n} keyframes at ${w}×${h} would take ${formatBytes(want)}, over the ${formatBytes(budget)} budget: loading them at ${sw}×${sh} (${formatBytes(bytes)})`,
  };
}
