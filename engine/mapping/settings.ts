/**
 * Per-output mapping settings (saved JSON) and their validator.
 *
 * `validateMappingSettings` takes anything (parsed JSON, a JSON string, garbage) and returns usable
 * settings plus one line per problem, each starting with the field's path
 * (`mesh.points[12].x: not a finite number; using 0.5`). It never throws: missing fields get their
 * defaults silently, wrong or out-of-range values are replaced or clamped and reported, unknown
 * fields are reported and dropped, oversized arrays are refused without being walked, and a
 * getter or proxy that throws counts as a bad value. The result shares nothing with the input.
 *
 * Positions are normalised output coordinates (x right, y up; see homography.ts), allowed from
 * POSITION_RANGE[0] to POSITION_RANGE[1] so a corner or point may sit beyond the output's border.
 */
import { quadProblem, quadProblemMessage, UNIT_QUAD } from './homography.ts';
import { isSelfIntersecting, MASK_MAX_FEATHER, MASK_MAX_POINTS } from './mask.ts';
import { MESH_MAX, MESH_MIN, type MeshGrid } from './mesh.ts';
import { SOFT_EDGE_CURVE_RANGE, SOFT_EDGE_DEFAULT, SOFT_EDGE_GAMMA_RANGE, SOFT_EDGE_MAX_WIDTH, type SoftEdge } from './soft-edge.ts';
import { DEFAULT_FIT, FIT_MODES, type FitMode } from './fit.ts';
import { TEST_PATTERNS, type TestPattern } from './test-pattern.ts';

/**
 * Version written by this build; older versions are migrated on read. Version 2 added `fit`
 * (version 1 outputs stretched the picture); a version 1 file reads as the default fit, silently.
 */
export const MAPPING_SETTINGS_VERSION = 2;
/** Range a corner or control point coordinate is clamped to. */
export const POSITION_RANGE: readonly [number, number] = [-1, 2];
/** Largest output side, pixels. */
export const MAX_OUTPUT_SIDE = 16384;
/** Most masks per output. */
export const MAX_MASKS = 16;
/** Longest mask name. */
export const MAX_MASK_NAME = 64;
/** Problems listed before the rest are only counted. */
export const MAX_PROBLEMS = 100;

export interface Point2 {
  x: number;
  y: number;
}

export interface CornerPinSettings {
  enabled: boolean;
  /** The unit square's corners' images: bottom-left, bottom-right, top-right, top-left. Convex. */
  corners: [Point2, Point2, Point2, Point2];
}

export interface MeshSettings {
  enabled: boolean;
  cols: number;
  rows: number;
  /** cols·rows points, row by row from the bottom (see mesh.ts). */
  points: Point2[];
}

export interface SoftEdgeSettings {
  enabled: boolean;
  left: SoftEdge;
  right: SoftEdge;
  bottom: SoftEdge;
  top: SoftEdge;
}

export interface MaskSettings {
  name: string;
  enabled: boolean;
  /** Show the outside, hide the inside. */
  inverted: boolean;
  /** Soft transition width across the outline, share of the output (0..0.5). */
  feather: number;
  /** 3..MASK_MAX_POINTS corners. */
  points: Point2[];
}

export interface TestPatternSettings {
  enabled: boolean;
  pattern: TestPattern;
}

/** Everything that maps one output onto its projector. */
export interface MappingSettings {
  version: number;
  /** Mapping on at all (off: the picture goes out untouched). */
  enabled: boolean;
  /** Output resolution, pixels. */
  output: { width: number; height: number };
  /** How the engine's picture fits an output of another aspect ratio (fit.ts). */
  fit: FitMode;
  cornerPin: CornerPinSettings;
  mesh: MeshSettings;
  softEdge: SoftEdgeSettings;
  masks: MaskSettings[];
  testPattern: TestPatternSettings;
}

export interface MappingValidation {
  settings: MappingSettings;
  /** One line per problem, starting with the field path. Empty when the input was clean. */
  problems: string[];
}

function identityPoints(cols: number, rows: number): Point2[] {
  const pts: Point2[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) pts.push({ x: c / (cols - 1), y: r / (rows - 1) });
  return pts;
}

function unitCorners(): [Point2, Point2, Point2, Point2] {
  return [
    { x: UNIT_QUAD[0], y: UNIT_QUAD[1] },
    { x: UNIT_QUAD[2], y: UNIT_QUAD[3] },
    { x: UNIT_QUAD[4], y: UNIT_QUAD[5] },
    { x: UNIT_QUAD[6], y: UNIT_QUAD[7] },
  ];
}

/** Settings that change nothing: identity corner pin and a 5×5 identity mesh (both enabled), no blend, no masks, no test pattern. */
export function defaultMappingSettings(): MappingSettings {
  return {
    version: MAPPING_SETTINGS_VERSION,
    enabled: true,
    output: { width: 1920, height: 1080 },
    fit: DEFAULT_FIT,
    cornerPin: { enabled: true, corners: unitCorners() },
    mesh: { enabled: true, cols: 5, rows: 5, points: identityPoints(5, 5) },
    softEdge: {
      enabled: false,
      left: { ...SOFT_EDGE_DEFAULT },
      right: { ...SOFT_EDGE_DEFAULT },
      bottom: { ...SOFT_EDGE_DEFAULT },
      top: { ...SOFT_EDGE_DEFAULT },
    },
    masks: [],
    testPattern: { enabled: false, pattern: 'grid' },
  };
}

// ------------------------------------------------------------------ conversions

/** The corner pin as a flat quad (8 numbers) for `squareToQuadHomography`. */
export function cornerPinQuad(c: CornerPinSettings, out: Float64Array = new Float64Array(8)): Float64Array {
  for (let i = 0; i < 4; i++) {
    out[2 * i] = c.corners[i].x;
    out[2 * i + 1] = c.corners[i].y;
  }
  return out;
}

/** A mesh grid (mesh.ts) from validated settings. */
export function meshFromSettings(m: MeshSettings): MeshGrid {
  const points = new Float64Array(2 * m.cols * m.rows);
  for (let i = 0; i < m.cols * m.rows; i++) {
    points[2 * i] = m.points[i].x;
    points[2 * i + 1] = m.points[i].y;
  }
  return { cols: m.cols, rows: m.rows, points };
}

/** Mesh settings from a grid (to save it). */
export function meshToSettings(mesh: MeshGrid, enabled = true): MeshSettings {
  const points: Point2[] = [];
  for (let i = 0; i < mesh.cols * mesh.rows; i++) points.push({ x: mesh.points[2 * i], y: mesh.points[2 * i + 1] });
  return { enabled, cols: mesh.cols, rows: mesh.rows, points };
}

/** A mask's corners as the flat list mask.ts works on. */
export function maskPolygon(m: MaskSettings): Float64Array {
  const out = new Float64Array(2 * m.points.length);
  for (let i = 0; i < m.points.length; i++) {
    out[2 * i] = m.points[i].x;
    out[2 * i + 1] = m.points[i].y;
  }
  return out;
}

// ------------------------------------------------------------------ validation

/** A read that threw (a getter, a proxy trap). */
const UNREADABLE = Symbol('unreadable');

class Ctx {
  readonly problems: string[] = [];
  private extra = 0;
  note(path: string, message: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(`${path}: ${message}`);
    else this.extra++;
  }
  finish(): string[] {
    if (this.extra > 0) this.problems.push(`... and ${this.extra} more problems`);
    return this.problems;
  }
}

/** What a value is, for a message (never prints the value itself beyond a short number or string). */
function kind(v: unknown): string {
  if (v === UNREADABLE) return 'an unreadable value';
  if (v === null) return 'null';
  if (v === undefined) return 'undefined (a hole)';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return v.length > 24 ? `a string of ${v.length} characters` : JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  let arr = false;
  try {
    arr = Array.isArray(v);
  } catch {
    return 'an unreadable value';
  }
  return arr ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  try {
    return !Array.isArray(v);
  } catch {
    return false;
  }
}

function isArray(v: unknown): v is unknown[] {
  try {
    return Array.isArray(v);
  } catch {
    return false;
  }
}

/** Own property `key` of o, undefined when absent, UNREADABLE when reading threw. */
function read(o: object, key: string | number): unknown {
  try {
    if (!Object.prototype.hasOwnProperty.call(o, key)) return undefined;
    return (o as Record<string | number, unknown>)[key];
  } catch {
    return UNREADABLE;
  }
}

function arrayLength(a: unknown[]): number {
  try {
    const n = a.length;
    return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : -1;
  } catch {
    return -1;
  }
}

/** Reports (and so drops: the result is built from known keys only) own keys of o that are not in `known`. */
function reportUnknown(ctx: Ctx, o: object, known: readonly string[], path: string): void {
  let keys: string[];
  try {
    keys = Object.keys(o);
  } catch {
    ctx.note(path || '(root)', 'its fields could not be listed');
    return;
  }
  let unknown = 0;
  for (const k of keys) {
    if (known.includes(k)) continue;
    unknown++;
    if (unknown <= 20) ctx.note(path ? `${path}.${showKey(k)}` : showKey(k), 'unknown field; dropped');
  }
  if (unknown > 20) ctx.note(path || '(root)', `${unknown - 20} more unknown fields dropped`);
}

function showKey(k: string): string {
  return k.length > 40 ? `${k.slice(0, 37)}...` : k;
}

/** The object at o[key] (undefined when missing; reported and undefined when not an object). */
function sub(ctx: Ctx, o: object, key: string, path: string): Record<string, unknown> | undefined {
  const v = read(o, key);
  if (v === undefined) return undefined;
  if (!isRecord(v)) {
    ctx.note(path, `expected an object, got ${kind(v)}; using the defaults`);
    return undefined;
  }
  return v;
}

function num(ctx: Ctx, o: object | undefined, key: string, path: string, def: number, min: number, max: number, integer = false): number {
  if (o === undefined) return def;
  const v = read(o, key);
  if (v === undefined) return def;
  if (typeof v !== 'number') {
    ctx.note(path, `not a number (${kind(v)}); using ${def}`);
    return def;
  }
  if (!Number.isFinite(v)) {
    ctx.note(path, `not a finite number (${kind(v)}); using ${def}`);
    return def;
  }
  let x = v;
  if (integer && !Number.isInteger(x)) {
    x = Math.round(x);
    ctx.note(path, `${v} is not an integer; using ${x}`);
  }
  if (x < min || x > max) {
    const c = x < min ? min : max;
    ctx.note(path, `${x} is outside ${min}..${max}; using ${c}`);
    return c;
  }
  return x;
}

function bool(ctx: Ctx, o: object | undefined, key: string, path: string, def: boolean): boolean {
  if (o === undefined) return def;
  const v = read(o, key);
  if (v === undefined) return def;
  if (typeof v !== 'boolean') {
    ctx.note(path, `not true or false (${kind(v)}); using ${def}`);
    return def;
  }
  return v;
}

/** A position {x, y}; a bad coordinate takes the default's. Returns null when v is not an object at all. */
function point(ctx: Ctx, v: unknown, path: string, def: Point2): Point2 | null {
  if (!isRecord(v)) {
    ctx.note(path, `expected {x, y}, got ${kind(v)}`);
    return null;
  }
  reportUnknown(ctx, v, ['x', 'y'], path);
  const [lo, hi] = POSITION_RANGE;
  return { x: num(ctx, v, 'x', `${path}.x`, def.x, lo, hi), y: num(ctx, v, 'y', `${path}.y`, def.y, lo, hi) };
}

const ROOT_KEYS = ['version', 'enabled', 'output', 'fit', 'cornerPin', 'mesh', 'softEdge', 'masks', 'testPattern'] as const;

/**
 * Validates per-output mapping settings. `input` is parsed JSON or a JSON string. Never throws.
 */
export function validateMappingSettings(input: unknown): MappingValidation {
  const ctx = new Ctx();
  const settings = defaultMappingSettings();
  try {
    validateInto(ctx, input, settings);
  } catch (e) {
    // Not expected (every read is guarded), but a show must not stop for a settings file.
    ctx.note('(root)', `could not be read (${e instanceof Error ? e.name : 'error'}); using the defaults`);
    return { settings: defaultMappingSettings(), problems: ctx.finish() };
  }
  return { settings, problems: ctx.finish() };
}

function validateInto(ctx: Ctx, input: unknown, s: MappingSettings): void {
  let root = input;
  if (typeof input === 'string') {
    try {
      root = JSON.parse(input);
    } catch (e) {
      ctx.note('(root)', `not valid JSON (${e instanceof Error ? e.message.slice(0, 80) : 'parse error'}); using the defaults`);
      return;
    }
  }
  if (!isRecord(root)) {
    ctx.note('(root)', `expected an object, got ${kind(root)}; using the defaults`);
    return;
  }
  reportUnknown(ctx, root, ROOT_KEYS, '');

  const version = read(root, 'version');
  if (version !== undefined) {
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
      ctx.note('version', `not a version number (${kind(version)}); reading as version ${MAPPING_SETTINGS_VERSION}`);
    } else if (version > MAPPING_SETTINGS_VERSION) {
      ctx.note('version', `${version} is newer than this build understands (${MAPPING_SETTINGS_VERSION}); reading what it can`);
    }
  }
  // Migrations from older versions go here, keyed on `version`, before the fields are read.
  // 1 → 2: `fit` is new; its absence is not a problem (the default applies, as for any missing field).

  s.enabled = bool(ctx, root, 'enabled', 'enabled', s.enabled);

  const out = sub(ctx, root, 'output', 'output');
  if (out) {
    reportUnknown(ctx, out, ['width', 'height'], 'output');
    s.output.width = num(ctx, out, 'width', 'output.width', s.output.width, 1, MAX_OUTPUT_SIDE, true);
    s.output.height = num(ctx, out, 'height', 'output.height', s.output.height, 1, MAX_OUTPUT_SIDE, true);
  }

  const fit = read(root, 'fit');
  if (fit !== undefined) {
    if (typeof fit === 'string' && (FIT_MODES as readonly string[]).includes(fit)) s.fit = fit as FitMode;
    else ctx.note('fit', `${kind(fit)} is not one of ${FIT_MODES.join(', ')}; using "${s.fit}"`);
  }

  const cp = sub(ctx, root, 'cornerPin', 'cornerPin');
  if (cp) readCornerPin(ctx, cp, s.cornerPin);

  const mesh = sub(ctx, root, 'mesh', 'mesh');
  if (mesh) readMesh(ctx, mesh, s.mesh);

  const se = sub(ctx, root, 'softEdge', 'softEdge');
  if (se) {
    reportUnknown(ctx, se, ['enabled', 'left', 'right', 'bottom', 'top'], 'softEdge');
    s.softEdge.enabled = bool(ctx, se, 'enabled', 'softEdge.enabled', s.softEdge.enabled);
    for (const side of ['left', 'right', 'bottom', 'top'] as const) {
      const path = `softEdge.${side}`;
      const e = sub(ctx, se, side, path);
      if (!e) continue;
      reportUnknown(ctx, e, ['width', 'curve', 'gamma'], path);
      const d = s.softEdge[side];
      d.width = num(ctx, e, 'width', `${path}.width`, d.width, 0, SOFT_EDGE_MAX_WIDTH);
      d.curve = num(ctx, e, 'curve', `${path}.curve`, d.curve, SOFT_EDGE_CURVE_RANGE[0], SOFT_EDGE_CURVE_RANGE[1]);
      d.gamma = num(ctx, e, 'gamma', `${path}.gamma`, d.gamma, SOFT_EDGE_GAMMA_RANGE[0], SOFT_EDGE_GAMMA_RANGE[1]);
    }
  }

  const masks = read(root, 'masks');
  if (masks !== undefined) readMasks(ctx, masks, s);

  const tp = sub(ctx, root, 'testPattern', 'testPattern');
  if (tp) {
    reportUnknown(ctx, tp, ['enabled', 'pattern'], 'testPattern');
    s.testPattern.enabled = bool(ctx, tp, 'enabled', 'testPattern.enabled', s.testPattern.enabled);
    const p = read(tp, 'pattern');
    if (p !== undefined) {
      if (typeof p === 'string' && (TEST_PATTERNS as readonly string[]).includes(p)) s.testPattern.pattern = p as TestPattern;
      else ctx.note('testPattern.pattern', `${kind(p)} is not one of ${TEST_PATTERNS.join(', ')}; using "${s.testPattern.pattern}"`);
    }
  }
}

function readCornerPin(ctx: Ctx, cp: Record<string, unknown>, d: CornerPinSettings): void {
  reportUnknown(ctx, cp, ['enabled', 'corners'], 'cornerPin');
  d.enabled = bool(ctx, cp, 'enabled', 'cornerPin.enabled', d.enabled);
  const corners = read(cp, 'corners');
  if (corners === undefined) return;
  if (!isArray(corners) || arrayLength(corners) !== 4) {
    ctx.note('cornerPin.corners', `expected 4 corners, got ${isArray(corners) ? `${arrayLength(corners)} entries` : kind(corners)}; using the full output`);
    return;
  }
  const got = unitCorners();
  for (let i = 0; i < 4; i++) {
    const p = point(ctx, read(corners, i), `cornerPin.corners[${i}]`, got[i]);
    if (p === null) {
      ctx.note('cornerPin.corners', 'using the full output');
      return;
    }
    got[i] = p;
  }
  const q = [got[0].x, got[0].y, got[1].x, got[1].y, got[2].x, got[2].y, got[3].x, got[3].y];
  const problem = quadProblem(q);
  if (problem !== null) {
    ctx.note('cornerPin.corners', `${quadProblemMessage(problem)}; using the full output`);
    return;
  }
  d.corners = got;
}

function readMesh(ctx: Ctx, m: Record<string, unknown>, d: MeshSettings): void {
  reportUnknown(ctx, m, ['enabled', 'cols', 'rows', 'points'], 'mesh');
  d.enabled = bool(ctx, m, 'enabled', 'mesh.enabled', d.enabled);
  const cols = num(ctx, m, 'cols', 'mesh.cols', d.cols, MESH_MIN, MESH_MAX, true);
  const rows = num(ctx, m, 'rows', 'mesh.rows', d.rows, MESH_MIN, MESH_MAX, true);
  const identity = identityPoints(cols, rows);
  d.cols = cols;
  d.rows = rows;
  d.points = identity;
  const pts = read(m, 'points');
  if (pts === undefined) return;
  if (!isArray(pts)) {
    ctx.note('mesh.points', `expected an array, got ${kind(pts)}; using the identity grid`);
    return;
  }
  const n = arrayLength(pts);
  if (n !== cols * rows) {
    ctx.note('mesh.points', `${n < 0 ? 'unreadable length' : `${n} points`}, expected cols × rows = ${cols * rows}; using the identity grid`);
    return;
  }
  const got: Point2[] = [];
  for (let i = 0; i < n; i++) {
    const p = point(ctx, read(pts, i), `mesh.points[${i}]`, identity[i]);
    got.push(p ?? identity[i]);
  }
  d.points = got;
}

function readMasks(ctx: Ctx, masks: unknown, s: MappingSettings): void {
  if (!isArray(masks)) {
    ctx.note('masks', `expected an array, got ${kind(masks)}; no masks`);
    return;
  }
  let n = arrayLength(masks);
  if (n < 0) {
    ctx.note('masks', 'unreadable length; no masks');
    return;
  }
  if (n > MAX_MASKS) {
    ctx.note('masks', `${n} masks, at most ${MAX_MASKS}; the rest dropped`);
    n = MAX_MASKS;
  }
  for (let i = 0; i < n; i++) {
    const path = `masks[${i}]`;
    const m = read(masks, i);
    if (!isRecord(m)) {
      ctx.note(path, `expected an object, got ${kind(m)}; dropped`);
      continue;
    }
    reportUnknown(ctx, m, ['name', 'enabled', 'inverted', 'feather', 'points'], path);
    let name = `mask ${i + 1}`;
    const rawName = read(m, 'name');
    if (typeof rawName === 'string') {
      name = rawName.length > MAX_MASK_NAME ? rawName.slice(0, MAX_MASK_NAME) : rawName;
      if (rawName.length > MAX_MASK_NAME) ctx.note(`${path}.name`, `longer than ${MAX_MASK_NAME} characters; cut`);
    } else if (rawName !== undefined) ctx.note(`${path}.name`, `not a string (${kind(rawName)}); using "${name}"`);
    const enabled = bool(ctx, m, 'enabled', `${path}.enabled`, true);
    const inverted = bool(ctx, m, 'inverted', `${path}.inverted`, false);
    const feather = num(ctx, m, 'feather', `${path}.feather`, 0, 0, MASK_MAX_FEATHER);
    const raw = read(m, 'points');
    if (!isArray(raw)) {
      ctx.note(`${path}.points`, `expected an array of {x, y}, got ${kind(raw)}; mask dropped`);
      continue;
    }
    const len = arrayLength(raw);
    if (len < 3 || len > MASK_MAX_POINTS) {
      ctx.note(`${path}.points`, `${len < 0 ? 'unreadable length' : `${len} points`}; a mask needs 3..${MASK_MAX_POINTS}; mask dropped`);
      continue;
    }
    const points: Point2[] = [];
    for (let k = 0; k < len; k++) {
      const pp = `${path}.points[${k}]`;
      const v = read(raw, k);
      if (!isRecord(v)) {
        ctx.note(pp, `expected {x, y}, got ${kind(v)}; point dropped`);
        continue;
      }
      reportUnknown(ctx, v, ['x', 'y'], pp);
      const x = read(v, 'x');
      const y = read(v, 'y');
      if (typeof x !== 'number' || !Number.isFinite(x) || typeof y !== 'number' || !Number.isFinite(y)) {
        ctx.note(typeof x !== 'number' || !Number.isFinite(x) ? `${pp}.x` : `${pp}.y`, `not a finite number (${kind(typeof x !== 'number' || !Number.isFinite(x) ? x : y)}); point dropped`);
        continue;
      }
      const [lo, hi] = POSITION_RANGE;
      const cx = x < lo ? lo : x > hi ? hi : x;
      const cy = y < lo ? lo : y > hi ? hi : y;
      if (cx !== x || cy !== y) ctx.note(pp, `outside ${lo}..${hi}; clamped`);
      points.push({ x: cx, y: cy });
    }
    if (points.length < 3) {
      ctx.note(`${path}.points`, `only ${points.length} usable points; mask dropped`);
      continue;
    }
    const mask: MaskSettings = { name, enabled, inverted, feather, points };
    if (isSelfIntersecting(maskPolygon(mask))) {
      ctx.note(`${path}.points`, 'the outline crosses itself: kept (the even-odd rule decides inside), but it cannot be triangulated');
    }
    s.masks.push(mask);
  }
}
