/**
 * The parameter bank: every registered parameter's value lives in one Float32Array
 * (`bank.values`) at a fixed slot offset, so the frame tick, modulation and uniforms read and
 * write by numeric id with no allocation. String paths exist only at the edges (`idOf`,
 * `setByPath`, `describe`, `snapshot`/`restore`). Values never throw: bad ones are refused or
 * corrected, counted, and explained in `lastWarning`.
 */
import type { Unit01 } from '../features/layout.ts';
import { CURVE_LINEAR, curveCode, curveSteepness, shapeForward, shapeInverse } from './curves.ts';
import { parseBoolean, parseColor, parseEnum, parseNumber, show, type Parsed } from './sanitize.ts';
import type {
  ParamDecls,
  ParamDescription,
  ParamId,
  ParamSnapshot,
  ParamType,
  ParamValue,
  ResolvedParam,
  RestoreReport,
  SetResult,
} from './types.ts';

const T_NUMBER = 0;
const T_COLOR = 1;
const T_BOOLEAN = 2;
const T_ENUM = 3;
const T_TRIGGER = 4;
const TYPE_CODES: Readonly<Record<ParamType, number>> = { number: T_NUMBER, color: T_COLOR, boolean: T_BOOLEAN, enum: T_ENUM, trigger: T_TRIGGER };

// Warning codes: the hot path records a code and numbers; the text is built only when read.
const W_NONE = 0;
const W_UNKNOWN_ID = 1;
const W_NOT_FINITE = 2;
const W_CLAMPED = 3;
const W_NEEDS_COLOR = 4;
const W_NORMALIZED_RANGE = 5;
const W_TEXT = 6;

export interface RestoreOptions {
  /** What happens to registered parameters the snapshot does not mention. Default 'keep'. */
  missing?: 'keep' | 'default';
  /** Only consider parameters under this scope (e.g. '/scene/veil'). */
  scope?: string;
}

/** Shortest decimal that reads back as the same float32 (keeps presets readable and exact). */
function tidy(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return x;
  const f = Math.fround(x);
  for (let p = 1; p <= 9; p++) {
    const d = Number(f.toPrecision(p));
    if (Math.fround(d) === f) return d;
  }
  return f;
}

function growF32(a: Float32Array, n: number): Float32Array {
  if (a.length >= n) return a;
  const b = new Float32Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}
function growF64(a: Float64Array, n: number): Float64Array {
  if (a.length >= n) return a;
  const b = new Float64Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}
function growI32(a: Int32Array, n: number): Int32Array {
  if (a.length >= n) return a;
  const b = new Int32Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}
function growU8(a: Uint8Array, n: number): Uint8Array {
  if (a.length >= n) return a;
  const b = new Uint8Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

function sameDecl(a: ResolvedParam, b: ResolvedParam): boolean {
  return (
    a.type === b.type &&
    a.size === b.size &&
    a.min === b.min &&
    a.max === b.max &&
    a.curve === b.curve &&
    a.step === b.step &&
    a.unit === b.unit &&
    a.description === b.description &&
    a.defaults.length === b.defaults.length &&
    a.defaults.every((v, i) => v === b.defaults[i]) &&
    a.options.length === b.options.length &&
    a.options.every((v, i) => v === b.options[i])
  );
}

export class ParamBank {
  /**
   * All parameter values, by slot offset (`offsetOf(id)`). Registration may replace this array
   * (it grows), so read `bank.values` each frame rather than keeping the array across a register.
   */
  values: Float32Array;
  /**
   * What scenes read this frame: `values` plus modulation, same layout. Rebuilt by `endFrame`
   * (slots no route wrote this frame mirror `values`), so the performer's values stay untouched.
   * Registration may replace this array too.
   */
  output: Float32Array;
  /** Values refused (NaN, wrong type, unknown id or path). */
  rejections = 0;
  /** Values corrected (clamped into range, rounded to an option). */
  corrections = 0;
  /** Increments on every registration that changed the set of parameters (UI re-lists on change). */
  version = 0;

  private meta: ResolvedParam[] = [];
  private readonly byPath = new Map<string, ParamId>();
  private n = 0;
  private slots = 0;
  private offset: Int32Array = new Int32Array(16);
  private type: Uint8Array = new Uint8Array(16);
  private curve: Uint8Array = new Uint8Array(16);
  private min: Float64Array = new Float64Array(16);
  private max: Float64Array = new Float64Array(16);
  private steep: Float64Array = new Float64Array(16);
  private step: Float64Array = new Float64Array(16);
  private pending: Int32Array = new Int32Array(16);
  private fires: Int32Array = new Int32Array(16);
  private total: Float64Array = new Float64Array(16);
  private triggerIds: Int32Array = new Int32Array(16);
  private triggerCount = 0;
  /** Per slot: 1 when modulation wrote `output` this frame. */
  private modulated: Uint8Array = new Uint8Array(16);

  private wCode = W_NONE;
  private wId = -1;
  private wValue = 0;
  private wText: string | null = null;

  constructor(initialSlots = 256) {
    this.values = new Float32Array(Math.max(16, initialSlots | 0));
    this.output = new Float32Array(this.values.length);
  }

  /** Number of registered parameters (ids are 0..count-1). */
  get count(): number {
    return this.n;
  }

  /** Slots in use in `values`. */
  get slotCount(): number {
    return this.slots;
  }

  // ---------------------------------------------------------------- registration (set-up time)

  /**
   * Register a scope's declarations (from `defineParams`). Returns the ids by name. Registering
   * the same declarations again returns the same ids and keeps the values (scenes remount);
   * a changed declaration for an existing path keeps its id, takes the new range and clamps
   * the value into it (a warning says so). Never throws.
   */
  register<K extends string>(set: ParamDecls<K>): Record<K, ParamId> {
    const ids = {} as Record<K, ParamId>;
    const list: readonly ResolvedParam[] = set && Array.isArray(set.params) ? set.params : [];
    if (list.length === 0 && !(set && Array.isArray(set.params))) {
      this.warnText(`register: expected declarations from defineParams, got ${show(set)}`, true);
      return ids;
    }
    for (const p of list) {
      if (!p || typeof p.path !== 'string' || !(p.type in TYPE_CODES) || !Array.isArray(p.defaults) || p.defaults.length !== p.size) {
        this.warnText(`register: skipped a malformed declaration ${show(p?.path ?? p)}`, true);
        continue;
      }
      (ids as Record<string, ParamId>)[p.name] = this.registerOne(p);
    }
    return ids;
  }

  private registerOne(p: ResolvedParam): ParamId {
    const existing = this.byPath.get(p.path);
    if (existing !== undefined) {
      const old = this.meta[existing];
      if (sameDecl(old, p)) return existing;
      this.version++;
      const reuseSlots = old.size === p.size;
      this.meta[existing] = p;
      this.fill(existing, p, reuseSlots ? this.offset[existing] : this.allocSlots(p.size));
      if (reuseSlots && old.type === p.type) {
        // keep the performer's value, pulled into the new range
        for (let k = 0; k < p.size; k++) {
          const o = this.offset[existing] + k;
          const v = this.values[o];
          this.values[o] = this.output[o] = v < p.min ? p.min : v > p.max ? p.max : v;
        }
      } else {
        this.writeDefaults(existing);
      }
      this.warnText(`${p.path} was declared again with a different ${old.type === p.type ? 'range or options' : `type (${old.type} -> ${p.type})`}; the new declaration is used`, false);
      return existing;
    }
    const id = this.n++;
    this.version++;
    const cap = this.n;
    this.offset = growI32(this.offset, cap);
    this.type = growU8(this.type, cap);
    this.curve = growU8(this.curve, cap);
    this.min = growF64(this.min, cap);
    this.max = growF64(this.max, cap);
    this.steep = growF64(this.steep, cap);
    this.step = growF64(this.step, cap);
    this.pending = growI32(this.pending, cap);
    this.fires = growI32(this.fires, cap);
    this.total = growF64(this.total, cap);
    this.meta.push(p);
    this.byPath.set(p.path, id);
    this.fill(id, p, this.allocSlots(p.size));
    this.writeDefaults(id);
    return id;
  }

  private allocSlots(size: number): number {
    const at = this.slots;
    this.slots += size;
    this.values = growF32(this.values, this.slots);
    this.output = growF32(this.output, this.slots);
    this.modulated = growU8(this.modulated, this.slots);
    return at;
  }

  private fill(id: ParamId, p: ResolvedParam, offset: number): void {
    const t = TYPE_CODES[p.type];
    this.offset[id] = offset;
    this.type[id] = t;
    this.curve[id] = t === T_NUMBER ? curveCode(p.curve) : CURVE_LINEAR;
    this.min[id] = p.min;
    this.max[id] = p.max;
    this.steep[id] = curveSteepness(p.min, p.max);
    this.step[id] = t === T_NUMBER ? p.step : t === T_ENUM || t === T_BOOLEAN ? 1 : 0;
    this.pending[id] = 0;
    this.fires[id] = 0;
    let listed = false;
    for (let i = 0; i < this.triggerCount; i++) if (this.triggerIds[i] === id) listed = true;
    if (t === T_TRIGGER && !listed) {
      this.triggerIds = growI32(this.triggerIds, this.triggerCount + 1);
      this.triggerIds[this.triggerCount++] = id;
    } else if (t !== T_TRIGGER && listed) {
      let j = 0;
      for (let i = 0; i < this.triggerCount; i++) if (this.triggerIds[i] !== id) this.triggerIds[j++] = this.triggerIds[i];
      this.triggerCount = j;
    }
  }

  private writeDefaults(id: ParamId): void {
    const p = this.meta[id];
    for (let k = 0; k < p.size; k++) this.values[this.offset[id] + k] = this.output[this.offset[id] + k] = p.defaults[k];
    this.pending[id] = 0;
    this.fires[id] = 0;
  }

  // ---------------------------------------------------------------- lookup (edges)

  /** Id of a path, or -1 (safe to pass to get/set, which then do nothing harmful). */
  idOf(path: string): ParamId {
    return this.byPath.get(path) ?? -1;
  }

  has(path: string): boolean {
    return this.byPath.has(path);
  }

  pathOf(id: ParamId): string | undefined {
    return this.valid(id) ? this.meta[id].path : undefined;
  }

  /** The resolved declaration of an id. */
  declOf(id: ParamId): ResolvedParam | undefined {
    return this.valid(id) ? this.meta[id] : undefined;
  }

  /** First slot of an id in `values`, or -1. */
  offsetOf(id: ParamId): number {
    return this.valid(id) ? this.offset[id] : -1;
  }

  private valid(id: ParamId): boolean {
    return id >= 0 && id < this.n && (id | 0) === id;
  }

  // ---------------------------------------------------------------- hot path (by id, no allocation)

  /**
   * Set a value in native units. Numbers clamp into range (and snap to their step), booleans
   * read >= 0.5 as on, enums round to an option index, a trigger fires on any value > 0.
   * NaN/Infinity keep the last good value. Returns false when refused. Allocates nothing for
   * numeric input; other types go through the edge parsers.
   */
  set(id: ParamId, value: number): boolean {
    // Every valid case stays in this small method: V8 boxes (allocates) a double passed to or
    // returned from a call it does not inline, so this must stay small enough to be inlined.
    // Enums and booleans are stored as integers with step 1, so they share the number path.
    if (id >= 0 && id < this.n && (id | 0) === id && typeof value === 'number' && value - value === 0) {
      const t = this.type[id];
      if (t === T_NUMBER || t === T_BOOLEAN || t === T_ENUM) {
        const lo = this.min[id];
        const hi = this.max[id];
        let x = value;
        if (x < lo || x > hi) {
          x = x < lo ? lo : hi;
          if (t !== T_BOOLEAN) this.warn(W_CLAMPED, id, value, false); // any value >= 0.5 means on
        }
        const st = this.step[id];
        if (st > 0) x = lo + Math.round((x - lo) / st) * st;
        this.values[this.offset[id]] = x > hi ? hi : x;
        return true;
      }
      if (t === T_TRIGGER) {
        if (value > 0) {
          this.pending[id]++;
          this.total[id]++;
        }
        return true;
      }
    }
    return this.setSlow(id, value);
  }

  private setSlow(id: ParamId, value: number): boolean {
    if (!(id >= 0 && id < this.n && (id | 0) === id)) return this.warn(W_UNKNOWN_ID, id, 0, true);
    if (typeof value !== 'number') return this.setLoose(id, value).ok;
    if (value !== value || value === Infinity || value === -Infinity) return this.warn(W_NOT_FINITE, id, value, true);
    return this.warn(W_NEEDS_COLOR, id, value, true);
  }

  /**
   * Set from a 0..1 control position through the parameter's curve (a knob, fader or CC).
   * Booleans and triggers switch at 0.5; enums spread their options over 0..1.
   */
  setNormalized(id: ParamId, v: Unit01): boolean {
    // Small fast path for every valid case (see `set`); refusals and clamping go the slow way.
    if (id >= 0 && id < this.n && (id | 0) === id && v >= 0 && v <= 1) {
      const t = this.type[id];
      if (t === T_NUMBER || t === T_BOOLEAN || t === T_ENUM) {
        const lo = this.min[id];
        const hi = this.max[id];
        let x = lo + (hi - lo) * shapeForward(this.curve[id], this.steep[id], v);
        const st = this.step[id];
        if (st > 0) x = lo + Math.round((x - lo) / st) * st;
        this.values[this.offset[id]] = x < lo ? lo : x > hi ? hi : x;
        return true;
      }
      if (t === T_TRIGGER) {
        if (v >= 0.5) {
          this.pending[id]++;
          this.total[id]++;
        }
        return true;
      }
    }
    return this.setNormalizedSlow(id, v);
  }

  private setNormalizedSlow(id: ParamId, v: Unit01): boolean {
    if (!(id >= 0 && id < this.n && (id | 0) === id)) return this.warn(W_UNKNOWN_ID, id, 0, true);
    if (typeof v !== 'number' || v !== v || v === Infinity || v === -Infinity) return this.warn(W_NOT_FINITE, id, typeof v === 'number' ? v : Number.NaN, true);
    if (this.type[id] === T_COLOR) return this.warn(W_NEEDS_COLOR, id, v, true);
    this.warn(W_NORMALIZED_RANGE, id, v, false);
    return this.setNormalized(id, v < 0 ? 0 : 1);
  }

  /** Set a colour from components 0..1 (clamped; a non-finite component refuses the whole colour). */
  setColor(id: ParamId, r: number, g: number, b: number): boolean {
    if (id >= 0 && id < this.n && (id | 0) === id && this.type[id] === T_COLOR && r >= 0 && r <= 1 && g >= 0 && g <= 1 && b >= 0 && b <= 1) {
      const off = this.offset[id];
      this.values[off] = r;
      this.values[off + 1] = g;
      this.values[off + 2] = b;
      return true;
    }
    return this.setColorSlow(id, r, g, b);
  }

  private setColorSlow(id: ParamId, r: number, g: number, b: number): boolean {
    if (!(id >= 0 && id < this.n && (id | 0) === id)) return this.warn(W_UNKNOWN_ID, id, 0, true);
    if (this.type[id] !== T_COLOR) return this.warnText(`${this.meta[id].path} is a ${this.meta[id].type}, not a colour`, true);
    if (!Number.isFinite(r) || !Number.isFinite(g) || !Number.isFinite(b)) {
      return this.warn(W_NOT_FINITE, id, Number.isFinite(r) ? (Number.isFinite(g) ? b : g) : r, true);
    }
    const off = this.offset[id];
    const cr = r < 0 ? 0 : r > 1 ? 1 : r;
    const cg = g < 0 ? 0 : g > 1 ? 1 : g;
    const cb = b < 0 ? 0 : b > 1 ? 1 : b;
    this.warn(W_CLAMPED, id, cr !== r ? r : cg !== g ? g : b, false);
    this.values[off] = cr;
    this.values[off + 1] = cg;
    this.values[off + 2] = cb;
    return true;
  }

  /** Fire a trigger: it reads 1 for the frame after the next `endFrame`, and its counters advance. */
  fire(id: ParamId): void {
    if (!(id >= 0 && id < this.n && (id | 0) === id) || this.type[id] !== T_TRIGGER) {
      this.warn(W_UNKNOWN_ID, id, 0, true);
      return;
    }
    this.pending[id]++;
    this.total[id]++;
  }

  /**
   * Value in native units (number, 0/1, enum index, trigger 0/1; a colour's red component —
   * use getColor). Unknown ids read 0.
   */
  get(id: ParamId): number {
    if (!(id >= 0 && id < this.n && (id | 0) === id)) return 0;
    return this.values[this.offset[id]];
  }

  /** Control position 0..1 of the value (inverse of setNormalized). */
  getNormalized(id: ParamId): Unit01 {
    if (!(id >= 0 && id < this.n && (id | 0) === id)) return 0;
    // one formula for all types: enums, booleans, triggers and colour components are linear
    const lo = this.min[id];
    const span = this.max[id] - lo;
    if (!(span > 0)) return 0; // an enum with a single option
    const u = (this.values[this.offset[id]] - lo) / span;
    const c = this.curve[id];
    return c === CURVE_LINEAR ? u : shapeInverse(c, this.steep[id], u);
  }

  /** Copy a colour's r, g, b into `out` at `at`. Returns false (out untouched) for non-colours. */
  getColor(id: ParamId, out: { [i: number]: number }, at = 0): boolean {
    if (!(id >= 0 && id < this.n && (id | 0) === id) || this.type[id] !== T_COLOR) return false;
    const off = this.offset[id];
    out[at] = this.values[off];
    out[at + 1] = this.values[off + 1];
    out[at + 2] = this.values[off + 2];
    return true;
  }

  /** Triggers fired since the start of the show (monotonic: compare to see how many happened). */
  fireCount(id: ParamId): number {
    return this.valid(id) ? this.total[id] : 0;
  }

  /** How many fires the current frame's pulse stands for (2 if fired twice between frames). */
  firesThisFrame(id: ParamId): number {
    return this.valid(id) ? this.fires[id] : 0;
  }

  /**
   * Call once per frame. Triggers fired since the previous call read 1 from now until the next
   * call, then 0; fires between two calls collapse into one pulse whose count is in
   * `firesThisFrame`, so none is lost whatever the frame rate.
   */
  endFrame(): void {
    const ids = this.triggerIds;
    for (let i = 0; i < this.triggerCount; i++) {
      const id = ids[i];
      const p = this.pending[id];
      this.fires[id] = p;
      this.pending[id] = 0;
      this.values[this.offset[id]] = p > 0 ? 1 : 0;
    }
    const v = this.values;
    const o = this.output;
    const m = this.modulated;
    for (let s = 0; s < this.slots; s++) {
      if (m[s] === 0) o[s] = v[s];
      else m[s] = 0;
    }
  }

  /**
   * Modulated value of this frame in native units (what scenes draw with; a colour's red —
   * use getOutputColor). Equals `get` for parameters no route touches. Unknown ids read 0.
   */
  getOutput(id: ParamId): number {
    if (!(id >= 0 && id < this.n && (id | 0) === id)) return 0;
    return this.output[this.offset[id]];
  }

  /** Copy a colour's modulated r, g, b into `out` at `at`. Returns false for non-colours. */
  getOutputColor(id: ParamId, out: { [i: number]: number }, at = 0): boolean {
    if (!(id >= 0 && id < this.n && (id | 0) === id) || this.type[id] !== T_COLOR) return false;
    const off = this.offset[id];
    out[at] = this.output[off];
    out[at + 1] = this.output[off + 1];
    out[at + 2] = this.output[off + 2];
    return true;
  }

  /**
   * Modulation's write, once per frame before `endFrame`: for each i, the output of parameter
   * `ids[i]` (slot `components[i]`: 0, or 0..2 of a colour) becomes its base control position
   * plus `deltas[i]`, clamped to 0..1 and mapped through the parameter's curve and step. The
   * base values are not touched. Triggers, unknown ids and NaN deltas are skipped. Numbers
   * travel in typed arrays so no double is boxed on the way in.
   */
  applyModulation(ids: Int32Array, components: Int32Array, deltas: Float64Array, count: number): void {
    const values = this.values;
    const output = this.output;
    for (let i = 0; i < count; i++) {
      const id = ids[i];
      const d = deltas[i];
      if (!(id >= 0 && id < this.n) || !(d === d)) continue;
      const t = this.type[id];
      const c = components[i];
      const off = this.offset[id];
      if (t === T_COLOR) {
        if (!(c >= 0 && c < 3)) continue;
        const v = values[off + c] + d;
        output[off + c] = v < 0 ? 0 : v > 1 ? 1 : v;
        this.modulated[off + c] = 1;
        continue;
      }
      if (t === T_TRIGGER || c !== 0) continue;
      const lo = this.min[id];
      const hi = this.max[id];
      const span = hi - lo;
      const code = this.curve[id];
      const k = this.steep[id];
      let u = span > 0 ? (values[off] - lo) / span : 0;
      if (code !== CURVE_LINEAR) u = shapeInverse(code, k, u);
      u += d;
      u = u < 0 ? 0 : u > 1 ? 1 : u;
      let x = lo + span * (code === CURVE_LINEAR ? u : shapeForward(code, k, u));
      const st = this.step[id];
      if (st > 0) x = lo + Math.round((x - lo) / st) * st;
      output[off] = x < lo ? lo : x > hi ? hi : x;
      this.modulated[off] = 1;
    }
  }

  // ---------------------------------------------------------------- warnings

  /** The newest refusal or correction, in words (null when there has been none). */
  get lastWarning(): string | null {
    if (this.wText !== null || this.wCode === W_NONE) return this.wText;
    const id = this.wId;
    const p = this.valid(id) ? this.meta[id] : null;
    const path = p ? p.path : `id ${show(id)}`;
    const v = show(this.wValue);
    switch (this.wCode) {
      case W_UNKNOWN_ID:
        this.wText = p ? `${path} is not a trigger` : `no parameter with ${path}`;
        break;
      case W_NOT_FINITE:
        this.wText = `${path}: ${v} is not a finite number; kept ${p ? show(this.valueOf(id)) : 'nothing'}`;
        break;
      case W_CLAMPED:
        this.wText = `${path}: ${v} is outside ${p?.min}..${p?.max}; clamped`;
        break;
      case W_NEEDS_COLOR:
        this.wText = `${path} is a colour: use setColor(id, r, g, b) or setByPath with '#rrggbb' or [r, g, b]`;
        break;
      case W_NORMALIZED_RANGE:
        this.wText = `${path}: normalised value ${v} is outside 0..1; clamped`;
        break;
    }
    return this.wText;
  }

  /** Record a coded warning (no allocation); returns `!refused` for convenient `return`. */
  private warn(code: number, id: number, value: number, refused: boolean): boolean {
    if (refused) this.rejections++;
    else this.corrections++;
    this.wCode = code;
    this.wId = id;
    this.wValue = value;
    this.wText = null;
    return !refused;
  }

  private warnText(text: string, refused: boolean): boolean {
    if (refused) this.rejections++;
    else this.corrections++;
    this.wCode = W_TEXT;
    this.wText = text;
    return !refused;
  }

  // ---------------------------------------------------------------- edges (may allocate)

  /** Native plain value of a parameter (enum by name, colour as [r, g, b]); null for triggers or unknown ids. */
  valueOf(id: ParamId): ParamValue | null {
    if (!this.valid(id)) return null;
    const t = this.type[id];
    const off = this.offset[id];
    const x = this.values[off];
    switch (t) {
      case T_NUMBER:
        return tidy(x);
      case T_BOOLEAN:
        return x >= 0.5;
      case T_ENUM:
        return this.meta[id].options[x] ?? this.meta[id].options[0];
      case T_COLOR:
        return [tidy(x), tidy(this.values[off + 1]), tidy(this.values[off + 2])];
      default:
        return null;
    }
  }

  /** Value at a path, or undefined when no such parameter. */
  getByPath(path: string): ParamValue | null | undefined {
    const id = this.byPath.get(path);
    return id === undefined ? undefined : this.valueOf(id);
  }

  /**
   * Set by path from any loosely typed value (OSC arguments, preset JSON, UI text): numeric
   * strings, enum names or indexes, 'on'/'off', '#rrggbb'. Never throws; the result says what
   * happened. A trigger fires on any truthy value or none.
   */
  setByPath(path: string, value?: unknown): SetResult {
    const id = typeof path === 'string' ? this.byPath.get(path) : undefined;
    if (id === undefined) {
      const message = `unknown parameter ${show(path)}${this.suggest(path)}`;
      this.warnText(message, true);
      return { ok: false, path: String(path), id: -1, message };
    }
    return this.setLoose(id, value);
  }

  private suggest(path: unknown): string {
    if (typeof path !== 'string') return '';
    const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
    const near: string[] = [];
    for (const p of this.meta) if (p.name.toLowerCase() === name || (p.scope !== '' && path.startsWith(p.scope + '/'))) near.push(p.path);
    return near.length > 0 ? ` (did you mean ${near.slice(0, 3).join(', ')}?)` : '';
  }

  private setLoose(id: ParamId, value: unknown): SetResult {
    const p = this.meta[id];
    const t = this.type[id];
    const fail = (message: string): SetResult => {
      const text = `${p.path}: ${message}`;
      this.warnText(text, true);
      return { ok: false, path: p.path, id, message: text };
    };
    let parsed: Parsed<number | boolean | [number, number, number]>;
    switch (t) {
      case T_NUMBER:
        parsed = parseNumber(value);
        break;
      case T_BOOLEAN:
        parsed = parseBoolean(value);
        break;
      case T_ENUM:
        parsed = parseEnum(value, p.options);
        break;
      case T_COLOR:
        parsed = parseColor(value);
        break;
      default: {
        // trigger: fires on a bang (no value), true, a number > 0, 'bang'/'on'/'true'/'1'
        const fires = value === undefined || value === null || value === 'bang' || (Array.isArray(value) && value.length === 0);
        const b = fires ? ({ ok: true, value: true } as const) : parseBoolean(typeof value === 'number' ? (value > 0 ? 1 : 0) : value);
        if (!b.ok) return fail(b.message);
        if (b.value) this.fire(id);
        return { ok: true, path: p.path, id, value: b.value };
      }
    }
    if (!parsed.ok) return fail(parsed.message);
    const before = this.corrections;
    let note = parsed.note;
    if (t === T_COLOR) {
      const c = parsed.value as [number, number, number];
      this.setColor(id, c[0], c[1], c[2]);
    } else if (t === T_BOOLEAN) {
      this.values[this.offset[id]] = parsed.value ? 1 : 0;
    } else if (t === T_ENUM) {
      this.values[this.offset[id]] = parsed.value as number;
    } else {
      this.set(id, parsed.value as number);
    }
    if (this.corrections > before && note === undefined) note = this.lastWarning ?? undefined;
    else if (note !== undefined) this.warnText(`${p.path}: ${note}`, false);
    const out: SetResult = { ok: true, path: p.path, id, value: this.valueOf(id) as ParamValue };
    return note === undefined ? out : { ...out, message: note.startsWith(p.path) ? note : `${p.path}: ${note}` };
  }

  /** Every parameter described for the UI and OSCQuery, in id order. */
  describe(): ParamDescription[] {
    const out: ParamDescription[] = [];
    for (let id = 0; id < this.n; id++) {
      const p = this.meta[id];
      let def: ParamValue | null;
      switch (p.type) {
        case 'number':
          def = p.defaults[0];
          break;
        case 'boolean':
          def = p.defaults[0] >= 0.5;
          break;
        case 'enum':
          def = p.options[p.defaults[0]];
          break;
        case 'color':
          def = [p.defaults[0], p.defaults[1], p.defaults[2]].map(tidy) as [number, number, number];
          break;
        default:
          def = null;
      }
      out.push({
        id,
        path: p.path,
        scope: p.scope,
        name: p.name,
        type: p.type,
        min: p.min,
        max: p.max,
        default: def,
        value: this.valueOf(id),
        unit: p.unit,
        description: p.description,
        curve: p.curve,
        step: p.step,
        options: p.options,
        offset: this.offset[id],
        size: p.size,
      });
    }
    return out;
  }

  /** Native values of every non-trigger parameter (optionally under one scope), keyed by path: plain JSON. */
  snapshot(scope?: string): ParamSnapshot {
    const out: ParamSnapshot = {};
    for (let id = 0; id < this.n; id++) {
      const p = this.meta[id];
      if (p.type === 'trigger' || !this.inScope(p, scope)) continue;
      out[p.path] = this.valueOf(id) as ParamValue;
    }
    return out;
  }

  /**
   * Apply a snapshot. Unknown keys are ignored and listed, bad values are refused or corrected
   * and listed, missing parameters keep their value (or take their default with
   * `missing: 'default'`). Never throws.
   */
  restore(snapshot: unknown, opts: RestoreOptions = {}): RestoreReport {
    const unknown: string[] = [];
    const missing: string[] = [];
    const problems: { path: string; message: string }[] = [];
    let applied = 0;
    if (snapshot === null || typeof snapshot !== 'object' || Array.isArray(snapshot)) {
      const message = `a snapshot must be an object keyed by parameter path, got ${show(snapshot)}`;
      this.warnText(message, true);
      return { applied, unknown, missing, problems: [{ path: '', message }] };
    }
    const obj = snapshot as Record<string, unknown>;
    const seen = new Set<ParamId>();
    for (const key of Object.keys(obj)) {
      const id = this.byPath.get(key);
      if (id === undefined || !this.inScope(this.meta[id], opts.scope)) {
        unknown.push(key);
        continue;
      }
      if (this.meta[id].type === 'trigger') continue; // momentary: never restored
      seen.add(id);
      const r = this.setLoose(id, obj[key]);
      if (r.ok) applied++;
      if (r.message !== undefined) problems.push({ path: key, message: r.message });
    }
    for (let id = 0; id < this.n; id++) {
      const p = this.meta[id];
      if (seen.has(id) || p.type === 'trigger' || !this.inScope(p, opts.scope)) continue;
      missing.push(p.path);
      if (opts.missing === 'default') this.writeDefaults(id);
    }
    return { applied, unknown, missing, problems };
  }

  /** Every parameter (or those under `scope`) back to its declared default; pending triggers dropped. */
  resetToDefaults(scope?: string): void {
    for (let id = 0; id < this.n; id++) if (this.inScope(this.meta[id], scope)) this.writeDefaults(id);
  }

  private inScope(p: ResolvedParam, scope: string | undefined): boolean {
    if (scope === undefined) return true;
    const s = scope.endsWith('/') ? scope.slice(0, -1) : scope;
    return p.path.startsWith(s + '/');
  }
}
