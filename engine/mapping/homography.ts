/**
 * Corner pin: the projective map (homography) that takes the unit square, or any convex quad, onto
 * another convex quad.
 *
 * Coordinates are normalised output coordinates: (0,0) and (1,1) are opposite corners of the
 * output, x to the right and y up (as GL texture coordinates). A quad is 8 numbers,
 * `x0,y0, x1,y1, x2,y2, x3,y3`: the images of the unit square's corners (0,0), (1,0), (1,1) and
 * (0,1), i.e. bottom-left, bottom-right, top-right, top-left. Either winding is accepted (a
 * mirrored quad is a mirrored projector), but the quad must be convex and not degenerate.
 *
 * A homography is a `Float64Array(9)` in row-major order `h0..h8`:
 *   x' = (h0·x + h1·y + h2) / w,  y' = (h3·x + h4·y + h5) / w,  w = h6·x + h7·y + h8,
 * scaled so that h8 = 1 (every homography built here from a valid quad has h8 ≠ 0).
 * `toMat3` gives the column-major Float32Array(9) a GLSL `mat3` uniform expects, so that
 * `vec3 p = H * vec3(x, y, 1.0); p.xy / p.z` in the shader equals `applyHomography` here.
 *
 * Setting up (building, inverting) throws a `MappingError` on degenerate input; applying never
 * throws and allocates nothing.
 */

/** Error thrown by the mapping module's set-up functions on input it cannot use. */
export class MappingError extends Error {
  /** Machine-readable reason, e.g. 'self-intersecting'. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'MappingError';
    this.code = code;
  }
}

/** Why a quad cannot be corner-pinned (null from `quadProblem` when it can). */
export type QuadProblem = 'not-finite' | 'zero-area' | 'collinear' | 'self-intersecting' | 'non-convex';

const QUAD_MESSAGES: Record<QuadProblem, string> = {
  'not-finite': 'a corner is not a finite number',
  'zero-area': 'the quad has (almost) no area',
  collinear: 'three corners lie on one line',
  'self-intersecting': 'the quad crosses itself (a bow-tie: two corners are swapped)',
  'non-convex': 'the quad is not convex (one corner points inwards)',
};

/** Human-readable sentence for a quad problem. */
export function quadProblemMessage(p: QuadProblem): string {
  return QUAD_MESSAGES[p];
}

/**
 * Corner turns (cross products) smaller than this share of the quad's squared size count as
 * straight: such a quad's homography would be so ill-conditioned that it is useless.
 */
export const QUAD_EPSILON = 1e-9;

/** The full output, corners in quad order. */
export const UNIT_QUAD: readonly number[] = Object.freeze([0, 0, 1, 0, 1, 1, 0, 1]);

/**
 * What is wrong with a quad (8 numbers, see the module comment), or null when it is convex and
 * usable. Allocates nothing.
 */
export function quadProblem(q: ArrayLike<number>): QuadProblem | null {
  if (q.length < 8) return 'not-finite';
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < 8; i += 2) {
    const x = q[i];
    const y = q[i + 1];
    if (!(x - x === 0) || !(y - y === 0)) return 'not-finite';
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const size2 = (maxX - minX) * (maxX - minX) + (maxY - minY) * (maxY - minY);
  if (!(size2 > 0)) return 'zero-area';
  const eps = QUAD_EPSILON * size2;
  // Turn at each corner: cross product of the incoming and outgoing edges.
  let pos = 0;
  let neg = 0;
  let straight = 0;
  for (let i = 0; i < 4; i++) {
    const a = (i + 3) & 3;
    const c = (i + 1) & 3;
    const ex = q[2 * i] - q[2 * a];
    const ey = q[2 * i + 1] - q[2 * a + 1];
    const fx = q[2 * c] - q[2 * i];
    const fy = q[2 * c + 1] - q[2 * i + 1];
    const z = ex * fy - ey * fx;
    if (!(Math.abs(z) > eps)) straight++;
    else if (z > 0) pos++;
    else neg++;
  }
  if (straight === 4) return 'zero-area';
  if (straight > 0) return 'collinear';
  if (pos === 4 || neg === 4) {
    // Shoelace area (twice the signed area); convex with real turns implies area, but be sure.
    let area2 = 0;
    for (let i = 0; i < 4; i++) {
      const j = (i + 1) & 3;
      area2 += q[2 * i] * q[2 * j + 1] - q[2 * j] * q[2 * i + 1];
    }
    return Math.abs(area2) > eps ? null : 'zero-area';
  }
  // A simple quad with one reflex corner turns 3:1; a bow-tie turns 2:2.
  return pos === 2 ? 'self-intersecting' : 'non-convex';
}

function requireQuad(q: ArrayLike<number>, what: string): void {
  const p = quadProblem(q);
  if (p !== null) throw new MappingError(p, `${what}: ${QUAD_MESSAGES[p]}`);
}

/** Writes the homography taking the unit square onto a valid quad (closed form; q checked by the caller). */
function squareToQuad(q: ArrayLike<number>, out: Float64Array): void {
  const x0 = q[0];
  const y0 = q[1];
  const x1 = q[2];
  const y1 = q[3];
  const x2 = q[4];
  const y2 = q[5];
  const x3 = q[6];
  const y3 = q[7];
  // Sums of opposite corners differ exactly when the quad is not a parallelogram (projective part).
  const sx = x0 - x1 + x2 - x3;
  const sy = y0 - y1 + y2 - y3;
  const ax = x1 - x2;
  const ay = y1 - y2;
  const bx = x3 - x2;
  const by = y3 - y2;
  const den = ax * by - bx * ay; // turn at corner 2: non-zero for a valid quad
  const g = (sx * by - bx * sy) / den;
  const h = (ax * sy - sx * ay) / den;
  out[0] = x1 - x0 + g * x1;
  out[1] = x3 - x0 + h * x3;
  out[2] = x0;
  out[3] = y1 - y0 + g * y1;
  out[4] = y3 - y0 + h * y3;
  out[5] = y0;
  out[6] = g;
  out[7] = h;
  out[8] = 1;
}

/**
 * The homography taking the unit square onto `quad` (the corner pin of a whole output: content
 * coordinate (u,v) lands at output position H(u,v)). Throws a `MappingError` for a degenerate quad.
 */
export function squareToQuadHomography(quad: ArrayLike<number>, out: Float64Array = new Float64Array(9)): Float64Array {
  requireQuad(quad, 'corner pin');
  squareToQuad(quad, out);
  return out;
}

const TMP_A = new Float64Array(9);
const TMP_B = new Float64Array(9);

/**
 * The homography taking quad `src` onto quad `dst` (corner i onto corner i). Throws a
 * `MappingError` when either quad is degenerate.
 */
export function quadToQuadHomography(src: ArrayLike<number>, dst: ArrayLike<number>, out: Float64Array = new Float64Array(9)): Float64Array {
  requireQuad(src, 'source quad');
  requireQuad(dst, 'destination quad');
  squareToQuad(src, TMP_A);
  squareToQuad(dst, TMP_B);
  // dst∘src⁻¹; the adjugate serves as the inverse (scale does not matter for a homography).
  adjugate(TMP_A, TMP_A);
  multiply(TMP_B, TMP_A, out);
  normalise(out);
  return out;
}

/** out = a·b (row-major 3x3). `out` may not alias `a` or `b`. */
export function multiplyHomography(a: ArrayLike<number>, b: ArrayLike<number>, out: Float64Array): Float64Array {
  multiply(a, b, out);
  normalise(out);
  return out;
}

function multiply(a: ArrayLike<number>, b: ArrayLike<number>, out: Float64Array): void {
  for (let r = 0; r < 3; r++) {
    const a0 = a[3 * r];
    const a1 = a[3 * r + 1];
    const a2 = a[3 * r + 2];
    out[3 * r] = a0 * b[0] + a1 * b[3] + a2 * b[6];
    out[3 * r + 1] = a0 * b[1] + a1 * b[4] + a2 * b[7];
    out[3 * r + 2] = a0 * b[2] + a1 * b[5] + a2 * b[8];
  }
}

/** Adjugate of m into out (may alias); returns the determinant of m. */
function adjugate(m: ArrayLike<number>, out: Float64Array): number {
  const a = m[0];
  const b = m[1];
  const c = m[2];
  const d = m[3];
  const e = m[4];
  const f = m[5];
  const g = m[6];
  const h = m[7];
  const i = m[8];
  const A = e * i - f * h;
  const B = f * g - d * i;
  const C = d * h - e * g;
  out[0] = A;
  out[1] = c * h - b * i;
  out[2] = b * f - c * e;
  out[3] = B;
  out[4] = a * i - c * g;
  out[5] = c * d - a * f;
  out[6] = C;
  out[7] = b * g - a * h;
  out[8] = a * e - b * d;
  return a * A + b * B + c * C;
}

/** Scale so h8 = 1 (or, if h8 is ~0, so the largest entry has magnitude 1). */
function normalise(h: Float64Array): void {
  let max = 0;
  for (let k = 0; k < 9; k++) {
    const v = Math.abs(h[k]);
    if (v > max) max = v;
  }
  const s = Math.abs(h[8]) > 1e-12 * max ? 1 / h[8] : max > 0 ? 1 / max : 1;
  for (let k = 0; k < 9; k++) h[k] *= s;
}

/**
 * The inverse homography (e.g. output position back to content coordinate, for a full-screen
 * pass). Throws a `MappingError` ('singular') when h has no inverse or is not finite.
 * `out` may be `h` itself.
 */
export function invertHomography(h: ArrayLike<number>, out: Float64Array = new Float64Array(9)): Float64Array {
  let max = 0;
  for (let k = 0; k < 9; k++) {
    const v = h[k];
    if (!(v - v === 0)) throw new MappingError('singular', 'homography: an entry is not a finite number');
    if (Math.abs(v) > max) max = Math.abs(v);
  }
  const det = adjugate(h, TMP_A);
  if (!(Math.abs(det) > 1e-12 * max * max * max)) throw new MappingError('singular', 'homography: not invertible (determinant ~0)');
  for (let k = 0; k < 9; k++) out[k] = TMP_A[k];
  normalise(out);
  return out;
}

/**
 * Applies h to (x, y), writing x' to out[0] and y' to out[1]. Returns w (the projective divisor):
 * positive for points on the visible side of the map (every point of a convex quad's source),
 * zero or negative for points mapped through infinity (out then holds ±Infinity or mirrored
 * values and should not be drawn). Allocates nothing.
 */
export function applyHomography(h: ArrayLike<number>, x: number, y: number, out: Float64Array | Float32Array | number[]): number {
  const w = h[6] * x + h[7] * y + h[8];
  const iw = 1 / w;
  out[0] = (h[0] * x + h[1] * y + h[2]) * iw;
  out[1] = (h[3] * x + h[4] * y + h[5]) * iw;
  return w;
}

/**
 * The homography as a GLSL `mat3` uniform: column-major Float32Array(9), so that
 * `H * vec3(x, y, 1.0)` in the shader is the same map as `applyHomography(h, x, y)`.
 */
export function toMat3(h: ArrayLike<number>, out: Float32Array = new Float32Array(9)): Float32Array {
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[c * 3 + r] = h[r * 3 + c];
  return out;
}

/** The identity homography. */
export function identityHomography(out: Float64Array = new Float64Array(9)): Float64Array {
  out.fill(0);
  out[0] = 1;
  out[4] = 1;
  out[8] = 1;
  return out;
}
