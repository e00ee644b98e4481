import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../workers/analysis/signals.ts';
import {
  cloneMesh,
  createMesh,
  evaluateMesh,
  fillGridIndices,
  MappingError,
  MESH_MAX,
  moveMeshPoint,
  resetMesh,
  resizeMesh,
  setMeshPoint,
  squareToQuadHomography,
  applyHomography,
  tessellateMesh,
  tessellationFloatCount,
  tessellationIndexCount,
  VERTEX_FLOATS,
  type MeshGrid,
} from './index.ts';

const o = new Float64Array(2);
function at(m: MeshGrid, u: number, v: number): [number, number] {
  evaluateMesh(m, u, v, o);
  return [o[0], o[1]];
}

/** A grid whose every point is jittered by up to `amount`, from a seed. */
function randomWarp(cols: number, rows: number, seed: number, amount = 0.08): MeshGrid {
  const m = createMesh(cols, rows);
  const r = seededRandom(seed);
  for (let i = 0; i < m.points.length; i++) m.points[i] += (r() * 2 - 1) * amount;
  return m;
}

describe('mesh warp', () => {
  it('the default grid is the identity everywhere, at every size', () => {
    for (const [c, r] of [[2, 2], [3, 5], [5, 5], [33, 33], [2, 33]]) {
      const m = createMesh(c, r);
      let worst = 0;
      for (let i = 0; i <= 40; i++) {
        for (let j = 0; j <= 40; j++) {
          const [x, y] = at(m, i / 40, j / 40);
          worst = Math.max(worst, Math.abs(x - i / 40), Math.abs(y - j / 40));
        }
      }
      expect(worst).toBeLessThan(1e-14);
    }
  });

  it('an affine image of the identity grid is exactly that affine map (edges included)', () => {
    const m = createMesh(6, 4);
    const f = (u: number, v: number): [number, number] => [0.1 + 0.8 * u + 0.2 * v, -0.05 + 0.1 * u + 0.9 * v];
    for (let r = 0; r < 4; r++) for (let c = 0; c < 6; c++) setMeshPoint(m, c, r, ...f(c / 5, r / 3));
    for (const [u, v] of [[0, 0], [0.01, 0.99], [0.5, 0.5], [0.93, 0.07], [1, 1]]) {
      const [x, y] = at(m, u, v);
      const [ex, ey] = f(u, v);
      expect(Math.abs(x - ex)).toBeLessThan(1e-14);
      expect(Math.abs(y - ey)).toBeLessThan(1e-14);
    }
  });

  it('passes through every control point of a random warp', () => {
    const m = randomWarp(7, 5, 11);
    for (let r = 0; r < 5; r++) {
      for (let c = 0; c < 7; c++) {
        const [x, y] = at(m, c / 6, r / 4);
        const k = 2 * (r * 7 + c);
        expect(Math.abs(x - m.points[k])).toBeLessThan(1e-14);
        expect(Math.abs(y - m.points[k + 1])).toBeLessThan(1e-14);
      }
    }
  });

  it('moving one point bends only its neighbourhood (local support of 2 cells)', () => {
    const m = createMesh(9, 9);
    moveMeshPoint(m, 4, 4, 0.05, -0.03);
    expect(at(m, 0.5, 0.5)).toEqual([0.55, 0.47]);
    const [x1, y1] = at(m, 0.45, 0.5);
    expect(x1).not.toBeCloseTo(0.45, 6);
    expect(y1).toBeLessThan(0.5);
    // Two cells away (u = 0.25 is grid column 2) nothing moves.
    const [x2, y2] = at(m, 0.25, 0.4);
    expect(Math.abs(x2 - 0.25) + Math.abs(y2 - 0.4)).toBeLessThan(1e-15);
  });

  it('value and first derivative are continuous across every cell border of a random warp', () => {
    const cols = 6;
    const rows = 5;
    const m = randomWarp(cols, rows, 3, 0.1);
    const h = 1e-6;
    let worstJump = 0;
    let worstSlope = 0;
    const check = (uA: number, vA: number, du: number, dv: number) => {
      // Points just before and after the border along (du, dv); one-sided slopes on each side.
      const b = at(m, uA, vA);
      const before = at(m, uA - du * h, vA - dv * h);
      const after = at(m, uA + du * h, vA + dv * h);
      const before2 = at(m, uA - 2 * du * h, vA - 2 * dv * h);
      const after2 = at(m, uA + 2 * du * h, vA + 2 * dv * h);
      for (let k = 0; k < 2; k++) {
        worstJump = Math.max(worstJump, Math.abs(after[k] - before[k]));
        // Second-order one-sided differences (error O(h²)).
        const left = (3 * b[k] - 4 * before[k] + before2[k]) / (2 * h);
        const right = (-3 * b[k] + 4 * after[k] - after2[k]) / (2 * h);
        worstSlope = Math.max(worstSlope, Math.abs(left - right));
      }
    };
    const r = seededRandom(5);
    for (let c = 1; c < cols - 1; c++) for (let n = 0; n < 12; n++) check(c / (cols - 1), 0.02 + 0.96 * r(), 1, 0);
    for (let rr = 1; rr < rows - 1; rr++) for (let n = 0; n < 12; n++) check(0.02 + 0.96 * r(), rr / (rows - 1), 0, 1);
    // Interior grid crossings, diagonally.
    for (let c = 1; c < cols - 1; c++) for (let rr = 1; rr < rows - 1; rr++) check(c / (cols - 1), rr / (rows - 1), 0.6, 0.8);
    // Across 2h the value moves by about 2h times the slope (slopes here are near 1), never a jump.
    expect(worstJump).toBeLessThan(1e-5);
    expect(worstSlope).toBeLessThan(1e-6);
  });

  it('the same derivative check does see the kink of a piecewise-linear warp (the check can fail)', () => {
    // Bilinear interpolation of the same random grid, by hand: continuous, but its slope jumps.
    const m = randomWarp(6, 5, 3, 0.1);
    const bil = (u: number, k: number) => {
      const s = u * 5;
      const c = Math.min(4, Math.floor(s));
      const t = s - c;
      return (1 - t) * m.points[2 * (2 * 6 + c) + k] + t * m.points[2 * (2 * 6 + c + 1) + k];
    };
    const h = 1e-6;
    const b = 0.4; // a border (column 2)
    const left = (bil(b, 0) - bil(b - h, 0)) / h;
    const right = (bil(b + h, 0) - bil(b, 0)) / h;
    expect(Math.abs(left - right)).toBeGreaterThan(1e-3);
  });

  it('clamps (u, v) to the grid and treats NaN as 0', () => {
    const m = randomWarp(4, 4, 9);
    expect(at(m, -3, 0.5)).toEqual(at(m, 0, 0.5));
    expect(at(m, 0.5, 7)).toEqual(at(m, 0.5, 1));
    expect(at(m, Number.NaN, Number.NaN)).toEqual(at(m, 0, 0));
  });

  it('set, move, reset, clone; refuses bad sizes and indices', () => {
    const m = createMesh(3, 3);
    setMeshPoint(m, 2, 1, 0.9, 0.4);
    expect(Array.from(m.points.slice(10, 12))).toEqual([0.9, 0.4]);
    moveMeshPoint(m, 2, 1, 0.05, 0.1);
    expect(m.points[10]).toBeCloseTo(0.95, 15);
    expect(m.points[11]).toBeCloseTo(0.5, 15);
    const copy = cloneMesh(m);
    resetMesh(m);
    expect(m.points[10]).toBe(1);
    expect(copy.points[10]).toBeCloseTo(0.95, 15);
    expect(() => createMesh(1, 5)).toThrow(MappingError);
    expect(() => createMesh(MESH_MAX + 1, 5)).toThrow(/2\.\.33/);
    expect(() => createMesh(2.5, 3)).toThrow(MappingError);
    expect(() => setMeshPoint(m, 3, 0, 0, 0)).toThrow(/outside/);
    expect(() => setMeshPoint(m, 0, 0, Number.NaN, 0)).toThrow(MappingError);
    expect(() => moveMeshPoint(m, 0, -1, 0, 0)).toThrow(MappingError);
  });

  it('resize resamples the current warp', () => {
    const m = randomWarp(5, 5, 21);
    const big = resizeMesh(m, 9, 9);
    expect(big.cols).toBe(9);
    // Every old point is a new point (5 → 9 lines up), so those positions are kept exactly.
    for (let r = 0; r < 5; r++) {
      for (let c = 0; c < 5; c++) {
        const k = 2 * (r * 5 + c);
        const K = 2 * (2 * r * 9 + 2 * c);
        expect(Math.abs(big.points[K] - m.points[k])).toBeLessThan(1e-14);
        expect(Math.abs(big.points[K + 1] - m.points[k + 1])).toBeLessThan(1e-14);
      }
    }
    // Between them the surfaces stay close.
    for (let i = 0; i < 50; i++) {
      const u = (i * 0.6180339887) % 1;
      const v = (i * 0.4142135623) % 1;
      const [a, b] = at(m, u, v);
      const [c, d] = at(big, u, v);
      expect(Math.hypot(a - c, b - d)).toBeLessThan(0.01);
    }
    // The identity stays the identity through a resize, and the source is untouched.
    const id = resizeMesh(createMesh(4, 4), 7, 3);
    expect(at(id, 0.3, 0.8)[0]).toBeCloseTo(0.3, 14);
    expect(at(id, 0.3, 0.8)[1]).toBeCloseTo(0.8, 14);
    expect(() => resizeMesh(m, 40, 4)).toThrow(MappingError);
  });

  it('tessellates into a caller buffer: positions follow the warp, uvs the grid', () => {
    const m = randomWarp(5, 4, 2);
    const sx = 16;
    const sy = 10;
    const verts = new Float32Array(tessellationFloatCount(sx, sy) + 4).fill(-7);
    expect(tessellateMesh(m, sx, sy, verts)).toBe(17 * 11);
    expect(verts[verts.length - 1]).toBe(-7); // nothing past the end
    for (const [i, j] of [[0, 0], [16, 10], [5, 3], [11, 9]]) {
      const k = (j * (sx + 1) + i) * VERTEX_FLOATS;
      const [x, y] = at(m, i / sx, j / sy);
      expect(verts[k]).toBeCloseTo(x, 6);
      expect(verts[k + 1]).toBeCloseTo(y, 6);
      expect(verts[k + 2]).toBeCloseTo(i / sx, 7);
      expect(verts[k + 3]).toBeCloseTo(j / sy, 7);
    }
    const idx = new Uint16Array(tessellationIndexCount(sx, sy));
    expect(fillGridIndices(sx, sy, idx)).toBe(sx * sy * 6);
    // First segment: two counter-clockwise triangles over vertices 0, 1, 18, 17.
    expect(Array.from(idx.slice(0, 6))).toEqual([0, 1, 18, 0, 18, 17]);
    let max = 0;
    for (const i of idx) max = Math.max(max, i);
    expect(max).toBe(17 * 11 - 1);
    expect(() => tessellateMesh(m, sx, sy, new Float32Array(10))).toThrow(/needs/);
    expect(() => tessellateMesh(m, 0, 4, verts)).toThrow(MappingError);
    expect(() => fillGridIndices(300, 300, new Uint16Array(tessellationIndexCount(300, 300)))).toThrow(/Uint16Array/);
  });

  it('tessellation with a corner pin applies the homography after the warp', () => {
    const m = randomWarp(3, 3, 8);
    const h = squareToQuadHomography([0.1, 0.05, 0.92, 0.12, 0.8, 0.97, 0.18, 0.85]);
    const verts = new Float32Array(tessellationFloatCount(4, 4));
    tessellateMesh(m, 4, 4, verts, h);
    const k = (2 * 5 + 3) * VERTEX_FLOATS; // i = 3, j = 2
    const w = at(m, 0.75, 0.5);
    const p = new Float64Array(2);
    applyHomography(h, w[0], w[1], p);
    expect(verts[k]).toBeCloseTo(p[0], 6);
    expect(verts[k + 1]).toBeCloseTo(p[1], 6);
    expect(verts[k + 2]).toBe(0.75);
  });
});
