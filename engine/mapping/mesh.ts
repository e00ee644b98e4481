/**
 * Mesh warp: a grid of control points that bends the content into the output (for curved screens
 * and fine corrections after the corner pin).
 *
 * A grid has `cols` × `rows` control points (each 2..MESH_MAX). Point (c, r) is the output
 * position, in normalised output coordinates, of content coordinate (c/(cols-1), r/(rows-1)); the
 * identity grid (the default) puts every point on its own content coordinate. Between the points the
 * warp is a bicubic Catmull-Rom surface: it passes through every control point, and both its value
 * and its first derivatives are continuous across cell borders. At the grid's edges the missing
 * outer neighbours are extrapolated linearly (P₋₁ = 2P₀ − P₁), so a grid whose points are an affine
 * image of the identity grid is exactly that affine map (the identity grid is the identity), and a
 * 2×2 grid is bilinear.
 *
 * `evaluateMesh` allocates nothing; `tessellateMesh` writes into caller-provided buffers.
 */
import { MappingError } from './homography.ts';

/** Fewest control points per axis. */
export const MESH_MIN = 2;
/** Most control points per axis. */
export const MESH_MAX = 33;
/** Most segments per axis `tessellateMesh` takes. */
export const TESSELLATION_MAX = 1024;
/** Floats per tessellated vertex: output position x, y, then content coordinate u, v. */
export const VERTEX_FLOATS = 4;

/** A mesh-warp grid. `points` holds x, y per point, row by row from the bottom row (r = 0). */
export interface MeshGrid {
  readonly cols: number;
  readonly rows: number;
  /** Length 2·cols·rows; point (c, r) at index 2·(r·cols + c). Edit with `setMeshPoint`/`moveMeshPoint` or directly. */
  readonly points: Float64Array;
}

function checkSize(cols: number, rows: number): void {
  if (!Number.isInteger(cols) || !Number.isInteger(rows) || cols < MESH_MIN || rows < MESH_MIN || cols > MESH_MAX || rows > MESH_MAX) {
    throw new MappingError('mesh-size', `mesh size ${cols}x${rows}: each side must be an integer ${MESH_MIN}..${MESH_MAX}`);
  }
}

/** A new identity grid of `cols` × `rows` points. Throws a `MappingError` for a size outside 2..33. */
export function createMesh(cols: number, rows: number): MeshGrid {
  checkSize(cols, rows);
  const mesh: MeshGrid = { cols, rows, points: new Float64Array(2 * cols * rows) };
  resetMesh(mesh);
  return mesh;
}

/** Puts every point back on the identity grid. */
export function resetMesh(mesh: MeshGrid): void {
  const { cols, rows, points } = mesh;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = 2 * (r * cols + c);
      points[k] = c / (cols - 1);
      points[k + 1] = r / (rows - 1);
    }
  }
}

function pointIndex(mesh: MeshGrid, c: number, r: number): number {
  if (!Number.isInteger(c) || !Number.isInteger(r) || c < 0 || r < 0 || c >= mesh.cols || r >= mesh.rows) {
    throw new MappingError('mesh-point', `mesh point (${c}, ${r}) is outside the ${mesh.cols}x${mesh.rows} grid`);
  }
  return 2 * (r * mesh.cols + c);
}

/** Sets control point (c, r) to output position (x, y). Throws on an index outside the grid or a non-finite position. */
export function setMeshPoint(mesh: MeshGrid, c: number, r: number, x: number, y: number): void {
  const k = pointIndex(mesh, c, r);
  if (!Number.isFinite(x) || !Number.isFinite(y)) throw new MappingError('not-finite', `mesh point (${c}, ${r}): position is not finite`);
  mesh.points[k] = x;
  mesh.points[k + 1] = y;
}

/** Moves control point (c, r) by (dx, dy). Throws like `setMeshPoint`. */
export function moveMeshPoint(mesh: MeshGrid, c: number, r: number, dx: number, dy: number): void {
  const k = pointIndex(mesh, c, r);
  setMeshPoint(mesh, c, r, mesh.points[k] + dx, mesh.points[k + 1] + dy);
}

/** A copy of the grid. */
export function cloneMesh(mesh: MeshGrid): MeshGrid {
  return { cols: mesh.cols, rows: mesh.rows, points: new Float64Array(mesh.points) };
}

// Scratch (evaluation is not reentrant, and need not be). V8 boxes a double passed to, or returned
// from, a call it does not inline (a heap allocation per call), so the doubles travel between the
// functions below through these arrays; the public `evaluateMesh` is small enough to be inlined
// into its caller.
/** u, v of the point being evaluated; the axis position t for `axisWeights`. */
const ARGS = new Float64Array(3);
// Folded Catmull-Rom weights and point indices along each axis.
const WU = new Float64Array(4);
const WV = new Float64Array(4);
const KU = new Int32Array(4);
const KV = new Int32Array(4);

/**
 * Catmull-Rom weights at t = ARGS[2] for the 4 points around cell `cell` of an axis of `n` points,
 * with the outer neighbours' linear extrapolation folded into the inner points' weights (so every
 * index written is inside 0..n-1).
 */
function axisWeights(cell: number, n: number, w: Float64Array, k: Int32Array): void {
  const t = ARGS[2];
  const t2 = t * t;
  const t3 = t2 * t;
  let w0 = 0.5 * (-t + 2 * t2 - t3);
  let w1 = 0.5 * (2 - 5 * t2 + 3 * t3);
  let w2 = 0.5 * (t + 4 * t2 - 3 * t3);
  let w3 = 0.5 * (t3 - t2);
  if (cell === 0) {
    // P(-1) = 2P(0) - P(1)
    w1 += 2 * w0;
    w2 -= w0;
    w0 = 0;
  }
  if (cell + 2 >= n) {
    // P(n) = 2P(n-1) - P(n-2)
    w2 += 2 * w3;
    w1 -= w3;
    w3 = 0;
  }
  w[0] = w0;
  w[1] = w1;
  w[2] = w2;
  w[3] = w3;
  k[0] = cell > 0 ? cell - 1 : 0;
  k[1] = cell;
  k[2] = cell + 1;
  k[3] = cell + 2 < n ? cell + 2 : n - 1;
}

/** The warp at (ARGS[0], ARGS[1]) into out[0], out[1]. */
function evaluateCore(mesh: MeshGrid, out: Float64Array | Float32Array | number[]): void {
  const u = ARGS[0];
  const v = ARGS[1];
  const cols = mesh.cols;
  const rows = mesh.rows;
  const p = mesh.points;
  const su = (u > 0 ? (u < 1 ? u : 1) : 0) * (cols - 1);
  const sv = (v > 0 ? (v < 1 ? v : 1) : 0) * (rows - 1);
  let cu = Math.floor(su);
  if (cu > cols - 2) cu = cols - 2;
  let cv = Math.floor(sv);
  if (cv > rows - 2) cv = rows - 2;
  ARGS[2] = su - cu;
  axisWeights(cu, cols, WU, KU);
  ARGS[2] = sv - cv;
  axisWeights(cv, rows, WV, KV);
  let x = 0;
  let y = 0;
  for (let j = 0; j < 4; j++) {
    const wv = WV[j];
    if (wv === 0) continue;
    const base = KV[j] * cols;
    let rx = 0;
    let ry = 0;
    for (let i = 0; i < 4; i++) {
      const k = 2 * (base + KU[i]);
      const wu = WU[i];
      rx += wu * p[k];
      ry += wu * p[k + 1];
    }
    x += wv * rx;
    y += wv * ry;
  }
  out[0] = x;
  out[1] = y;
}

/**
 * The warp at content coordinate (u, v) (each clamped to 0..1; NaN counts as 0): writes the
 * output position's x to out[0] and y to out[1]. Allocates nothing.
 */
export function evaluateMesh(mesh: MeshGrid, u: number, v: number, out: Float64Array | Float32Array | number[]): void {
  ARGS[0] = u;
  ARGS[1] = v;
  evaluateCore(mesh, out);
}

/**
 * A new grid of `cols` × `rows` points that follows the current warp: each new point is the old
 * warp at its content coordinate. Where a new point's coordinate is an old point's (5 → 9 points),
 * it lands exactly on it; in between the new surface follows the old closely but not exactly, and
 * shrinking smooths away detail finer than the new grid. Throws like `createMesh`.
 */
export function resizeMesh(mesh: MeshGrid, cols: number, rows: number): MeshGrid {
  checkSize(cols, rows);
  const next: MeshGrid = { cols, rows, points: new Float64Array(2 * cols * rows) };
  const tmp = new Float64Array(2);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      evaluateMesh(mesh, c / (cols - 1), r / (rows - 1), tmp);
      const k = 2 * (r * cols + c);
      next.points[k] = tmp[0];
      next.points[k + 1] = tmp[1];
    }
  }
  return next;
}

/** Floats `tessellateMesh` writes for segX × segY segments. */
export function tessellationFloatCount(segX: number, segY: number): number {
  return (segX + 1) * (segY + 1) * VERTEX_FLOATS;
}

/** Indices `fillGridIndices` writes for segX × segY segments (two triangles per segment). */
export function tessellationIndexCount(segX: number, segY: number): number {
  return segX * segY * 6;
}

function checkSegments(segX: number, segY: number): void {
  if (!Number.isInteger(segX) || !Number.isInteger(segY) || segX < 1 || segY < 1 || segX > TESSELLATION_MAX || segY > TESSELLATION_MAX) {
    throw new MappingError('tessellation', `tessellation ${segX}x${segY}: each side must be an integer 1..${TESSELLATION_MAX}`);
  }
}

const EVAL_TMP = new Float64Array(2);

/**
 * Tessellates the warp into (segX+1)·(segY+1) vertices, row by row from v = 0: for each, the
 * output position x, y then the content coordinate u, v (VERTEX_FLOATS floats). With a homography
 * `h` (row-major, see homography.ts) the warped position is then corner-pinned: the mesh works
 * inside the pinned quad. Returns the number of vertices. Throws a `MappingError` when `out` is too
 * short or the segment counts are outside 1..TESSELLATION_MAX. Allocates nothing.
 */
export function tessellateMesh(mesh: MeshGrid, segX: number, segY: number, out: Float32Array, h?: ArrayLike<number>): number {
  checkSegments(segX, segY);
  const need = tessellationFloatCount(segX, segY);
  if (out.length < need) throw new MappingError('buffer', `tessellation ${segX}x${segY} needs ${need} floats, got ${out.length}`);
  let o = 0;
  for (let j = 0; j <= segY; j++) {
    const v = j / segY;
    for (let i = 0; i <= segX; i++) {
      const u = i / segX;
      ARGS[0] = u;
      ARGS[1] = v;
      evaluateCore(mesh, EVAL_TMP);
      let x = EVAL_TMP[0];
      let y = EVAL_TMP[1];
      if (h !== undefined) {
        const iw = 1 / (h[6] * x + h[7] * y + h[8]);
        const px = (h[0] * x + h[1] * y + h[2]) * iw;
        y = (h[3] * x + h[4] * y + h[5]) * iw;
        x = px;
      }
      out[o] = x;
      out[o + 1] = y;
      out[o + 2] = u;
      out[o + 3] = v;
      o += VERTEX_FLOATS;
    }
  }
  return (segX + 1) * (segY + 1);
}

/**
 * Triangle indices for a tessellation of segX × segY segments (counter-clockwise for an unwarped
 * grid, two triangles per segment) into `out`. Returns the number of indices. Throws when `out` is
 * too short, or is a Uint16Array and the vertex count exceeds 65536.
 */
export function fillGridIndices(segX: number, segY: number, out: Uint16Array | Uint32Array): number {
  checkSegments(segX, segY);
  const need = tessellationIndexCount(segX, segY);
  if (out.length < need) throw new MappingError('buffer', `grid ${segX}x${segY} needs ${need} indices, got ${out.length}`);
  if (out instanceof Uint16Array && (segX + 1) * (segY + 1) > 65536) {
    throw new MappingError('buffer', `grid ${segX}x${segY} has more vertices than a Uint16Array can index`);
  }
  const stride = segX + 1;
  let o = 0;
  for (let j = 0; j < segY; j++) {
    for (let i = 0; i < segX; i++) {
      const a = j * stride + i;
      const b = a + 1;
      const c = a + stride + 1;
      const d = a + stride;
      out[o++] = a;
      out[o++] = b;
      out[o++] = c;
      out[o++] = a;
      out[o++] = c;
      out[o++] = d;
    }
  }
  return need;
}
