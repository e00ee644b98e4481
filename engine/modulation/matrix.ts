/**
 * The modulation matrix: routes from sources (features, onset envelopes, beat clock, LFOs,
 * constants, external slots) to parameters of the bank. Routes are added, edited and removed
 * at the edge (validated, string ids resolved, packed into typed arrays); `evaluate` runs once
 * per frame, allocates nothing, and writes the bank's modulated output (never the performer's
 * base values).
 */
import type { ParamBank } from '../params/index.ts';
import { CURVE_EXP, CURVE_LINEAR, CURVE_LOG, CURVE_S, shapeForward } from '../params/curves.ts';
import { CHROMA_BINS, F, type Seconds } from '../features/layout.ts';
import {
  CLOCK_BAR_PHASE,
  CLOCK_BEAT,
  K_CHROMA_HUE,
  K_CLOCK,
  K_CONST,
  K_EXT,
  K_FEATURE,
  K_FEATURE_RAW,
  K_LEVEL_METER,
  K_LFO_FREE,
  K_LFO_SYNC,
  K_ONSET,
  LFO_SAW,
  LFO_SINE,
  LFO_SQUARE,
  LFO_TRIANGLE,
  ONSET_ALL,
  parseSource,
  seedOf,
  type SourceDesc,
} from './sources.ts';
import { checkRoute } from './validate.ts';
import type { ModulationInputs, ResolvedRoute, RouteProblem, RouteSpec } from './types.ts';

const CURVE_STEPS = 4;
// Pitch class i sits at angle 2π·(7i mod 12)/12 on the circle of fifths.
const FIFTHS_COS = new Float64Array(CHROMA_BINS);
const FIFTHS_SIN = new Float64Array(CHROMA_BINS);
for (let i = 0; i < CHROMA_BINS; i++) {
  const a = (2 * Math.PI * ((i * 7) % CHROMA_BINS)) / CHROMA_BINS;
  FIFTHS_COS[i] = Math.cos(a);
  FIFTHS_SIN[i] = Math.sin(a);
}
// Route flags (rFlags).
const F_INVERT = 1;
const F_CLAMP = 2;
const F_ON = 4;
const F_PRIMED = 8;
/** A whole colour: the route also feeds the two targets after its own (g and b). */
const F_RGB = 16;
/** Steepness of a route's exp/log curve (e^k - 1 over the travel: about 1:55). */
const ROUTE_CURVE_K = 4;
const COMPONENTS: Readonly<Record<string, number>> = { r: 0, g: 1, b: 2 };

function curveCodeOf(c: ResolvedRoute['curve']): number {
  return c === 'exp' ? CURVE_EXP : c === 'log' ? CURVE_LOG : c === 's-curve' ? CURVE_S : c === 'steps' ? CURVE_STEPS : CURVE_LINEAR;
}

/** Result of adding or editing a route: its key, or the problems that kept it out. */
export interface RouteResult {
  readonly ok: boolean;
  /** Stable key of the route (for update/remove), -1 when refused. */
  readonly key: number;
  readonly problems: readonly RouteProblem[];
  readonly warnings: readonly RouteProblem[];
}

/** A route as the UI lists it. */
export interface RouteStatus {
  readonly key: number;
  readonly route: ResolvedRoute;
  /** False while its target is not a registered, modulatable parameter (a scene not mounted yet). */
  readonly active: boolean;
  readonly message?: string;
}

interface Entry {
  key: number;
  route: ResolvedRoute;
  source: number;
  /** Smoothing state carried across repacks. */
  state: number;
  primed: boolean;
  active: boolean;
  message?: string;
}

export class ModulationMatrix {
  /**
   * External source slots (MIDI, OSC...) the control layer writes by index (`externalSlot`).
   * Registering a new slot may replace this array: re-read it after registering.
   */
  external: Float32Array = new Float32Array(32);
  /** Routes evaluated in the last frame (enabled and active). */
  activeRoutes = 0;

  private readonly extIndex = new Map<string, number>();
  private extCount = 0;

  // ---- sources (struct of arrays, indexed by numeric source id) ----
  private readonly srcIndex = new Map<string, number>();
  private srcCount = 0;
  private sKind = new Uint8Array(8);
  private sIndex = new Int32Array(8);
  private sA = new Float64Array(8);
  private sB = new Float64Array(8);
  private sBars = new Uint8Array(8);
  private sSeed = new Int32Array(8);
  private sPhase = new Float64Array(8);
  private sCycle = new Float64Array(8);
  private sValue = new Float64Array(8);
  private sUsed = new Uint8Array(8);

  // ---- routes (packed, in evaluation order) ----
  private entries: Entry[] = [];
  private nextKey = 1;
  private n = 0;
  private rKey = new Int32Array(0);
  private rSource = new Int32Array(0);
  private rTarget = new Int32Array(0);
  private rAmount = new Float64Array(0);
  private rOffset = new Float64Array(0);
  private rCurve = new Uint8Array(0);
  private rSteps = new Float64Array(0);
  private rAttack = new Float64Array(0);
  private rRelease = new Float64Array(0);
  private rFlags = new Uint8Array(0);
  private rState = new Float64Array(0);
  private rOut = new Float64Array(0);

  // ---- targets: one per modulated (parameter, slot) ----
  private tCount = 0;
  private tId = new Int32Array(0);
  private tComp = new Int32Array(0);
  private tSum = new Float64Array(0);
  private bankVersion = -1;

  constructor(private readonly bank: ParamBank) {}

  // ------------------------------------------------------------------ edges (may allocate)

  /** Index of an external slot by name (created at 0 when new); the control layer writes `external[i]`. */
  externalSlot(name: string): number {
    const known = this.extIndex.get(name);
    if (known !== undefined) return known;
    const i = this.extCount++;
    if (i >= this.external.length) {
      const b = new Float32Array(this.external.length * 2);
      b.set(this.external);
      this.external = b;
    }
    this.extIndex.set(name, i);
    return i;
  }

  /** Names of every external slot (MIDI controls seen, OSC `/ext/` names, slots routes named), oldest first. */
  externalNames(): string[] {
    return [...this.extIndex.keys()];
  }

  /** Write an external slot (by index from `externalSlot`); non-finite values are ignored. */
  setExternal(slot: number, value: number): void {
    if (slot >= 0 && slot < this.extCount && value - value === 0) this.external[slot] = value;
  }

  /** Add a route. Invalid specs are refused with per-field problems; nothing throws. */
  add(spec: unknown): RouteResult {
    const check = checkRoute(spec);
    if (!check.ok) return { ok: false, key: -1, problems: check.problems, warnings: [] };
    const key = this.nextKey++;
    this.saveState();
    this.entries.push({ key, route: check.route, source: this.sourceOf(check.route.source), state: 0, primed: false, active: false });
    this.repack();
    return { ok: true, key, problems: [], warnings: check.warnings };
  }

  /** Change fields of a route; the edited route is validated whole and left as it was on problems. */
  update(key: number, patch: Partial<RouteSpec>): RouteResult {
    const e = this.entries.find((x) => x.key === key);
    if (!e) return { ok: false, key, problems: [{ field: '', message: `no route with key ${key}` }], warnings: [] };
    const check = checkRoute({ ...e.route, ...(patch !== null && typeof patch === 'object' ? patch : {}) });
    if (!check.ok) return { ok: false, key, problems: check.problems, warnings: [] };
    this.saveState();
    const sourceChanged = check.route.source !== e.route.source;
    e.route = check.route;
    if (sourceChanged) {
      e.source = this.sourceOf(check.route.source);
      e.primed = false;
    }
    this.repack();
    return { ok: true, key, problems: [], warnings: check.warnings };
  }

  /** Remove a route; false when no route has that key. */
  remove(key: number): boolean {
    const i = this.entries.findIndex((x) => x.key === key);
    if (i < 0) return false;
    this.saveState();
    this.entries.splice(i, 1);
    this.repack();
    return true;
  }

  /** Replace every route (a preset or a scene's defaults). Returns one result per spec, in order. */
  setRoutes(specs: unknown): RouteResult[] {
    this.saveState();
    this.entries = [];
    const list = Array.isArray(specs) ? specs : [];
    const out: RouteResult[] = [];
    if (!Array.isArray(specs)) out.push({ ok: false, key: -1, problems: [{ field: '', message: `routes must be an array, got ${typeof specs}` }], warnings: [] });
    for (const spec of list) {
      const check = checkRoute(spec);
      if (!check.ok) {
        out.push({ ok: false, key: -1, problems: check.problems, warnings: [] });
        continue;
      }
      const key = this.nextKey++;
      this.entries.push({ key, route: check.route, source: this.sourceOf(check.route.source), state: 0, primed: false, active: false });
      out.push({ ok: true, key, problems: [], warnings: check.warnings });
    }
    this.repack();
    return out;
  }

  /** Every route as plain JSON (every field filled in), for presets. */
  specs(): ResolvedRoute[] {
    return this.entries.map((e) => ({ ...e.route }));
  }

  /** Every route with whether it is active and why not. */
  status(): RouteStatus[] {
    if (this.bank.version !== this.bankVersion) {
      this.saveState();
      this.repack();
    }
    return this.entries.map((e) => (e.message === undefined ? { key: e.key, route: { ...e.route }, active: e.active } : { key: e.key, route: { ...e.route }, active: e.active, message: e.message }));
  }

  /** Number of routes held (active or not). */
  get count(): number {
    return this.entries.length;
  }

  /** A route's contribution in the last frame, on its target's 0..1 scale (0 for unknown keys). */
  contributionOf(key: number): number {
    const i = this.entries.findIndex((x) => x.key === key);
    return i >= 0 && i < this.n ? this.rOut[i] : 0;
  }

  private sourceOf(id: string): number {
    const parsed = parseSource(id);
    if (!parsed.ok) return -1; // checkRoute already refused it
    const d: SourceDesc = parsed.source;
    const known = this.srcIndex.get(d.id);
    if (known !== undefined) return known;
    const s = this.srcCount++;
    if (s >= this.sKind.length) {
      const cap = this.sKind.length * 2;
      const f64 = (a: Float64Array) => {
        const b = new Float64Array(cap);
        b.set(a);
        return b;
      };
      const k = new Uint8Array(cap);
      k.set(this.sKind);
      this.sKind = k;
      const idx = new Int32Array(cap);
      idx.set(this.sIndex);
      this.sIndex = idx;
      const bars = new Uint8Array(cap);
      bars.set(this.sBars);
      this.sBars = bars;
      const seed = new Int32Array(cap);
      seed.set(this.sSeed);
      this.sSeed = seed;
      const used = new Uint8Array(cap);
      used.set(this.sUsed);
      this.sUsed = used;
      this.sA = f64(this.sA);
      this.sB = f64(this.sB);
      this.sPhase = f64(this.sPhase);
      this.sCycle = f64(this.sCycle);
      this.sValue = f64(this.sValue);
    }
    this.srcIndex.set(d.id, s);
    this.sKind[s] = d.kind;
    this.sIndex[s] = d.kind === K_EXT ? this.externalSlot(d.ext) : d.index;
    this.sA[s] = d.a;
    this.sB[s] = d.b;
    this.sBars[s] = d.bars;
    this.sSeed[s] = seedOf(d.id);
    this.sPhase[s] = 0;
    this.sCycle[s] = 0;
    this.sValue[s] = d.kind === K_CONST ? d.a : 0;
    return s;
  }

  /** Copy the packed smoothing state back into the entries before the arrays are rebuilt. */
  private saveState(): void {
    for (let i = 0; i < this.n && i < this.entries.length; i++) {
      const e = this.entries[i];
      if (this.rKey[i] === e.key) {
        e.state = this.rState[i];
        e.primed = (this.rFlags[i] & F_PRIMED) !== 0;
      }
    }
  }

  /** Resolve targets against the bank and pack routes into typed arrays (edge time only). */
  private repack(): void {
    // callers copy the packed smoothing state into the entries first (saveState)
    const bank = this.bank;
    this.bankVersion = bank.version;
    const n = this.entries.length;
    this.n = n;
    this.rKey = new Int32Array(n);
    this.rSource = new Int32Array(n);
    this.rTarget = new Int32Array(n);
    this.rAmount = new Float64Array(n);
    this.rOffset = new Float64Array(n);
    this.rCurve = new Uint8Array(n);
    this.rSteps = new Float64Array(n);
    this.rAttack = new Float64Array(n);
    this.rRelease = new Float64Array(n);
    this.rFlags = new Uint8Array(n);
    this.rState = new Float64Array(n);
    this.rOut = new Float64Array(n);
    const targetIndex = new Map<string, number>();
    const tIds: number[] = [];
    const tComps: number[] = [];
    const targetOf = (id: number, comp: number): number => {
      const k = `${id}:${comp}`;
      let t = targetIndex.get(k);
      if (t === undefined) {
        t = tIds.length;
        tIds.push(id);
        tComps.push(comp);
        targetIndex.set(k, t);
      }
      return t;
    };
    for (let i = 0; i < n; i++) {
      const e = this.entries[i];
      const r = e.route;
      const dot = r.target.lastIndexOf('.');
      const path = dot > 0 ? r.target.slice(0, dot) : r.target;
      const comp = dot > 0 ? COMPONENTS[r.target.slice(dot + 1)] : -1;
      const id = bank.idOf(path);
      const decl = bank.declOf(id);
      e.active = false;
      e.message = undefined;
      let target = -1;
      let target2 = -1;
      if (!decl) e.message = `no parameter ${path} (yet): the route waits for it`;
      else if (decl.type === 'trigger') e.message = `${path} is a trigger: triggers cannot be modulated`;
      else if (comp >= 0 && decl.type !== 'color') e.message = `${r.target}: .r/.g/.b only applies to colours (${path} is a ${decl.type})`;
      else {
        e.active = true;
        if (decl.type === 'color' && comp < 0) {
          // a whole colour: three consecutive targets, one per component
          target = targetOf(id, 0);
          target2 = targetOf(id, 1);
          targetOf(id, 2);
        } else target = targetOf(id, comp < 0 ? 0 : comp);
      }
      this.rKey[i] = e.key;
      this.rSource[i] = e.source;
      this.rTarget[i] = target;
      this.rAmount[i] = r.amount;
      this.rOffset[i] = r.offset;
      this.rCurve[i] = curveCodeOf(r.curve);
      this.rSteps[i] = r.steps;
      this.rAttack[i] = r.attack;
      this.rRelease[i] = r.release;
      this.rState[i] = e.state;
      this.rFlags[i] =
        (r.invert ? F_INVERT : 0) |
        (r.clamp ? F_CLAMP : 0) |
        (r.enabled && e.active && e.source >= 0 ? F_ON : 0) |
        (e.primed ? F_PRIMED : 0) |
        (target2 >= 0 ? F_RGB : 0);
    }
    for (let s = 0; s < this.srcCount; s++) this.sUsed[s] = 0;
    for (const e of this.entries) if (e.source >= 0) this.sUsed[e.source] = 1;
    this.tCount = tIds.length;
    this.tId = Int32Array.from(tIds);
    this.tComp = Int32Array.from(tComps);
    this.tSum = new Float64Array(this.tCount);
  }

  // ------------------------------------------------------------------ hot path (once per frame)

  /**
   * Evaluate every route for a frame `dt` seconds after the previous one and write the bank's
   * modulated output. Call after features and the clock are updated and before `bank.endFrame()`.
   * Allocates nothing (unless the bank's parameter set changed since the last frame: then the
   * routes are resolved again once, which is set-up work).
   */
  evaluate(dt: Seconds, smoothed: Float32Array, normalized: Float32Array, inputs: ModulationInputs): void {
    if (this.bank.version !== this.bankVersion) {
      this.saveState();
      this.repack();
    }
    const step = dt > 0 && dt < 1e6 ? dt : 0;
    this.updateSources(step, smoothed, normalized, inputs);

    const sum = this.tSum;
    for (let t = 0; t < this.tCount; t++) sum[t] = 0;
    const val = this.sValue;
    let active = 0;
    for (let i = 0; i < this.n; i++) {
      const flags = this.rFlags[i];
      if ((flags & F_ON) === 0) {
        this.rOut[i] = 0;
        continue;
      }
      active++;
      let x = val[this.rSource[i]];
      if (!(x === x)) x = 0;
      if ((flags & F_CLAMP) !== 0) x = x < 0 ? 0 : x > 1 ? 1 : x;
      if ((flags & F_INVERT) !== 0) x = 1 - x;
      const c = this.rCurve[i];
      if (c === CURVE_STEPS) {
        const levels = this.rSteps[i];
        const xc = x < 0 ? 0 : x > 1 ? 1 : x;
        const k = Math.floor(xc * levels);
        x = (k >= levels ? levels - 1 : k) / (levels - 1);
      } else if (c !== CURVE_LINEAR) {
        x = shapeForward(c, ROUTE_CURVE_K, x);
      }
      // Attack/release: exact for any dt when the input holds between frames.
      let y = x;
      if ((flags & F_PRIMED) !== 0) {
        const prev = this.rState[i];
        const tau = x > prev ? this.rAttack[i] : this.rRelease[i];
        if (tau > 0) y = prev + (x - prev) * (step > 0 ? 1 - Math.exp(-step / tau) : 0);
      } else {
        this.rFlags[i] = flags | F_PRIMED;
      }
      this.rState[i] = y;
      const out = this.rOffset[i] + this.rAmount[i] * y;
      this.rOut[i] = out;
      const t = this.rTarget[i];
      sum[t] += out;
      if ((flags & F_RGB) !== 0) {
        sum[t + 1] += out;
        sum[t + 2] += out;
      }
    }
    this.activeRoutes = active;
    this.bank.applyModulation(this.tId, this.tComp, sum, this.tCount);
  }

  private updateSources(dt: Seconds, smoothed: Float32Array, normalized: Float32Array, inp: ModulationInputs): void {
    const bpb = inp.beatsPerBar > 0 ? inp.beatsPerBar : 4;
    const position = inp.beatCount + inp.beatPhase;
    // LFO shapes are written out here rather than called: a helper V8 does not inline would box
    // its double arguments and result (an allocation per LFO per frame).
    let lfo = false;
    let lfoPhase = 0;
    let lfoCycle = 0;
    for (let s = 0; s < this.srcCount; s++) {
      if (this.sUsed[s] === 0) continue;
      const idx = this.sIndex[s];
      lfo = false;
      switch (this.sKind[s]) {
        case K_FEATURE:
          this.sValue[s] = smoothed[idx];
          break;
        case K_FEATURE_RAW:
          this.sValue[s] = normalized[idx];
          break;
        case K_ONSET: {
          const input = idx === ONSET_ALL ? inp.onset : inp.bandOnsets[idx];
          const hl = this.sA[s];
          if (hl > 0) {
            // Peak hold with a longer tail: the decay compounds exactly whatever the frame split.
            const held = this.sValue[s] * Math.exp((-dt * Math.LN2) / hl);
            this.sValue[s] = input > held ? input : held;
          } else this.sValue[s] = input;
          break;
        }
        case K_CLOCK:
          this.sValue[s] = idx === CLOCK_BEAT ? inp.beat : idx === CLOCK_BAR_PHASE ? inp.barPhase : inp.beatPhase;
          break;
        case K_LFO_SYNC: {
          let rel = position;
          let len = this.sA[s];
          if (this.sBars[s] === 1) {
            len *= bpb;
            // Bars start where the clock's bar phase says (its bar origin is a whole beat).
            const barStart = Math.round(position - inp.barPhase * bpb);
            rel = position - (barStart - bpb * Math.floor(barStart / bpb));
          }
          const x = rel / len + this.sB[s];
          lfoCycle = Math.floor(x);
          lfoPhase = x - lfoCycle;
          lfo = true;
          break;
        }
        case K_LFO_FREE: {
          let ph = this.sPhase[s] + this.sA[s] * dt;
          if (ph >= 1) {
            const w = Math.floor(ph);
            this.sCycle[s] += w;
            ph -= w;
          }
          this.sPhase[s] = ph;
          const x = ph + this.sB[s];
          const wrap = Math.floor(x);
          lfoPhase = x - wrap;
          lfoCycle = this.sCycle[s] + wrap;
          lfo = true;
          break;
        }
        case K_EXT:
          this.sValue[s] = this.external[idx];
          break;
        case K_LEVEL_METER: {
          const m = inp.meter;
          this.sValue[s] = m !== undefined && m === m ? m : 0;
          break;
        }
        case K_CHROMA_HUE: {
          // Squared weights favour the strongest pitch classes; silence holds the last hue.
          let x = 0;
          let y = 0;
          for (let i = 0; i < CHROMA_BINS; i++) {
            const c = smoothed[F.chroma + i];
            const w = c > 0 ? c * c : 0;
            x += w * FIFTHS_COS[i];
            y += w * FIFTHS_SIN[i];
          }
          if (x * x + y * y > 1e-12) {
            const h = Math.atan2(y, x) / (2 * Math.PI);
            this.sValue[s] = h < 0 ? h + 1 : h;
          }
          break;
        }
        default:
          break; // constants hold their value
      }
      if (lfo) {
        const p = lfoPhase;
        let v: number;
        switch (idx) {
          case LFO_SINE:
            v = 0.5 - 0.5 * Math.cos(2 * Math.PI * p); // 0 on the beat, 1 half-way
            break;
          case LFO_TRIANGLE:
            v = p < 0.5 ? 2 * p : 2 - 2 * p;
            break;
          case LFO_SAW:
            v = p;
            break;
          case LFO_SQUARE:
            v = p < 0.5 ? 1 : 0;
            break;
          default: {
            // sample-and-hold: a hash of the cycle number, so every frame rate draws the same values
            let h = Math.imul((lfoCycle | 0) ^ this.sSeed[s], 0x9e3779b1);
            h ^= h >>> 15;
            h = Math.imul(h, 0x85ebca77);
            h ^= h >>> 13;
            h = Math.imul(h, 0xc2b2ae35);
            h ^= h >>> 16;
            v = (h >>> 0) / 4294967296;
          }
        }
        this.sValue[s] = v;
      }
    }
  }
}

/**
 * Source ids of the external slots known now (`ext:midi:1:cc:74`, `ext:<osc name>`...), for the
 * source lists of the UI; empty without a matrix. Edge use: allocates.
 */
export function externalSourceIds(matrix: ModulationMatrix | null): string[] {
  return matrix === null ? [] : matrix.externalNames().map((n) => `ext:${n}`);
}
