/**
 * Soft-edge blending: where two projectors overlap, each fades its picture out across the overlap
 * so the overlap is not twice as bright.
 *
 * An edge has a width (share of the output, 0..0.5), a curve exponent p and a gamma γ. Across the
 * blend zone the position x runs from 0 at the output's border to 1 at the zone's inner end. The
 * LIGHT a projector should give there (linear, 0..1) is
 *
 *   L(x) = ½·(2x)^p              for x < ½
 *   L(x) = 1 − ½·(2(1 − x))^p     for x ≥ ½
 *
 * which rises monotonically from 0 to 1 and satisfies L(x) + L(1 − x) = 1 for every p: the
 * neighbouring projector's zone runs the other way over the same pixels of the screen, so the two
 * lights sum to exactly 1 (p = 1 is a linear ramp, larger p flattens both ends). A projector turns
 * its signal s into light s^γ, so the signal (the value the shader multiplies the picture by) is
 * S(x) = L(x)^(1/γ).
 *
 * Edges combine by multiplying: a pixel inside two zones (a corner of a 2×2 array) gets the
 * product, and the four projectors' lights in a corner still sum to 1. The multiplication is done
 * per edge on signals, Π L_e^(1/γ_e), which is the exact (Π L_e)^(1/γ) when the edges share a
 * gamma, as they should (γ belongs to the projector); per-edge gammas are there to trim a visible
 * mismatch by eye.
 *
 * Coordinates are normalised output coordinates (x right, y up). Everything allocates nothing.
 */

/** Widest blend zone, as a share of the output. */
export const SOFT_EDGE_MAX_WIDTH = 0.5;
/** Curve exponent range. */
export const SOFT_EDGE_CURVE_RANGE: readonly [number, number] = [0.5, 8];
/** Gamma range. */
export const SOFT_EDGE_GAMMA_RANGE: readonly [number, number] = [0.5, 4];
/** Entries of a lookup table for a shader. */
export const SOFT_EDGE_LUT_SIZE = 256;

/** One edge's blend. */
export interface SoftEdge {
  /** Blend zone width, share of the output 0..0.5 (0 = no blend on this edge). */
  width: number;
  /** Curve exponent p (1 = linear light ramp; 2 is a usual start). */
  curve: number;
  /** The projector's gamma (signal to light), usually 1.8..2.6. */
  gamma: number;
}

/** The four edges of an output. */
export interface SoftEdges {
  left: SoftEdge;
  right: SoftEdge;
  bottom: SoftEdge;
  top: SoftEdge;
}

export const SOFT_EDGE_DEFAULT: Readonly<SoftEdge> = Object.freeze({ width: 0, curve: 2, gamma: 2.2 });

/** Four edges with no blend. */
export function defaultSoftEdges(): SoftEdges {
  return { left: { ...SOFT_EDGE_DEFAULT }, right: { ...SOFT_EDGE_DEFAULT }, bottom: { ...SOFT_EDGE_DEFAULT }, top: { ...SOFT_EDGE_DEFAULT } };
}

/**
 * Linear light L(x) of the blend ramp at zone position x (0 at the output border, 1 at the zone's
 * inner end; clamped, NaN counts as 0) for curve exponent p (used clamped to its range).
 */
export function blendLight(x: number, p: number): number {
  const t = x > 0 ? (x < 1 ? x : 1) : 0;
  const e = p > SOFT_EDGE_CURVE_RANGE[0] ? (p < SOFT_EDGE_CURVE_RANGE[1] ? p : SOFT_EDGE_CURVE_RANGE[1]) : SOFT_EDGE_CURVE_RANGE[0];
  return t < 0.5 ? 0.5 * Math.pow(2 * t, e) : 1 - 0.5 * Math.pow(2 * (1 - t), e);
}

/** Signal S(x) = L(x)^(1/γ) of the blend ramp (gamma used clamped to its range). */
export function blendSignal(x: number, p: number, gamma: number): number {
  const g = gamma > SOFT_EDGE_GAMMA_RANGE[0] ? (gamma < SOFT_EDGE_GAMMA_RANGE[1] ? gamma : SOFT_EDGE_GAMMA_RANGE[1]) : SOFT_EDGE_GAMMA_RANGE[0];
  const l = blendLight(x, p);
  return l > 0 ? Math.pow(l, 1 / g) : 0;
}

// Scratch: V8 boxes a double passed to, or returned from, a call it does not inline, so the
// per-pixel path moves its doubles through this array ([0] x, [1] y, [2] result, [3] distance to
// the edge, [4] the edge's factor) and the public `softEdgeValue` stays small enough to inline.
const S = new Float64Array(5);

/** One edge's signal factor at distance S[3] (share of the output) from its border, into S[4]. */
function edgeCore(e: SoftEdge): void {
  const d = S[3];
  const w0 = e.width;
  if (!(w0 > 0) || d >= w0) {
    S[4] = 1;
    return;
  }
  const w = w0 < SOFT_EDGE_MAX_WIDTH ? w0 : SOFT_EDGE_MAX_WIDTH;
  const x = d / w;
  const t = x > 0 ? (x < 1 ? x : 1) : 0;
  const p = e.curve;
  const ex = p > SOFT_EDGE_CURVE_RANGE[0] ? (p < SOFT_EDGE_CURVE_RANGE[1] ? p : SOFT_EDGE_CURVE_RANGE[1]) : SOFT_EDGE_CURVE_RANGE[0];
  const l = t < 0.5 ? 0.5 * Math.pow(2 * t, ex) : 1 - 0.5 * Math.pow(2 * (1 - t), ex);
  const g0 = e.gamma;
  const g = g0 > SOFT_EDGE_GAMMA_RANGE[0] ? (g0 < SOFT_EDGE_GAMMA_RANGE[1] ? g0 : SOFT_EDGE_GAMMA_RANGE[1]) : SOFT_EDGE_GAMMA_RANGE[0];
  S[4] = l > 0 ? Math.pow(l, 1 / g) : 0;
}

/** softEdgeValue at (S[0], S[1]) into S[2] (same formulas as blendSignal). */
function softEdgeCore(edges: SoftEdges): void {
  const x = S[0];
  const y = S[1];
  if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) {
    S[2] = 0;
    return;
  }
  S[3] = x;
  edgeCore(edges.left);
  let v = S[4];
  S[3] = 1 - x;
  edgeCore(edges.right);
  v *= S[4];
  S[3] = y;
  edgeCore(edges.bottom);
  v *= S[4];
  S[3] = 1 - y;
  edgeCore(edges.top);
  S[2] = v * S[4];
}

/**
 * The signal multiplier (0..1) at output coordinate (x, y): the product of the four edges' ramps;
 * 1 outside every blend zone. A coordinate outside the output (or NaN) gives 0. Allocates nothing.
 */
export function softEdgeValue(edges: SoftEdges, x: number, y: number): number {
  S[0] = x;
  S[1] = y;
  softEdgeCore(edges);
  return S[2];
}

/**
 * Fills `out` with one edge's signal ramp S(i/(n−1)) for i = 0..n−1 (zone position 0 at the
 * border to 1 at the inner end), for a shader to look up (n ≥ 2; SOFT_EDGE_LUT_SIZE is plenty).
 * Returns `out`.
 */
export function fillSoftEdgeLut(edge: SoftEdge, out: Float32Array): Float32Array {
  const n = out.length;
  if (n === 1) out[0] = 1;
  for (let i = 0; i < n && n > 1; i++) out[i] = blendSignal(i / (n - 1), edge.curve, edge.gamma);
  return out;
}
