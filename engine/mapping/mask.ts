/**
 * Polygon masks: shapes in normalised output coordinates (x right, y up) that hide the picture
 * outside (or, inverted, inside) a region: a window frame, a column, the edge of a stage.
 *
 * A polygon is a flat list `x0,y0, x1,y1, ...` of 3..MASK_MAX_POINTS corners, closed implicitly
 * (last back to first), either winding. Inside/outside follows the even-odd rule. A mask's
 * coverage is 1 where the picture shows and 0 where it is hidden, with a feather: a smooth
 * transition `feather` wide (share of the output), centred on the polygon's outline.
 *
 * `pointInPolygon`, `polygonEdgeDistance` and `maskCoverage` allocate nothing. `triangulatePolygon`
 * (ear clipping) writes triangle indices into a caller-provided buffer for drawing the mask as
 * geometry; it refuses self-intersecting polygons.
 */
import { MappingError } from './homography.ts';

/** Most corners a mask polygon may have. */
export const MASK_MAX_POINTS = 256;
/** Widest feather, share of the output. */
export const MASK_MAX_FEATHER = 0.5;

/** A mask as the renderer uses it. */
export interface PolygonMask {
  /** Flat x, y list of the corners (3..MASK_MAX_POINTS). */
  points: ArrayLike<number>;
  /** Show the outside and hide the inside instead. */
  inverted: boolean;
  /** Width of the soft transition across the outline, share of the output (0 = hard edge). */
  feather: number;
}

/** What is wrong with a polygon (null when it is usable for point tests). Allocates nothing but the message. */
export function polygonProblem(points: ArrayLike<number>): string | null {
  const len = points.length;
  if (len % 2 !== 0) return 'odd number of coordinates';
  const n = len / 2;
  if (n < 3) return `${n} points; a polygon needs at least 3`;
  if (n > MASK_MAX_POINTS) return `${n} points; at most ${MASK_MAX_POINTS}`;
  for (let i = 0; i < len; i++) {
    const v = points[i];
    if (!(v - v === 0)) return `coordinate ${i} is not a finite number`;
  }
  return null;
}

/** Twice the signed area (positive when counter-clockwise). */
function signedArea2(p: ArrayLike<number>, n: number): number {
  let a = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) a += p[2 * j] * p[2 * i + 1] - p[2 * i] * p[2 * j + 1];
  return a;
}

/** Area of a simple polygon (absolute; for a self-intersecting one this is the shoelace sum, not the covered area). */
export function polygonArea(points: ArrayLike<number>): number {
  return Math.abs(signedArea2(points, points.length >> 1)) * 0.5;
}

/** Even-odd point-in-polygon test. Points exactly on the outline may fall either way. Allocates nothing. */
export function pointInPolygon(points: ArrayLike<number>, x: number, y: number): boolean {
  const n = points.length >> 1;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = points[2 * i];
    const yi = points[2 * i + 1];
    const xj = points[2 * j];
    const yj = points[2 * j + 1];
    // Half-open crossing rule: each edge counts for y in [min, max), so a vertex is counted once.
    if (yi > y !== yj > y) {
      const xc = xi + ((y - yi) * (xj - xi)) / (yj - yi);
      if (x < xc) inside = !inside;
    }
  }
  return inside;
}

/** Distance from (x, y) to the polygon's outline (nearest edge). Allocates nothing. */
export function polygonEdgeDistance(points: ArrayLike<number>, x: number, y: number): number {
  const n = points.length >> 1;
  let best = Infinity;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const ax = points[2 * j];
    const ay = points[2 * j + 1];
    const ex = points[2 * i] - ax;
    const ey = points[2 * i + 1] - ay;
    const len2 = ex * ex + ey * ey;
    let t = len2 > 0 ? ((x - ax) * ex + (y - ay) * ey) / len2 : 0;
    t = t > 0 ? (t < 1 ? t : 1) : 0;
    const dx = x - ax - t * ex;
    const dy = y - ay - t * ey;
    const d2 = dx * dx + dy * dy;
    if (d2 < best) best = d2;
  }
  return Math.sqrt(best);
}

/**
 * Coverage of a mask at (x, y): 1 where the picture shows, 0 where hidden. Without feather it is
 * exactly 0 or 1 (even-odd inside, flipped when inverted); with feather f, it follows a smoothstep
 * of the signed distance to the outline over [−f/2, +f/2]. Allocates nothing.
 */
export function maskCoverage(mask: PolygonMask, x: number, y: number): number {
  const p = mask.points;
  const inside = pointInPolygon(p, x, y);
  let c: number;
  const f = mask.feather;
  if (f > 0) {
    const d = polygonEdgeDistance(p, x, y);
    let t = (inside ? d : -d) / (f < MASK_MAX_FEATHER ? f : MASK_MAX_FEATHER) + 0.5;
    t = t > 0 ? (t < 1 ? t : 1) : 0;
    c = t * t * (3 - 2 * t);
  } else {
    c = inside ? 1 : 0;
  }
  return mask.inverted ? 1 - c : c;
}

/** Orientation of (b−a)×(c−a): 1, −1, or 0 when collinear. */
function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const z = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return z > 0 ? 1 : z < 0 ? -1 : 0;
}

/** Whether c lies within the bounding box of segment ab (used once collinearity is known). */
function onSegment(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  return cx >= Math.min(ax, bx) && cx <= Math.max(ax, bx) && cy >= Math.min(ay, by) && cy <= Math.max(ay, by);
}

function segmentsTouch(p: ArrayLike<number>, a: number, b: number, c: number, d: number): boolean {
  const ax = p[2 * a];
  const ay = p[2 * a + 1];
  const bx = p[2 * b];
  const by = p[2 * b + 1];
  const cx = p[2 * c];
  const cy = p[2 * c + 1];
  const dx = p[2 * d];
  const dy = p[2 * d + 1];
  const o1 = orient(ax, ay, bx, by, cx, cy);
  const o2 = orient(ax, ay, bx, by, dx, dy);
  const o3 = orient(cx, cy, dx, dy, ax, ay);
  const o4 = orient(cx, cy, dx, dy, bx, by);
  if (o1 !== o2 && o3 !== o4 && o1 !== 0 && o2 !== 0 && o3 !== 0 && o4 !== 0) return true;
  if (o1 === 0 && onSegment(ax, ay, bx, by, cx, cy)) return true;
  if (o2 === 0 && onSegment(ax, ay, bx, by, dx, dy)) return true;
  if (o3 === 0 && onSegment(cx, cy, dx, dy, ax, ay)) return true;
  if (o4 === 0 && onSegment(cx, cy, dx, dy, bx, by)) return true;
  return false;
}

/**
 * Whether the polygon's outline crosses or touches itself (two non-adjacent edges meet, or two
 * corners coincide, or an edge folds back on its neighbour). O(n²).
 */
export function isSelfIntersecting(points: ArrayLike<number>): boolean {
  const n = points.length >> 1;
  for (let i = 0; i < n; i++) {
    const i1 = (i + 1) % n;
    for (let j = i + 1; j < n; j++) {
      const j1 = (j + 1) % n;
      if (j === i1 || j1 === i) {
        // Adjacent edges share one corner; they overlap only if they fold back onto each other.
        const s = j === i1 ? i : j; // the far end of the first edge
        const m = j === i1 ? j : i; // the shared corner
        const e = j === i1 ? j1 : i1; // the far end of the second edge
        const ux = points[2 * s] - points[2 * m];
        const uy = points[2 * s + 1] - points[2 * m + 1];
        const vx = points[2 * e] - points[2 * m];
        const vy = points[2 * e + 1] - points[2 * m + 1];
        if ((ux === 0 && uy === 0) || (vx === 0 && vy === 0)) return true; // repeated corner
        if (ux * vy - uy * vx === 0 && ux * vx + uy * vy > 0) return true;
        continue;
      }
      if (segmentsTouch(points, i, i1, j, j1)) return true;
    }
  }
  return false;
}

/** Indices ear clipping works through (a linked ring of remaining corners). */
const RING_NEXT = new Int32Array(MASK_MAX_POINTS);
const RING_PREV = new Int32Array(MASK_MAX_POINTS);

/** Whether (px, py) is inside or on triangle abc, given abc's orientation sign s. */
function inTriangle(s: number, ax: number, ay: number, bx: number, by: number, cx: number, cy: number, px: number, py: number): boolean {
  const d1 = s * ((bx - ax) * (py - ay) - (by - ay) * (px - ax));
  const d2 = s * ((cx - bx) * (py - by) - (cy - by) * (px - bx));
  const d3 = s * ((ax - cx) * (py - cy) - (ay - cy) * (px - cx));
  return d1 >= 0 && d2 >= 0 && d3 >= 0;
}

/**
 * Triangulates a simple polygon by ear clipping into `out` (3 indices per triangle, each triangle
 * wound like the polygon). Returns the number of indices written (3·(n−2) for n corners, fewer if
 * corners lie exactly on a straight edge and are skipped). Throws a `MappingError` for an invalid
 * polygon (see `polygonProblem`), a self-intersecting one, one with no area, or a buffer shorter
 * than 3·(n−2).
 */
export function triangulatePolygon(points: ArrayLike<number>, out: Uint16Array | Uint32Array | Int32Array): number {
  const problem = polygonProblem(points);
  if (problem !== null) throw new MappingError('invalid-polygon', `polygon: ${problem}`);
  const n = points.length >> 1;
  if (out.length < 3 * (n - 2)) throw new MappingError('buffer', `polygon of ${n} points needs ${3 * (n - 2)} indices, got ${out.length}`);
  if (isSelfIntersecting(points)) throw new MappingError('self-intersecting', 'polygon: the outline crosses itself; it cannot be triangulated');
  const area2 = signedArea2(points, n);
  if (area2 === 0) throw new MappingError('zero-area', 'polygon: no area');
  const s = area2 > 0 ? 1 : -1;
  const next = RING_NEXT;
  const prev = RING_PREV;
  for (let i = 0; i < n; i++) {
    next[i] = i + 1 < n ? i + 1 : 0;
    prev[i] = i > 0 ? i - 1 : n - 1;
  }
  let remaining = n;
  let o = 0;
  let cur = 0;
  let sinceEar = 0;
  while (remaining > 3) {
    const a = prev[cur];
    const c = next[cur];
    const ax = points[2 * a];
    const ay = points[2 * a + 1];
    const bx = points[2 * cur];
    const by = points[2 * cur + 1];
    const cx = points[2 * c];
    const cy = points[2 * c + 1];
    const turn = s * ((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
    let ear = false;
    if (turn > 0) {
      ear = true;
      for (let k = next[c]; k !== a; k = next[k]) {
        const px = points[2 * k];
        const py = points[2 * k + 1];
        // A corner equal to one of the ear's corners does not block it (it cannot, in a simple polygon, be inside).
        if ((px === ax && py === ay) || (px === bx && py === by) || (px === cx && py === cy)) continue;
        if (inTriangle(s, ax, ay, bx, by, cx, cy, px, py)) {
          ear = false;
          break;
        }
      }
    } else if (turn === 0 && sinceEar >= remaining) {
      // A full lap found no ear: drop a corner lying on a straight line (it adds no area).
      ear = true;
    }
    if (ear) {
      if (turn > 0) {
        out[o++] = a;
        out[o++] = cur;
        out[o++] = c;
      }
      next[a] = c;
      prev[c] = a;
      remaining--;
      cur = c;
      sinceEar = 0;
    } else {
      cur = c;
      if (++sinceEar > 2 * remaining + 2) throw new MappingError('triangulation', 'polygon: no ear found (numerically degenerate polygon)');
    }
  }
  const a = prev[cur];
  const c = next[cur];
  const turn =
    s * ((points[2 * cur] - points[2 * a]) * (points[2 * c + 1] - points[2 * a + 1]) - (points[2 * cur + 1] - points[2 * a + 1]) * (points[2 * c] - points[2 * a]));
  if (turn > 0) {
    out[o++] = a;
    out[o++] = cur;
    out[o++] = c;
  }
  return o;
}
