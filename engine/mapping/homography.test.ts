import { describe, expect, it } from 'vitest';
import {
  applyHomography,
  invertHomography,
  MappingError,
  multiplyHomography,
  quadProblem,
  quadToQuadHomography,
  squareToQuadHomography,
  toMat3,
  UNIT_QUAD,
} from './index.ts';

/**
 * Independent reference: the homography through 4 correspondences by solving the 8×8 linear
 * system (h8 = 1) with Gaussian elimination and partial pivoting.
 */
function solveDlt(src: number[], dst: number[]): number[] {
  const A: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const x = src[2 * i];
    const y = src[2 * i + 1];
    const X = dst[2 * i];
    const Y = dst[2 * i + 1];
    A.push([x, y, 1, 0, 0, 0, -x * X, -y * X, X]);
    A.push([0, 0, 0, x, y, 1, -x * Y, -y * Y, Y]);
  }
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      for (let k = c; k < 9; k++) A[r][k] -= f * A[c][k];
    }
  }
  const h = A.map((row, i) => row[8] / row[i]);
  h.push(1);
  return h;
}

function refApply(h: number[], x: number, y: number): [number, number] {
  const w = h[6] * x + h[7] * y + h[8];
  return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w];
}

const out = new Float64Array(2);
function map(h: Float64Array, x: number, y: number): [number, number] {
  applyHomography(h, x, y, out);
  return [out[0], out[1]];
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - b[i]) <= tol)) throw new Error(`index ${i}: ${a[i]} vs ${b[i]} (tolerance ${tol}); [${Array.from(a).join(', ')}] vs [${Array.from(b).join(', ')}]`);
  }
}

const KEYSTONE = [0.1, 0.05, 0.92, 0.12, 0.8, 0.97, 0.18, 0.85];

describe('corner pin homography', () => {
  it('the unit quad is the identity', () => {
    const h = squareToQuadHomography(UNIT_QUAD);
    expectClose(h, [1, 0, 0, 0, 1, 0, 0, 0, 1], 1e-15);
    expectClose(map(h, 0.3, 0.7), [0.3, 0.7], 1e-15);
  });

  it('a translated and scaled quad is that affine map', () => {
    const h = squareToQuadHomography([0.2, 0.1, 0.7, 0.1, 0.7, 0.4, 0.2, 0.4]);
    expectClose(h, [0.5, 0, 0.2, 0, 0.3, 0.1, 0, 0, 1], 1e-15);
    for (const [u, v] of [[0, 0], [1, 1], [0.5, 0.25], [-1, 2]]) expectClose(map(h, u, v), [0.2 + 0.5 * u, 0.1 + 0.3 * v], 1e-15);
  });

  it('a projective (keystone) map hits its 4 corners and agrees inside with an 8×8 solve', () => {
    const h = squareToQuadHomography(KEYSTONE);
    expect(Math.abs(h[6]) + Math.abs(h[7])).toBeGreaterThan(0.01); // really projective
    const corners = [0, 0, 1, 0, 1, 1, 0, 1];
    for (let i = 0; i < 4; i++) expectClose(map(h, corners[2 * i], corners[2 * i + 1]), KEYSTONE.slice(2 * i, 2 * i + 2), 1e-12);
    const ref = solveDlt(corners, KEYSTONE);
    expectClose(h, ref, 1e-9);
    for (const [u, v] of [[0.5, 0.5], [0.25, 0.8], [0.9, 0.1], [0.33, 0.66]]) expectClose(map(h, u, v), refApply(ref, u, v), 1e-12);
    // The centre goes to the diagonals' crossing, not the corners' mean: projective, not bilinear.
    const c = map(h, 0.5, 0.5);
    const mean = [(0.1 + 0.92 + 0.8 + 0.18) / 4, (0.05 + 0.12 + 0.97 + 0.85) / 4];
    expect(Math.hypot(c[0] - mean[0], c[1] - mean[1])).toBeGreaterThan(1e-3);
  });

  it('quad to quad matches the 8×8 solve and maps corners to corners', () => {
    const src = [0.05, 0.1, 0.95, 0.02, 0.9, 0.9, 0.02, 0.95];
    const dst = [0.3, 0.2, 1.4, -0.1, 1.1, 1.3, -0.2, 0.8];
    const h = quadToQuadHomography(src, dst);
    const ref = solveDlt(src, dst);
    expectClose(h, ref, 1e-9);
    for (let i = 0; i < 4; i++) expectClose(map(h, src[2 * i], src[2 * i + 1]), dst.slice(2 * i, 2 * i + 2), 1e-12);
  });

  it('a mirrored (clockwise) quad is accepted', () => {
    const mirrored = [1, 0, 0, 0, 0, 1, 1, 1];
    expect(quadProblem(mirrored)).toBeNull();
    expectClose(map(squareToQuadHomography(mirrored), 0.25, 0.5), [0.75, 0.5], 1e-15);
  });

  it('the inverse round-trips to 1e-9', () => {
    const h = squareToQuadHomography(KEYSTONE);
    const inv = invertHomography(h);
    const back = new Float64Array(2);
    for (let i = 0; i <= 10; i++) {
      for (let j = 0; j <= 10; j++) {
        const u = i / 10;
        const v = j / 10;
        applyHomography(h, u, v, out);
        const w = applyHomography(inv, out[0], out[1], back);
        expect(w).toBeGreaterThan(0);
        expectClose(back, [u, v], 1e-9);
      }
    }
    const prod = multiplyHomography(h, inv, new Float64Array(9));
    expectClose(prod, [1, 0, 0, 0, 1, 0, 0, 0, 1], 1e-12);
    // In place.
    const copy = new Float64Array(h);
    invertHomography(copy, copy);
    expectClose(copy, inv, 1e-15);
  });

  it('toMat3 is column-major: mat3 * vec3(x, y, 1) equals applyHomography', () => {
    const h = squareToQuadHomography(KEYSTONE);
    const m = toMat3(h);
    expect(m).toBeInstanceOf(Float32Array);
    // GLSL: result[r] = sum_c m[c*3 + r] * v[c]
    const x = 0.3;
    const y = 0.6;
    const v = [x, y, 1];
    const r = [0, 1, 2].map((row) => m[row] * v[0] + m[3 + row] * v[1] + m[6 + row] * v[2]);
    expectClose([r[0] / r[2], r[1] / r[2]], map(h, x, y), 1e-6);
    expect(m[1]).toBeCloseTo(h[3], 6); // column 0, row 1
    expect(m[3]).toBeCloseTo(h[1], 6); // column 1, row 0
  });
});

describe('degenerate quads are refused with a reason, never NaN', () => {
  const cases: Array<[string, number[], string]> = [
    ['three collinear corners', [0, 0, 0.5, 0, 1, 0, 0, 1], 'collinear'],
    ['all corners on one line', [0, 0, 0.3, 0.3, 0.6, 0.6, 1, 1], 'zero-area'],
    ['all corners at one point', [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], 'zero-area'],
    ['two corners coincide', [0, 0, 1, 0, 1, 0, 0, 1], 'collinear'],
    ['bow-tie (top corners swapped)', [0, 0, 1, 0, 0, 1, 1, 1], 'self-intersecting'],
    ['bow-tie (right corners swapped)', [0, 0, 1, 1, 1, 0, 0, 1], 'self-intersecting'],
    ['dart (one corner inside)', [0, 0, 1, 0, 0.3, 0.3, 0, 1], 'non-convex'],
    ['NaN corner', [0, 0, 1, 0, 1, Number.NaN, 0, 1], 'not-finite'],
    ['infinite corner', [0, 0, Infinity, 0, 1, 1, 0, 1], 'not-finite'],
    ['too few numbers', [0, 0, 1, 0, 1, 1], 'not-finite'],
  ];
  for (const [name, q, code] of cases) {
    it(name, () => {
      expect(quadProblem(q)).toBe(code);
      let err: unknown;
      try {
        squareToQuadHomography(q);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MappingError);
      expect((err as MappingError).code).toBe(code);
      expect((err as MappingError).message).toMatch(/corner pin: /);
      expect(() => quadToQuadHomography(UNIT_QUAD, q)).toThrow(MappingError);
      expect(() => quadToQuadHomography(q, UNIT_QUAD)).toThrow(MappingError);
    });
  }

  it('a nearly collinear but usable quad still passes; a singular matrix does not invert', () => {
    expect(quadProblem([0, 0, 1, 0.001, 1, 1, 0, 1])).toBeNull();
    expect(() => invertHomography([1, 2, 3, 2, 4, 6, 0, 0, 1])).toThrow(/not invertible/);
    expect(() => invertHomography([1, 0, 0, 0, Number.NaN, 0, 0, 0, 1])).toThrow(MappingError);
  });
});
