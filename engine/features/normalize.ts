/**
 * Adaptive per-feature normalisation: makes "0..1" (unit mode) or "1.0 = normal" (ratio mode)
 * mean the same for a whisper and a club PA, so a scene written against one room works in
 * another. Adaptation is time-based (seconds) and frame-rate independent; a level gate keeps
 * near-silence from being blown up into full-scale noise; outputs are always finite and bounded.
 * Configuration is plain data (one entry per feature slot); `update` allocates nothing.
 */
import { FEATURE_DECLS, F, type Db, type FeatureDecl, type Seconds } from './layout.ts';
import { tauFromSettleTime } from './smooth.ts';

/**
 * - `pass`: clamp into [min, max] (defaults 0..1), unchanged otherwise (flags, chroma, ratios).
 * - `fixed`: map a known range [min, max] to 0..1, linearly or on a log scale (Hz).
 * - `ratio`: value / long-term average, so 1.0 means "normal for this track and room".
 * - `unit`: (value - low) / (high - low) between running low and high envelopes, so 0..1
 *   spans what this material does.
 */
export type NormalizeMode = 'pass' | 'fixed' | 'ratio' | 'unit';

/** How one feature slot is normalised. Plain data: safe to store in presets. */
export interface SlotNormalize {
  readonly mode: NormalizeMode;
  /**
   * ratio/unit: what kind of number the slot holds.
   * - `level` (default): a non-negative amplitude or energy. Envelopes are tracked on a log
   *   scale, so a 30 dB drop settles in `adapt` seconds just like a 30 dB rise; the unit output
   *   stays linear between them (punchy), and a ratio is value / running geometric mean
   *   (≈ the typical level, so 1.0 = a normal moment and peaks read above 1).
   * - `db`: already in decibels (loudness): tracked and mapped in dB, a ratio is the dB
   *   difference to the running mean turned into an amplitude ratio, the floor is in dB.
   * - `linear`: a signed quantity (MFCC): tracked and mapped linearly; ratio makes no sense here.
   */
  readonly domain?: 'level' | 'db' | 'linear';
  /** pass/fixed: the range. pass defaults to 0..1. */
  readonly min?: number;
  readonly max?: number;
  /** fixed: `log` maps min..max geometrically (min must be > 0); values <= min map to 0. */
  readonly curve?: 'linear' | 'log';
  /** ratio/unit: seconds to settle (within 5 %) after a lasting change of level. Default 6. */
  readonly adapt?: Seconds;
  /** unit: seconds for the high envelope to catch a louder passage (and the low one a quieter). Default adapt / 15. */
  readonly follow?: Seconds;
  /**
   * ratio/unit: absolute floor in the slot's own units (linear value, or dB for `db`). At or
   * below it the output is 0 and adaptation pauses; fully open one doubling (6 dB) above it.
   * Omit to disable.
   */
  readonly floor?: number;
  /** unit: smallest low-to-high span in native units, so a steady input is not stretched into flicker. */
  readonly minSpan?: number;
  /** unit, linear domain: smallest span relative to the larger envelope magnitude (e.g. 0.5). */
  readonly minSpanRel?: number;
  /** ratio: output ceiling (default 4). */
  readonly maxRatio?: number;
  /** Scale the output (and pause adaptation) by the shared level gate. Default true for ratio/unit. */
  readonly gated?: boolean;
}

/** Closes every gated slot when the overall level (a dB slot, normally loudness) is low. */
export interface LevelGate {
  /** Slot holding a level in dBFS. */
  readonly slot: number;
  /** At or below this level gated outputs are 0 and adaptation pauses. */
  readonly closedDb: Db;
  /** At or above this level the gate is fully open. */
  readonly openDb: Db;
}

export interface NormalizerConfig {
  readonly slots: readonly SlotNormalize[];
  readonly gate?: LevelGate | null;
}

export type NormalizeStyle = 'unit' | 'ratio';

const M_PASS = 0;
const M_FIXED = 1;
const M_RATIO = 2;
const M_UNIT = 3;

const D_LEVEL = 0;
const D_DB = 1;
const D_LINEAR = 2;

const DEFAULT_ADAPT: Seconds = 6;
const FOLLOW_DIVISOR = 15;
const DEFAULT_MAX_RATIO = 4;
/** Smallest linear denominator: keeps x / avg finite for all-zero inputs. */
const TINY = 1e-20;

function finiteOr(x: number | undefined, fallback: number): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : fallback;
}

/**
 * Normalises a feature vector slot by slot. Construct once (set-up time), then call `update`
 * once per frame or per hop with the elapsed seconds.
 */
export class FeatureNormalizer {
  readonly size: number;
  /** The newest normalised vector (also returned by `update`). */
  readonly output: Float32Array;
  /** Level gate position after the newest update: 0 closed .. 1 open. */
  gateGain = 1;
  /** Problems found in the configuration (each was replaced by a safe default). */
  readonly warnings: readonly string[];

  private readonly mode: Uint8Array;
  private readonly domain: Uint8Array;
  private readonly gated: Uint8Array;
  private readonly logMap: Uint8Array;
  private readonly hasFloor: Uint8Array;
  private readonly lo: Float64Array; // pass/fixed: range min; unit: low envelope
  private readonly hi: Float64Array; // pass/fixed: range max; unit: high envelope
  private readonly rangeMin: Float64Array;
  private readonly rangeMax: Float64Array;
  private readonly avg: Float64Array;
  private readonly tauSlow: Float64Array;
  private readonly kSlow: Float64Array;
  private readonly kFast: Float64Array;
  private readonly floor: Float64Array;
  private readonly minSpan: Float64Array;
  private readonly minSpanRel: Float64Array;
  private readonly maxRatio: Float64Array;
  private readonly elapsed: Float64Array;
  private readonly gateSlot: number;
  /** dt of the current update (see `update`). */
  private stepDt: Seconds = 0.5;
  private readonly gateClosed: Db;
  private readonly gateOpen: Db;

  constructor(config: NormalizerConfig = defaultNormalizerConfig()) {
    const warnings: string[] = [];
    const slots = Array.isArray(config?.slots) ? config.slots : [];
    if (!Array.isArray(config?.slots)) warnings.push('normalizer config has no slots array');
    const n = slots.length;
    this.size = n;
    this.output = new Float32Array(n);
    this.mode = new Uint8Array(n);
    this.domain = new Uint8Array(n);
    this.gated = new Uint8Array(n);
    this.logMap = new Uint8Array(n);
    this.hasFloor = new Uint8Array(n);
    this.lo = new Float64Array(n);
    this.hi = new Float64Array(n);
    this.rangeMin = new Float64Array(n);
    this.rangeMax = new Float64Array(n);
    this.avg = new Float64Array(n);
    this.tauSlow = new Float64Array(n);
    this.kSlow = new Float64Array(n);
    this.kFast = new Float64Array(n);
    this.floor = new Float64Array(n);
    this.minSpan = new Float64Array(n);
    this.minSpanRel = new Float64Array(n);
    this.maxRatio = new Float64Array(n);
    this.elapsed = new Float64Array(n);

    for (let i = 0; i < n; i++) {
      const s = slots[i];
      const where = `normalizer slot ${i}`;
      const m = s?.mode;
      const mode = m === 'pass' ? M_PASS : m === 'fixed' ? M_FIXED : m === 'ratio' ? M_RATIO : m === 'unit' ? M_UNIT : -1;
      if (mode < 0) {
        warnings.push(`${where}: unknown mode ${JSON.stringify(m)}, passing through 0..1`);
        this.mode[i] = M_PASS;
        this.rangeMin[i] = 0;
        this.rangeMax[i] = 1;
        continue;
      }
      this.mode[i] = mode;
      this.domain[i] = s.domain === 'db' ? D_DB : s.domain === 'linear' ? D_LINEAR : D_LEVEL;
      if (s.domain !== undefined && s.domain !== 'db' && s.domain !== 'linear' && s.domain !== 'level') {
        warnings.push(`${where}: unknown domain ${JSON.stringify(s.domain)}, using level`);
      }
      if (mode === M_RATIO && this.domain[i] === D_LINEAR) {
        warnings.push(`${where}: ratio needs a level or db domain (signed values have no ratio), using level`);
        this.domain[i] = D_LEVEL;
      }
      this.gated[i] = (s.gated ?? (mode === M_RATIO || mode === M_UNIT)) ? 1 : 0;
      let lo = finiteOr(s.min, mode === M_FIXED ? Number.NaN : 0);
      let hi = finiteOr(s.max, mode === M_FIXED ? Number.NaN : 1);
      if (mode === M_FIXED && !(hi > lo)) {
        warnings.push(`${where}: fixed mode needs finite min < max, using 0..1`);
        lo = 0;
        hi = 1;
      }
      if (mode === M_PASS && hi < lo) {
        warnings.push(`${where}: pass range max < min, swapped`);
        const t = lo;
        lo = hi;
        hi = t;
      }
      this.logMap[i] = s.curve === 'log' ? 1 : 0;
      if (this.logMap[i] === 1 && !(lo > 0)) {
        warnings.push(`${where}: log curve needs min > 0, using linear`);
        this.logMap[i] = 0;
      }
      this.rangeMin[i] = lo;
      this.rangeMax[i] = hi;
      let adapt = finiteOr(s.adapt, DEFAULT_ADAPT);
      if (!(adapt > 0)) {
        warnings.push(`${where}: adapt must be > 0 seconds, using ${DEFAULT_ADAPT}`);
        adapt = DEFAULT_ADAPT;
      }
      let follow = finiteOr(s.follow, adapt / FOLLOW_DIVISOR);
      if (!(follow > 0) || follow > adapt) {
        warnings.push(`${where}: follow must be in (0, adapt], using adapt / ${FOLLOW_DIVISOR}`);
        follow = adapt / FOLLOW_DIVISOR;
      }
      const tSlow = tauFromSettleTime(adapt);
      this.tauSlow[i] = tSlow;
      this.kSlow[i] = 1 / tSlow;
      this.kFast[i] = 1 / tauFromSettleTime(follow);
      this.hasFloor[i] = typeof s.floor === 'number' && Number.isFinite(s.floor) ? 1 : 0;
      this.floor[i] = this.hasFloor[i] === 1 ? (s.floor as number) : 0;
      this.minSpan[i] = Math.max(0, finiteOr(s.minSpan, 0));
      this.minSpanRel[i] = Math.max(0, finiteOr(s.minSpanRel, 0));
      this.maxRatio[i] = Math.max(0, finiteOr(s.maxRatio, DEFAULT_MAX_RATIO));
    }

    const g = config?.gate;
    if (g && Number.isInteger(g.slot) && g.slot >= 0 && g.slot < n && Number.isFinite(g.closedDb) && Number.isFinite(g.openDb) && g.openDb > g.closedDb) {
      this.gateSlot = g.slot;
      this.gateClosed = g.closedDb;
      this.gateOpen = g.openDb;
    } else {
      if (g) warnings.push('normalizer gate needs a slot inside the vector and finite closedDb < openDb; gate disabled');
      this.gateSlot = -1;
      this.gateClosed = 0;
      this.gateOpen = 0;
    }
    this.warnings = warnings;
    this.reset();
  }

  /**
   * Advance by `dt` seconds with the newest raw features `input` (at least `size` values) and
   * write the normalised vector into `out` (default `this.output`, which always receives it too
   * when `out` differs). A non-finite input holds that slot's previous output. Allocates nothing.
   */
  update(input: ArrayLike<number>, dt: Seconds, out: Float32Array = this.output): Float32Array {
    // Thin on purpose so V8 inlines it: dt goes through a field because a double passed to
    // the big loop below (a call V8 does not inline) would be boxed, i.e. allocated per frame.
    this.stepDt = dt > 0 && dt < Infinity ? dt : 0;
    this.run(input, out);
    return out;
  }

  private run(input: ArrayLike<number>, out: Float32Array): void {
    const n = this.size < input.length ? this.size : input.length;
    const step = this.stepDt;
    if (this.gateSlot >= 0) {
      const lvl = input[this.gateSlot];
      if (Number.isFinite(lvl)) {
        const gg = (lvl - this.gateClosed) / (this.gateOpen - this.gateClosed);
        this.gateGain = gg < 0 ? 0 : gg > 1 ? 1 : gg;
      }
    }
    const o = this.output;
    // One flat loop with no calls: V8 boxes doubles passed to or returned from calls it does
    // not inline, which would allocate per slot per frame.
    for (let i = 0; i < n; i++) {
      const x = input[i];
      if (!Number.isFinite(x)) continue; // hold the previous output
      const g = this.gated[i] === 1 ? this.gateGain : 1;
      const mode = this.mode[i];
      let y: number;
      if (mode === M_PASS) {
        const a = this.rangeMin[i];
        const b = this.rangeMax[i];
        y = (x < a ? a : x > b ? b : x) * g;
      } else if (mode === M_FIXED) {
        const a = this.rangeMin[i];
        const b = this.rangeMax[i];
        const u = this.logMap[i] === 1 ? (x <= a ? 0 : Math.log(x / a) / Math.log(b / a)) : (x - a) / (b - a);
        y = (u < 0 ? 0 : u > 1 ? 1 : u) * g;
      } else {
        const dom = this.domain[i];
        let w = g;
        if (this.hasFloor[i] === 1) {
          // 0 at or below the floor, fully open one doubling (6 dB) above it
          const f = this.floor[i];
          let fg: number;
          if (dom === D_DB) fg = (x - f) / 6.020599913279624;
          else if (f <= 0) fg = x > f ? 1 : 0;
          else fg = x <= f ? 0 : Math.log2(x / f);
          w *= fg < 0 ? 0 : fg > 1 ? 1 : fg;
        }
        // envelopes of levels live on a log scale: drops and rises settle alike
        const v = dom === D_LEVEL ? Math.log(x > TINY ? x : TINY) : x;
        const edt = step * w;
        if (edt > 0) {
          const e0 = this.elapsed[i];
          const e1 = e0 + edt;
          this.elapsed[i] = e1;
          // Integral of the warm-up rate multiplier max(1, T / e) over e0..e1: for the first T
          // seconds the follower acts like a cumulative mean (settles fast from a cold start), and
          // the closed form keeps that exact at any frame rate. e0 = 0: take the value as is.
          const T = this.tauSlow[i];
          const I = e0 <= 0 ? Infinity : e1 <= T ? T * Math.log(e1 / e0) : e0 >= T ? e1 - e0 : T * Math.log(T / e0) + (e1 - T);
          if (mode === M_RATIO) {
            this.avg[i] += (v - this.avg[i]) * (1 - Math.exp(-this.kSlow[i] * I));
          } else {
            const h = this.hi[i];
            const l = this.lo[i];
            // asymmetric rates make the envelopes settle at high / low expectiles (percentile-like)
            this.hi[i] = h + (v - h) * (1 - Math.exp(-(v > h ? this.kFast[i] : this.kSlow[i]) * I));
            this.lo[i] = l + (v - l) * (1 - Math.exp(-(v < l ? this.kFast[i] : this.kSlow[i]) * I));
          }
        }
        if (!(this.elapsed[i] > 0)) {
          y = 0;
        } else if (mode === M_RATIO) {
          let ref = this.avg[i];
          if (this.hasFloor[i] === 1) {
            const f = dom === D_LEVEL ? Math.log(this.floor[i] > TINY ? this.floor[i] : TINY) : this.floor[i];
            if (ref < f) ref = f;
          }
          // levels: x / geometric mean; dB: the dB difference as an amplitude ratio
          const r = dom === D_DB ? Math.pow(10, (v - ref) / 20) : Math.exp(v - ref);
          const mr = this.maxRatio[i];
          y = (r > mr ? mr : r > 0 ? r : 0) * w;
        } else {
          let lo = dom === D_LEVEL ? Math.exp(this.lo[i]) : this.lo[i];
          const hi = dom === D_LEVEL ? Math.exp(this.hi[i]) : this.hi[i];
          let span = hi - lo;
          const mag = Math.abs(hi) > Math.abs(lo) ? Math.abs(hi) : Math.abs(lo);
          const rel = dom === D_DB ? 0 : this.minSpanRel[i] * mag;
          let need = this.minSpan[i] > rel ? this.minSpan[i] : rel;
          if (!(need > TINY)) need = TINY;
          if (span < need) {
            // centre a steady input at 0.5 instead of stretching its ripple to full scale
            lo = (lo + hi) * 0.5 - need * 0.5;
            span = need;
          }
          const u = (x - lo) / span;
          y = (u < 0 ? 0 : u > 1 ? 1 : u) * w;
        }
      }
      o[i] = y;
    }
    if (out !== o) {
      for (let i = 0; i < n; i++) out[i] = o[i];
    }
  }

  /** Forget everything learned: the next sound adapts from scratch, outputs restart at 0. */
  reset(): void {
    this.output.fill(0);
    this.lo.fill(0);
    this.hi.fill(0);
    this.avg.fill(0);
    this.elapsed.fill(0);
    this.gateGain = this.gateSlot >= 0 ? 0 : 1;
  }

  /**
   * The running envelopes of a slot in native units (for meters and tests): low/high for unit
   * mode, average for ratio mode (geometric for levels), and the seconds it has adapted for.
   */
  envelope(slot: number): { low: number; high: number; average: number; adaptedFor: Seconds } {
    const lvl = this.domain[slot] === D_LEVEL;
    const nat = (v: number): number => (lvl ? Math.exp(v) : v);
    return { low: nat(this.lo[slot]), high: nat(this.hi[slot]), average: nat(this.avg[slot]), adaptedFor: this.elapsed[slot] };
  }
}

/** Per-feature defaults by name; features added to the layout later fall back by unit. */
function defaultSlot(decl: FeatureDecl, style: NormalizeStyle): SlotNormalize {
  const adaptive = (extra: Partial<SlotNormalize>): SlotNormalize =>
    style === 'ratio' ? { mode: 'ratio', adapt: 6, maxRatio: 4, ...extra } : { mode: 'unit', adapt: 6, minSpanRel: 0.5, ...extra };
  switch (decl.name) {
    case 'rms':
    case 'peak':
      return adaptive({ floor: 1e-4 }); // -80 dBFS
    case 'loudness':
      return { mode: 'unit', domain: 'db', adapt: 8, follow: 0.5, floor: -90, minSpan: 12 };
    case 'bands3':
    case 'bands8':
    case 'mel':
    case 'flux':
    case 'onsetStrength':
      return adaptive({ floor: 1e-12 }); // scale depends on the analyser: the level gate does the real gating
    case 'mfcc':
      return { mode: 'unit', domain: 'linear', adapt: 10, minSpan: 1 };
    case 'centroid':
      return { mode: 'fixed', min: 100, max: 10000, curve: 'log', gated: true };
    case 'rolloff':
      return { mode: 'fixed', min: 100, max: 20000, curve: 'log', gated: true };
    case 'pitch':
      return { mode: 'fixed', min: 50, max: 2000, curve: 'log', gated: true };
    case 'zcr':
      return { mode: 'fixed', min: 0, max: 0.5, gated: true };
    case 'flatness':
    case 'chroma':
    case 'pitchConfidence':
      return { mode: 'pass', min: 0, max: 1, gated: true };
    case 'onset':
    case 'beat':
    case 'beatPhase':
    case 'barPhase':
    case 'tempoConfidence':
    case 'bandOnsets':
      return { mode: 'pass', min: 0, max: 1, gated: false };
    case 'tempo':
      return { mode: 'fixed', min: 40, max: 240, curve: 'log', gated: false };
  }
  switch (decl.unit) {
    case 'dB':
      return { mode: 'unit', domain: 'db', adapt: 8, floor: -90, minSpan: 12 };
    case 'Hz':
      return { mode: 'fixed', min: 20, max: 20000, curve: 'log', gated: true };
    case 'linear':
      return adaptive({ floor: 1e-12 });
    case 'coef':
      return { mode: 'unit', domain: 'linear', adapt: 10, minSpan: 1 };
    default:
      return { mode: 'pass', min: 0, max: 1, gated: decl.unit !== 'flag' };
  }
}

/** The default level gate: loudness below -72 dBFS closes it, above -60 dBFS it is open. */
export const DEFAULT_LEVEL_GATE: LevelGate = Object.freeze({ slot: F.loudness, closedDb: -72, openDb: -60 });

/**
 * One entry per slot of the feature layout (FEATURE_DECLS): energies adapt (unit or ratio
 * style), loudness adapts in dB, Hz features map fixed log ranges, flags and chroma pass through.
 */
export function defaultNormalizerConfig(style: NormalizeStyle = 'unit'): NormalizerConfig {
  const slots: SlotNormalize[] = [];
  for (const d of FEATURE_DECLS) {
    const s = defaultSlot(d, style);
    for (let k = 0; k < d.size; k++) slots.push(s);
  }
  return { slots, gate: DEFAULT_LEVEL_GATE };
}
