/**
 * Editing a mapping on the output with mouse and keyboard (pure: no DOM, no GL).
 *
 * Positions are normalised output coordinates (x right, y up; see engine/mapping). The editor
 * works on a copy of the settings and hands each change to the output manager, which validates it
 * with `validateMappingSettings`; these helpers refuse edits that would make the settings invalid
 * (a bow-tie corner pin) instead of letting the validator silently reset them.
 */
import {
  applyHomography,
  cornerPinQuad,
  identityHomography,
  invertHomography,
  nextFitMode,
  POSITION_RANGE,
  quadProblem,
  SOFT_EDGE_CURVE_RANGE,
  SOFT_EDGE_GAMMA_RANGE,
  SOFT_EDGE_MAX_WIDTH,
  squareToQuadHomography,
  type MappingSettings,
  type Point2,
} from '../../engine/mapping/index.ts';

export type EditTarget = 'corners' | 'mesh' | 'masks' | 'edges';
export const EDIT_TARGETS: readonly EditTarget[] = ['corners', 'mesh', 'masks', 'edges'];

/** Where the output picture sits in its window (letterboxed), CSS pixels. */
export interface ContentRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The letterboxed rectangle of an outW×outH picture scaled to fit a winW×winH window. */
export function letterbox(winW: number, winH: number, outW: number, outH: number): ContentRect {
  if (!(winW > 0 && winH > 0 && outW > 0 && outH > 0)) return { left: 0, top: 0, width: 0, height: 0 };
  const s = Math.min(winW / outW, winH / outH);
  const width = outW * s;
  const height = outH * s;
  return { left: (winW - width) / 2, top: (winH - height) / 2, width, height };
}

/** Window CSS position → normalised output coordinate (y up). */
export function toNormalised(r: ContentRect, px: number, py: number): Point2 {
  return { x: (px - r.left) / r.width, y: 1 - (py - r.top) / r.height };
}

/** Normalised output coordinate → window CSS position. */
export function toWindow(r: ContentRect, p: Point2): { px: number; py: number } {
  return { px: r.left + p.x * r.width, py: r.top + (1 - p.y) * r.height };
}

/**
 * Index of the point nearest to (px, py) within `radius` CSS pixels, or -1. Pixel distance, not
 * normalised, so a handle is as easy to grab on a wide output as on a tall one.
 */
export function hitTest(points: readonly Point2[], r: ContentRect, px: number, py: number, radius: number): number {
  let best = -1;
  let bestD = radius * radius;
  for (let i = 0; i < points.length; i++) {
    const w = toWindow(r, points[i]);
    const d = (w.px - px) ** 2 + (w.py - py) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

function clampPos(v: number): number {
  return Math.min(POSITION_RANGE[1], Math.max(POSITION_RANGE[0], v));
}

/** Whether corner `i` may be at p (the quad stays convex). */
export function cornerMoveAllowed(s: MappingSettings, i: number, p: Point2): boolean {
  const q: number[] = [];
  for (let k = 0; k < 4; k++) {
    const c = k === i ? p : s.cornerPin.corners[k];
    q.push(c.x, c.y);
  }
  return quadProblem(q) === null;
}

/** Moves corner i to p (clamped to the allowed range); returns false and changes nothing when the quad would not be convex. */
export function setCorner(s: MappingSettings, i: number, p: Point2): boolean {
  const c = { x: clampPos(p.x), y: clampPos(p.y) };
  if (!cornerMoveAllowed(s, i, c)) return false;
  s.cornerPin.corners[i] = c;
  return true;
}

/** Nudge step for an arrow key: 1 output pixel, 10 with Shift, as normalised (dx, dy). Null for any other key. */
export function nudgeStep(key: string, shift: boolean, outW: number, outH: number): Point2 | null {
  const n = shift ? 10 : 1;
  switch (key) {
    case 'ArrowLeft':
      return { x: -n / outW, y: 0 };
    case 'ArrowRight':
      return { x: n / outW, y: 0 };
    case 'ArrowUp':
      return { x: 0, y: n / outH };
    case 'ArrowDown':
      return { x: 0, y: -n / outH };
    default:
      return null;
  }
}

/** Moves mesh point i to p (clamped). */
export function setMeshPointAt(s: MappingSettings, i: number, p: Point2): void {
  if (i < 0 || i >= s.mesh.points.length) return;
  s.mesh.points[i] = { x: clampPos(p.x), y: clampPos(p.y) };
}

/** Next index for Tab (Shift+Tab goes back), wrapping; -1 stays -1 only when there is nothing. */
export function cycle(current: number, count: number, back: boolean): number {
  if (count <= 0) return -1;
  if (current < 0) return back ? count - 1 : 0;
  return (current + (back ? count - 1 : 1)) % count;
}

/** The soft edges in Tab order. */
export const EDGE_SIDES = ['left', 'right', 'bottom', 'top'] as const;
export type EdgeSide = (typeof EDGE_SIDES)[number];

/** Soft-edge steps of one key press (Shift: ten times as much). */
export const EDGE_WIDTH_STEP = 0.005;
export const EDGE_GAMMA_STEP = 0.05;
export const EDGE_CURVE_STEP = 0.1;

function clampTo(v: number, range: readonly [number, number]): number {
  // Rounded to the step grid's precision, so ten presses up and ten down land where they started.
  const r = Math.round(v * 1e6) / 1e6;
  return r < range[0] ? range[0] : r > range[1] ? range[1] : r;
}

/** Widens (dir 1) or narrows (dir -1) a side's blend zone; turns soft edges on when it widens. */
export function stepEdgeWidth(s: MappingSettings, side: EdgeSide, dir: 1 | -1, big: boolean): void {
  const d = s.softEdge[side];
  d.width = clampTo(d.width + dir * EDGE_WIDTH_STEP * (big ? 10 : 1), [0, SOFT_EDGE_MAX_WIDTH]);
  if (dir > 0) s.softEdge.enabled = true;
}

/** Raises or lowers a side's gamma (the projector's signal-to-light exponent). */
export function stepEdgeGamma(s: MappingSettings, side: EdgeSide, dir: 1 | -1, big: boolean): void {
  const d = s.softEdge[side];
  d.gamma = clampTo(d.gamma + dir * EDGE_GAMMA_STEP * (big ? 10 : 1), SOFT_EDGE_GAMMA_RANGE);
}

/** Raises or lowers a side's blend curve exponent (1 linear; larger flattens both ends of the ramp). */
export function stepEdgeCurve(s: MappingSettings, side: EdgeSide, dir: 1 | -1, big: boolean): void {
  const d = s.softEdge[side];
  d.curve = clampTo(d.curve + dir * EDGE_CURVE_STEP * (big ? 10 : 1), SOFT_EDGE_CURVE_RANGE);
}

/** The editor's readout of one soft edge. */
export function edgeReadout(s: MappingSettings, side: EdgeSide): string {
  const d = s.softEdge[side];
  return `${side}: width ${d.width.toFixed(3)} curve ${d.curve.toFixed(2)} gamma ${d.gamma.toFixed(2)}`;
}

/** Keys that edit the selected soft edge (see edgeKey). */
export function isEdgeKey(key: string): boolean {
  return key === 'ArrowLeft' || key === 'ArrowRight' || key === 'ArrowUp' || key === 'ArrowDown' || key === '[' || key === ']' || key === '{' || key === '}';
}

/**
 * Applies the soft-edge edit of a key; false (nothing changed) when the key does not edit soft edges: ←/→ width,
 * ↑/↓ gamma, [ / ] curve exponent (Shift ten times as much; Shift+[ is { on many layouts).
 */
export function edgeKey(s: MappingSettings, side: EdgeSide, key: string, shift: boolean): boolean {
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowRight':
      stepEdgeWidth(s, side, key === 'ArrowRight' ? 1 : -1, shift);
      return true;
    case 'ArrowUp':
    case 'ArrowDown':
      stepEdgeGamma(s, side, key === 'ArrowUp' ? 1 : -1, shift);
      return true;
    case '[':
    case ']':
      stepEdgeCurve(s, side, key === ']' ? 1 : -1, shift);
      return true;
    case '{':
    case '}':
      stepEdgeCurve(s, side, key === '}' ? 1 : -1, true);
      return true;
    default:
      return false;
  }
}

/** The next fit mode (the editor's A key): cover → contain → stretch → cover. */
export function cycleFit(s: MappingSettings): void {
  s.fit = nextFitMode(s.fit);
}

/** A mask being drawn: points so far, not yet a mask (a polygon needs 3 points and a close). */
export interface MaskDraft {
  points: Point2[];
}

/** Pixels within which a click on the first point closes the draft. */
export const CLOSE_RADIUS_PX = 10;

/**
 * A click while drawing a mask: adds a point, or closes the polygon when the click is on the
 * first point and there are at least 3. Returns 'closed' when the draft became a mask in `s`.
 */
export function maskClick(s: MappingSettings, draft: MaskDraft, r: ContentRect, px: number, py: number, maxMasks: number): 'added' | 'closed' | 'full' {
  if (draft.points.length >= 3 && hitTest(draft.points.slice(0, 1), r, px, py, CLOSE_RADIUS_PX) === 0) return closeMask(s, draft, maxMasks) ? 'closed' : 'full';
  const p = toNormalised(r, px, py);
  draft.points.push({ x: clampPos(p.x), y: clampPos(p.y) });
  return 'added';
}

/** Turns the draft into a mask (needs 3 points). */
export function closeMask(s: MappingSettings, draft: MaskDraft, maxMasks: number): boolean {
  if (draft.points.length < 3 || s.masks.length >= maxMasks) return false;
  s.masks.push({ name: `mask ${s.masks.length + 1}`, enabled: true, inverted: false, feather: 0, points: draft.points.slice() });
  draft.points.length = 0;
  return true;
}

/** Mask point nearest the click within radius: [mask index, point index] or null. */
export function hitMaskPoint(s: MappingSettings, r: ContentRect, px: number, py: number, radius: number): [number, number] | null {
  for (let m = s.masks.length - 1; m >= 0; m--) {
    const k = hitTest(s.masks[m].points, r, px, py, radius);
    if (k >= 0) return [m, k];
  }
  return null;
}

/** Deletes a mask point (the whole mask when fewer than 3 would remain). Returns what went. */
export function deleteMaskPoint(s: MappingSettings, mask: number, point: number): 'point' | 'mask' | 'none' {
  const m = s.masks[mask];
  if (!m || point < 0 || point >= m.points.length) return 'none';
  if (m.points.length <= 3) {
    s.masks.splice(mask, 1);
    return 'mask';
  }
  m.points.splice(point, 1);
  return 'point';
}

/** Grid position (c, r) of mesh point index i. */
export function meshCell(s: MappingSettings, i: number): { c: number; r: number } {
  return { c: i % s.mesh.cols, r: Math.floor(i / s.mesh.cols) };
}

/** The corner pin's homography (identity when the pin or the mapping is off). */
export function pinHomography(s: MappingSettings): Float64Array {
  if (!s.enabled || !s.cornerPin.enabled) return identityHomography();
  return squareToQuadHomography(cornerPinQuad(s.cornerPin));
}

/** Mesh points as they land on the output (the mesh works inside the pinned quad). */
export function pinnedMeshPoints(s: MappingSettings): Point2[] {
  const h = pinHomography(s);
  const out = [0, 0];
  return s.mesh.points.map((p) => {
    applyHomography(h, p.x, p.y, out);
    return { x: out[0], y: out[1] };
  });
}

/** An output position back into the pinned quad's space (where mesh points live). */
export function unpin(s: MappingSettings, p: Point2): Point2 {
  const inv = invertHomography(pinHomography(s));
  const out = [0, 0];
  applyHomography(inv, p.x, p.y, out);
  return { x: out[0], y: out[1] };
}
