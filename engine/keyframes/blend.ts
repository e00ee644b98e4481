/**
 * Keyframe blending: once per frame, one weight per texture keyframe (the morph shader blends the
 * heaviest few). Four sources feed it:
 *
 * - the blend pad: keyframes sit at 2D positions in [0,1]²; a cursor gives inverse-distance weights;
 * - the A/B crossfader: two keyframes and a fader, linear or equal-power;
 * - the sequencer: steps through an order of keyframes every `seqStepBeats` beats of the beat
 *   clock, morphing over `seqMorphBeats` (forward, ping-pong or seeded random);
 * - sound-follow: keyframes carry sound signatures (targets for five normalised features) and the
 *   live features pick the nearest, with a hold on the leader and a glide on the weights.
 *
 * The performer's weights come from one manual source (`mode`), mixed with sound-follow by
 * `soundMix`. The set is loaded with `setKeyframes` (may allocate); the controls are plain fields
 * that `update` validates (garbage keeps the last good value, out-of-range values are clamped);
 * `update` and `topK` allocate nothing, never throw, and always leave finite weights >= 0 that sum
 * to 1 (empty for an empty set).
 */
import { SIGNATURE_KEYS } from './manifest.ts';
import type { Seconds, Unit01 } from '../features/layout.ts';

/** Sound signature features, in the order of the live input array. */
/** The manifest's signature keys, in the order of the live feature array. */
export const SIGNATURE_FEATURES = SIGNATURE_KEYS;
export type SignatureFeature = (typeof SIGNATURE_FEATURES)[number];
/** Length of the live feature array `update` reads. */
export const SIGNATURE_FEATURE_COUNT = SIGNATURE_FEATURES.length;
const NF = SIGNATURE_FEATURE_COUNT;

export const BLEND_MODES = ['pad', 'crossfader', 'sequencer'] as const;
/** Which manual source the performer's weights come from. */
export type BlendMode = (typeof BLEND_MODES)[number];
export const FADER_CURVES = ['linear', 'equal-power'] as const;
/** `linear`: weights 1-f and f. `equal-power`: gains cos and sin of f·π/2, normalised to sum 1. */
export type FaderCurve = (typeof FADER_CURVES)[number];
export const SEQUENCER_MODES = ['forward', 'ping-pong', 'random'] as const;
export type SequencerMode = (typeof SEQUENCER_MODES)[number];

/** Default size of a set (the morph shader's texture array). */
export const MAX_KEYFRAMES = 64;
/** Longest sequencer order `setSequenceOrder` keeps. */
export const MAX_SEQUENCE_LENGTH = 256;

/** One keyframe of a set, as loaded from a preset (everything optional). */
export interface KeyframeSlot {
  /** Position on the blend pad, each coordinate 0..1 (clamped). Missing: laid out automatically. */
  readonly pad?: readonly [number, number];
  /** Target values 0..1 (clamped) for any subset of the signature features. */
  readonly signature?: Partial<Record<SignatureFeature, number>>;
}

/** What `setKeyframes` made of a set. */
export interface KeyframeLoadReport {
  /** Keyframes loaded. */
  readonly count: number;
  /** Keyframes with at least one signature feature. */
  readonly withSignature: number;
  /** Keyframes laid out automatically on the pad. */
  readonly autoPlaced: number;
  /** Everything that was corrected or dropped, one line each. */
  readonly warnings: readonly string[];
}

/** Starting values of the controls. */
export const BLEND_DEFAULTS = {
  mode: 'pad' as BlendMode,
  padX: 0.5,
  padY: 0.5,
  padPower: 2,
  fader: 0,
  faderCurve: 'equal-power' as FaderCurve,
  seqStepBeats: 4,
  seqMorphBeats: 1,
  seqMode: 'forward' as SequencerMode,
  seqSeed: 1,
  soundMix: 0,
  temperature: 0.02,
  holdSeconds: 1.5,
  glideSeconds: 0.3,
} as const;

/** Ranges the setters clamp to. */
export const BLEND_LIMITS = {
  padPower: [0, 32],
  seqStepBeats: [1 / 64, 4096],
  temperature: [1e-4, 10],
  holdSeconds: [0, 60],
  glideSeconds: [0, 60],
} as const;

const PAD_POWER_MAX = BLEND_LIMITS.padPower[1];
const STEP_MIN = BLEND_LIMITS.seqStepBeats[0];
const STEP_MAX = BLEND_LIMITS.seqStepBeats[1];
const TEMP_MIN = BLEND_LIMITS.temperature[0];
const TEMP_MAX = BLEND_LIMITS.temperature[1];
const SECONDS_MAX = BLEND_LIMITS.holdSeconds[1];

/** Longest frame step the hold and glide count (a stall longer than this counts as this). */
const MAX_DT: Seconds = 1;
/** Squared pad distance under which the cursor is on a keyframe. */
const ON_KEYFRAME_D2 = 1e-14;
/** Radius of the automatic pad layout circle. */
const AUTO_RADIUS = 0.4;

const MODE_PAD = 0;
const MODE_CROSS = 1;
const MODE_SEQ = 2;
const SEQ_FORWARD = 0;
const SEQ_PINGPONG = 1;
const SEQ_RANDOM = 2;

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Integer hash of three 32-bit integers, in [0, 2^30) (a small integer, so it never boxes). */
function hash3(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x2c1b3c6d, 0x297a2d39);
  h = Math.imul(h ^ (h >>> 15) ^ b, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ c, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 0x3fffffff;
}

export class KeyframeBlend {
  /** Largest set this instance takes. */
  readonly maxKeyframes: number;

  // Read-outs (through getters below, so nothing outside can corrupt the state they carry).
  private n = 0;
  private leader = -1;
  private challenger = -1;
  private challengerSec: Seconds = 0;
  private fromPad = true;
  private informed = false;
  private step = 0;
  private cur = -1;
  private prev = -1;
  private progress: Unit01 = 1;

  // ---- controls: plain fields (writing them allocates nothing), validated at each update ----
  // Garbage (NaN, Infinity, an unknown name) is replaced by the last good value and out-of-range
  // numbers are clamped; update() writes the value it used back, so reading a field after an
  // update shows what is in effect.

  /** Manual source of the performer's weights: 'pad', 'crossfader' or 'sequencer'. */
  mode: BlendMode = BLEND_DEFAULTS.mode;
  /** Pad cursor x, 0..1. */
  padX: Unit01 = BLEND_DEFAULTS.padX;
  /** Pad cursor y, 0..1. */
  padY: Unit01 = BLEND_DEFAULTS.padY;
  /** Inverse-distance power (0 = all equal, 2 = default, higher = sharper), within BLEND_LIMITS. */
  padPower: number = BLEND_DEFAULTS.padPower;
  /** Crossfader keyframe A (rounded; an index past the set means its last keyframe). */
  crossA = 0;
  /** Crossfader keyframe B (rounded; an index past the set means its last keyframe). */
  crossB = 1;
  /** Crossfader position: 0 = all A, 1 = all B. */
  fader: Unit01 = BLEND_DEFAULTS.fader;
  /** Crossfader curve, 'linear' or 'equal-power'. */
  faderCurve: FaderCurve = BLEND_DEFAULTS.faderCurve;
  /** Beats per sequencer step (1, 2, 4 = a bar of 4/4, 8, 16...), within BLEND_LIMITS. */
  seqStepBeats: number = BLEND_DEFAULTS.seqStepBeats;
  /** Beats a step's morph lasts (0 = cut); used clamped to `seqStepBeats`. */
  seqMorphBeats: number = BLEND_DEFAULTS.seqMorphBeats;
  /** Sequencer order mode; a change applies from the next step. */
  seqMode: SequencerMode = BLEND_DEFAULTS.seqMode;
  /** Seed of the random sequencer (an integer; the same seed and beats give the same sequence). */
  seqSeed: number = BLEND_DEFAULTS.seqSeed;
  /** Share of sound-follow in the output, 0..1. */
  soundMix: Unit01 = BLEND_DEFAULTS.soundMix;
  /** Sound-follow temperature: similarity = exp(-d²/temperature); smaller is more decisive. */
  temperature: number = BLEND_DEFAULTS.temperature;
  /** A new sound leader must lead continuously this long before it takes over, seconds. */
  holdSeconds: Seconds = BLEND_DEFAULTS.holdSeconds;
  /** Time constant of the sound-follow weights' glide, seconds (0 = none). */
  glideSeconds: Seconds = BLEND_DEFAULTS.glideSeconds;

  // Effective (last good) values of the controls.
  private modeCode = MODE_PAD;
  private modeName: BlendMode = BLEND_DEFAULTS.mode;
  private cx: number = BLEND_DEFAULTS.padX;
  private cy: number = BLEND_DEFAULTS.padY;
  private power: number = BLEND_DEFAULTS.padPower;
  private a = 0;
  private b = 1;
  private fade: number = BLEND_DEFAULTS.fader;
  private linear = false;
  private curveName: FaderCurve = BLEND_DEFAULTS.faderCurve;
  private stepBeats: number = BLEND_DEFAULTS.seqStepBeats;
  private morphBeats: number = BLEND_DEFAULTS.seqMorphBeats;
  private seqModeCode = SEQ_FORWARD;
  private seqModeName: SequencerMode = BLEND_DEFAULTS.seqMode;
  private seed: number = BLEND_DEFAULTS.seqSeed;
  private mix: number = BLEND_DEFAULTS.soundMix;
  private temp: number = BLEND_DEFAULTS.temperature;
  private hold: number = BLEND_DEFAULTS.holdSeconds;
  private glide: number = BLEND_DEFAULTS.glideSeconds;

  // ---- the set ----
  private readonly px: Float64Array;
  private readonly py: Float64Array;
  /** Signature targets, NF per keyframe, NaN where the signature says nothing. */
  private readonly sig: Float64Array;
  private readonly hasSig: Uint8Array;
  private sigCount = 0;
  /** The pad layout for drawing: x, y per keyframe (length 2N). */
  private layoutView: Float32Array;

  // ---- sequencer ----
  private readonly orderRaw = new Int32Array(MAX_SEQUENCE_LENGTH);
  private orderRawLen = 0;
  private readonly order = new Int32Array(MAX_SEQUENCE_LENGTH);
  private orderLen = 0;
  private seqPrimed = false;

  // ---- sound-follow ----
  private readonly live = new Float64Array(NF);
  private readonly energy: Float64Array;
  private readonly target: Float64Array;
  private soundPrimed = false;

  // ---- per-source weights (float64) and outputs ----
  private readonly padW: Float64Array;
  private readonly crossW: Float64Array;
  private readonly seqW: Float64Array;
  private readonly soundW: Float64Array;
  private readonly mixW: Float64Array;
  private readonly out: Float32Array;
  private readonly manualOut: Float32Array;
  private readonly soundOut: Float32Array;
  private weightsView: Float32Array;
  private manualView: Float32Array;
  private soundView: Float32Array;
  private readonly taken: Uint8Array;
  private dt: Seconds = 0;
  private pos = 0;

  constructor(maxKeyframes: number = MAX_KEYFRAMES) {
    const m = Number.isFinite(maxKeyframes) ? clamp(Math.floor(maxKeyframes), 1, 4096) : MAX_KEYFRAMES;
    this.maxKeyframes = m;
    this.px = new Float64Array(m);
    this.py = new Float64Array(m);
    this.sig = new Float64Array(m * NF);
    this.hasSig = new Uint8Array(m);
    this.energy = new Float64Array(m);
    this.target = new Float64Array(m);
    this.padW = new Float64Array(m);
    this.crossW = new Float64Array(m);
    this.seqW = new Float64Array(m);
    this.soundW = new Float64Array(m);
    this.mixW = new Float64Array(m);
    this.out = new Float32Array(m);
    this.manualOut = new Float32Array(m);
    this.soundOut = new Float32Array(m);
    this.taken = new Uint8Array(m);
    this.weightsView = this.out.subarray(0, 0);
    this.manualView = this.manualOut.subarray(0, 0);
    this.soundView = this.soundOut.subarray(0, 0);
    this.layoutView = new Float32Array(0);
  }

  // ------------------------------------------------------------------ outputs

  /** Keyframes in the loaded set (N). */
  get count(): number {
    return this.n;
  }

  /** Held sound-follow leader (keyframe index); -1 while sound-follow has no leader (no signature, or no live feature since the set loaded). */
  get soundLeader(): number {
    return this.leader;
  }

  /** Keyframe that sounds closest while the leader waits out the hold (the newest best), -1 while the leader is closest. */
  get soundChallenger(): number {
    return this.challenger;
  }

  /** How long the leader has been beaten without a break (by any keyframe), seconds. */
  get soundChallengerSeconds(): Seconds {
    return this.challengerSec;
  }

  /** No keyframe has a signature, so sound-follow contributes the pad weights. */
  get soundFromPad(): boolean {
    return this.fromPad;
  }

  /** The last update had a live feature to compare with some signature (otherwise sound-follow glides on to its last target). */
  get soundInformed(): boolean {
    return this.informed;
  }

  /** Current sequencer step: floor(beat position / seqStepBeats). */
  get seqStep(): number {
    return this.step;
  }

  /** Keyframe the sequencer is on (or morphing to), -1 for an empty set. */
  get seqCurrent(): number {
    return this.cur;
  }

  /** Keyframe the sequencer morphs from (the previous step's). */
  get seqPrevious(): number {
    return this.prev;
  }

  /** Morph progress from `seqPrevious` to `seqCurrent`, 0..1. */
  get seqProgress(): Unit01 {
    return this.progress;
  }

  /** Blend weights, one per keyframe (length N): finite, >= 0, sum 1. Same array every update; a new one after `setKeyframes`. */
  get weights(): Float32Array {
    return this.weightsView;
  }

  /** The manual source's weights (pad, crossfader or sequencer, per `mode`) from the last update. */
  get manualWeights(): Float32Array {
    return this.manualView;
  }

  /** Sound-follow's weights (held and glided, or the pad's when `soundFromPad`) from the last update. */
  get soundWeights(): Float32Array {
    return this.soundView;
  }

  /** Pad positions for drawing: x, y per keyframe (length 2N), automatic ones included. */
  get padLayout(): Float32Array {
    return this.layoutView;
  }

  /** Effective sequencer order length (the custom order's entries that exist in the set, else N). */
  get sequenceLength(): number {
    return this.orderLen;
  }

  /** Keyframe at position `i` of the effective sequencer order, -1 outside it. */
  sequenceAt(i: number): number {
    return i >= 0 && i < this.orderLen ? this.order[i | 0] : -1;
  }

  /** Whether keyframe `i` has a sound signature. */
  hasSignature(i: number): boolean {
    return i >= 0 && i < this.n && this.hasSig[i | 0] === 1;
  }

  // ------------------------------------------------------------------ controls

  /** Validate the control fields into their effective values and write those back. */
  private readControls(): void {
    const mode = this.mode;
    if (mode === 'pad') this.modeCode = MODE_PAD;
    else if (mode === 'crossfader') this.modeCode = MODE_CROSS;
    else if (mode === 'sequencer') this.modeCode = MODE_SEQ;
    else this.mode = this.modeName;
    this.modeName = this.mode;

    let v = this.padX;
    if (v - v === 0) this.cx = v < 0 ? 0 : v > 1 ? 1 : v;
    this.padX = this.cx;
    v = this.padY;
    if (v - v === 0) this.cy = v < 0 ? 0 : v > 1 ? 1 : v;
    this.padY = this.cy;
    v = this.padPower;
    if (v - v === 0) this.power = v < 0 ? 0 : v > PAD_POWER_MAX ? PAD_POWER_MAX : v;
    this.padPower = this.power;

    const top = this.maxKeyframes - 1;
    v = this.crossA;
    if (v - v === 0) this.a = v < 0 ? 0 : v > top ? top : Math.round(v);
    this.crossA = this.a;
    v = this.crossB;
    if (v - v === 0) this.b = v < 0 ? 0 : v > top ? top : Math.round(v);
    this.crossB = this.b;
    v = this.fader;
    if (v - v === 0) this.fade = v < 0 ? 0 : v > 1 ? 1 : v;
    this.fader = this.fade;
    const curve = this.faderCurve;
    if (curve === 'linear' || curve === 'equal-power') this.curveName = curve;
    else this.faderCurve = this.curveName;
    this.linear = this.curveName === 'linear';

    v = this.seqStepBeats;
    if (v - v === 0) this.stepBeats = v < STEP_MIN ? STEP_MIN : v > STEP_MAX ? STEP_MAX : v;
    this.seqStepBeats = this.stepBeats;
    v = this.seqMorphBeats;
    if (v - v === 0) this.morphBeats = v < 0 ? 0 : v > STEP_MAX ? STEP_MAX : v;
    this.seqMorphBeats = this.morphBeats;
    const sm = this.seqMode;
    if (sm === 'forward') this.seqModeCode = SEQ_FORWARD;
    else if (sm === 'ping-pong') this.seqModeCode = SEQ_PINGPONG;
    else if (sm === 'random') this.seqModeCode = SEQ_RANDOM;
    else this.seqMode = this.seqModeName;
    this.seqModeName = this.seqMode;
    v = this.seqSeed;
    if (v - v === 0) this.seed = v | 0;
    this.seqSeed = this.seed;

    v = this.soundMix;
    if (v - v === 0) this.mix = v < 0 ? 0 : v > 1 ? 1 : v;
    this.soundMix = this.mix;
    v = this.temperature;
    if (v - v === 0) this.temp = v < TEMP_MIN ? TEMP_MIN : v > TEMP_MAX ? TEMP_MAX : v;
    this.temperature = this.temp;
    v = this.holdSeconds;
    if (v - v === 0) this.hold = v < 0 ? 0 : v > SECONDS_MAX ? SECONDS_MAX : v;
    this.holdSeconds = this.hold;
    v = this.glideSeconds;
    if (v - v === 0) this.glide = v < 0 ? 0 : v > SECONDS_MAX ? SECONDS_MAX : v;
    this.glideSeconds = this.glide;
  }

  /**
   * Sequencer order: keyframe indices in playing order (repeats allowed; non-integers and indices
   * outside 0..maxKeyframes-1 are skipped; at most MAX_SEQUENCE_LENGTH). Indices beyond the loaded
   * set are skipped while they do not exist. Null or empty: every keyframe in order. Applies from
   * the next step. Returns the effective length.
   */
  setSequenceOrder(order: ArrayLike<number> | null | undefined): number {
    let n = 0;
    const len = order != null && typeof order.length === 'number' ? order.length : 0;
    for (let i = 0; i < len && n < MAX_SEQUENCE_LENGTH; i++) {
      const k = order![i];
      if (typeof k === 'number' && Number.isInteger(k) && k >= 0 && k < this.maxKeyframes) this.orderRaw[n++] = k;
    }
    this.orderRawLen = n;
    this.packOrder();
    return this.orderLen;
  }

  private packOrder(): void {
    const n = this.n;
    let len = 0;
    for (let i = 0; i < this.orderRawLen; i++) {
      const k = this.orderRaw[i];
      if (k < n) this.order[len++] = k;
    }
    if (len === 0) {
      len = n < MAX_SEQUENCE_LENGTH ? n : MAX_SEQUENCE_LENGTH;
      for (let i = 0; i < len; i++) this.order[i] = i;
    }
    this.orderLen = len;
  }

  // ------------------------------------------------------------------ set load (may allocate)

  /**
   * Load a set. Slots past `maxKeyframes` are dropped; bad positions are laid out automatically
   * (evenly on a circle around the pad's centre, a lone one in the centre); signature values are
   * clamped to 0..1 and non-numbers dropped. Resets the sequencer and sound-follow state; weights
   * start even until the next update.
   */
  setKeyframes(slots: readonly KeyframeSlot[]): KeyframeLoadReport {
    const warnings: string[] = [];
    const list: readonly unknown[] = Array.isArray(slots) ? slots : [];
    if (!Array.isArray(slots)) warnings.push('keyframes: not a list; loaded an empty set');
    let n = list.length;
    if (n > this.maxKeyframes) {
      warnings.push(`keyframes: ${n} given, only the first ${this.maxKeyframes} loaded`);
      n = this.maxKeyframes;
    }
    const placed = new Uint8Array(n);
    let sigCount = 0;
    this.sig.fill(Number.NaN);
    this.hasSig.fill(0);
    for (let i = 0; i < n; i++) {
      const raw = list[i];
      const slot = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : null;
      if (slot === null && raw !== undefined) warnings.push(`keyframe ${i}: not an object; treated as empty`);
      const pad = slot?.pad;
      if (pad !== undefined) {
        const ok = Array.isArray(pad) && pad.length >= 2 && Number.isFinite(pad[0]) && Number.isFinite(pad[1]);
        if (ok) {
          const x = pad[0] as number;
          const y = pad[1] as number;
          this.px[i] = clamp(x, 0, 1);
          this.py[i] = clamp(y, 0, 1);
          placed[i] = 1;
          if (this.px[i] !== x || this.py[i] !== y) warnings.push(`keyframe ${i}: pad position clamped to [0,1]`);
        } else {
          warnings.push(`keyframe ${i}: pad position is not two finite numbers; laid out automatically`);
        }
      }
      const sg = slot?.signature;
      if (sg !== undefined && (sg === null || typeof sg !== 'object')) {
        warnings.push(`keyframe ${i}: signature is not an object; ignored`);
      } else if (sg !== undefined) {
        const rec = sg as Record<string, unknown>;
        for (const key of Object.keys(rec)) {
          const f = (SIGNATURE_FEATURES as readonly string[]).indexOf(key);
          const v = rec[key];
          if (f < 0) {
            warnings.push(`keyframe ${i}: unknown signature feature '${key}' (known: ${SIGNATURE_FEATURES.join(', ')})`);
          } else if (v === undefined) {
            continue;
          } else if (typeof v !== 'number' || !Number.isFinite(v)) {
            warnings.push(`keyframe ${i}: signature ${key} is not a finite number; ignored`);
          } else {
            const c = clamp(v, 0, 1);
            if (c !== v) warnings.push(`keyframe ${i}: signature ${key} clamped to [0,1]`);
            this.sig[i * NF + f] = c;
            this.hasSig[i] = 1;
          }
        }
        if (this.hasSig[i] === 1) sigCount++;
      }
    }
    // Automatic layout for the rest.
    let missing = 0;
    for (let i = 0; i < n; i++) if (placed[i] === 0) missing++;
    let j = 0;
    for (let i = 0; i < n; i++) {
      if (placed[i] === 1) continue;
      if (missing === 1) {
        this.px[i] = 0.5;
        this.py[i] = 0.5;
      } else {
        const ang = -Math.PI / 2 + (2 * Math.PI * j) / missing;
        this.px[i] = 0.5 + AUTO_RADIUS * Math.cos(ang);
        this.py[i] = 0.5 + AUTO_RADIUS * Math.sin(ang);
      }
      j++;
    }

    this.n = n;
    this.sigCount = sigCount;
    this.layoutView = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      this.layoutView[2 * i] = this.px[i];
      this.layoutView[2 * i + 1] = this.py[i];
    }
    this.weightsView = this.out.subarray(0, n);
    this.manualView = this.manualOut.subarray(0, n);
    this.soundView = this.soundOut.subarray(0, n);
    this.packOrder();

    // Fresh state: even weights, sequencer on its first entry, sound-follow unprimed.
    this.out.fill(0);
    this.manualOut.fill(0);
    this.soundOut.fill(0);
    this.soundW.fill(0);
    this.target.fill(0);
    for (let i = 0; i < n; i++) this.out[i] = 1 / n;
    this.seqW.fill(0);
    this.seqPrimed = false;
    this.step = 0;
    this.cur = n > 0 ? this.order[0] : -1;
    this.prev = this.cur;
    this.progress = 1;
    if (n > 0) this.seqW[this.cur] = 1;
    this.soundPrimed = false;
    this.leader = -1;
    this.challenger = -1;
    this.challengerSec = 0;
    this.informed = false;
    this.fromPad = sigCount === 0;
    // Until live features arrive, sound-follow sits evenly on the keyframes that have signatures.
    for (let i = 0; i < n; i++) this.soundW[i] = this.hasSig[i] === 1 ? 1 / sigCount : 0;

    let autoPlaced = 0;
    for (let i = 0; i < n; i++) if (placed[i] === 0) autoPlaced++;
    return { count: n, withSignature: sigCount, autoPlaced, warnings };
  }

  // ------------------------------------------------------------------ per frame

  /**
   * Advance one frame and return `weights`. `dt`: seconds since the last frame (garbage counts as
   * 0, at most 1 s counts). `beatPosition`: continuous beats since the clock's origin
   * (beatCount + beatPhase). `clockRunning`: false (or a non-finite position) holds the
   * sequencer. `live`: the five signature features (0..1, NaN = unavailable). Allocates nothing.
   */
  update(dt: Seconds, beatPosition: number, clockRunning: boolean, live: Float32Array | null): Float32Array {
    this.frameDt = dt;
    this.frameBeat = beatPosition;
    return this.advance(clockRunning, live);
  }

  /**
   * Seconds since the last frame and the beat position for `advance`: a frame loop writes these
   * fields and calls `advance`, because V8 boxes a computed double passed to a call it does not
   * inline (an allocation per frame), but stores it into a double field in place.
   */
  frameDt: Seconds = 0;
  frameBeat = 0;

  /** `update` with dt and beat position taken from `frameDt` and `frameBeat`. Allocates nothing. */
  advance(clockRunning: boolean, live: Float32Array | null): Float32Array {
    const dt = this.frameDt;
    const beatPosition = this.frameBeat;
    this.readControls();
    const n = this.n;
    if (n === 0) return this.weightsView;
    this.dt = dt > 0 ? (dt < MAX_DT ? dt : MAX_DT) : 0;

    for (let f = 0; f < NF; f++) {
      const v = live != null && f < live.length ? live[f] : Number.NaN;
      this.live[f] = v - v === 0 ? (v < 0 ? 0 : v > 1 ? 1 : v) : Number.NaN;
    }

    if (clockRunning && beatPosition - beatPosition === 0) {
      this.pos = beatPosition;
      this.runSequencer();
    }
    const mode = this.modeCode;
    const needPad = mode === MODE_PAD || this.sigCount === 0;
    if (needPad) this.computePad();
    if (mode === MODE_CROSS) this.computeCrossfader();
    this.runSound();

    const manual = mode === MODE_PAD ? this.padW : mode === MODE_CROSS ? this.crossW : this.seqW;
    const sound = this.sigCount === 0 ? this.padW : this.soundW;
    const m = this.mix;
    const mixW = this.mixW;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      let v = (1 - m) * manual[i] + m * sound[i];
      if (!(v > 0)) v = 0;
      mixW[i] = v;
      sum += v;
    }
    if (sum > 0 && sum < Infinity) {
      const out = this.out;
      for (let i = 0; i < n; i++) out[i] = mixW[i] / sum;
    }
    const mo = this.manualOut;
    const so = this.soundOut;
    for (let i = 0; i < n; i++) {
      mo[i] = manual[i];
      so[i] = sound[i];
    }
    return this.weightsView;
  }

  /** Inverse-distance weights of the pad cursor, normalised. */
  private computePad(): void {
    const n = this.n;
    const w = this.padW;
    const x = this.cx;
    const y = this.cy;
    let hits = 0;
    let min = Infinity;
    for (let i = 0; i < n; i++) {
      const dx = x - this.px[i];
      const dy = y - this.py[i];
      const d2 = dx * dx + dy * dy;
      w[i] = d2;
      if (d2 <= ON_KEYFRAME_D2) hits++;
      if (d2 < min) min = d2;
    }
    if (hits > 0) {
      // On a keyframe (or several coinciding there): split evenly between them.
      for (let i = 0; i < n; i++) w[i] = w[i] <= ON_KEYFRAME_D2 ? 1 / hits : 0;
      return;
    }
    // (dmin/d)^p keeps every term in (0,1], so nothing overflows whatever the power.
    const half = this.power * 0.5;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const r = Math.pow(min / w[i], half);
      w[i] = r;
      sum += r;
    }
    for (let i = 0; i < n; i++) w[i] /= sum;
  }

  private computeCrossfader(): void {
    const n = this.n;
    const w = this.crossW;
    w.fill(0, 0, n);
    const ia = this.a < n ? this.a : n - 1;
    const ib = this.b < n ? this.b : n - 1;
    const f = this.fade;
    let wa: number;
    let wb: number;
    if (this.linear) {
      wa = 1 - f;
      wb = f;
    } else {
      const ga = Math.cos(f * Math.PI * 0.5);
      const gb = Math.sin(f * Math.PI * 0.5);
      wa = ga / (ga + gb);
      wb = gb / (ga + gb);
    }
    w[ia] += wa;
    w[ib] += wb;
  }

  /** Keyframe for sequencer step `s` (forward and ping-pong: a function of the step alone). */
  private seqPick(s: number): number {
    const len = this.orderLen;
    if (len <= 1) return this.order[0];
    if (this.seqModeCode === SEQ_FORWARD) {
      const p = s % len;
      return this.order[p < 0 ? p + len : p];
    }
    if (this.seqModeCode === SEQ_PINGPONG) {
      const period = 2 * len - 2;
      let p = s % period;
      if (p < 0) p += period;
      return this.order[p < len ? p : period - p];
    }
    // Random: any entry of the order whose keyframe differs from the current one, chosen by a
    // hash of (seed, step, current keyframe) so a seed replays the same sequence.
    const cur = this.cur;
    let candidates = 0;
    for (let i = 0; i < len; i++) if (this.order[i] !== cur) candidates++;
    if (candidates === 0) return this.order[0];
    let r = hash3(this.seed, s | 0, cur) % candidates;
    for (let i = 0; i < len; i++) {
      if (this.order[i] === cur) continue;
      if (r === 0) return this.order[i];
      r--;
    }
    return this.order[0];
  }

  private runSequencer(): void {
    const step = this.stepBeats;
    const pos = this.pos;
    const s = Math.floor(pos / step);
    if (!this.seqPrimed) {
      this.seqPrimed = true;
      this.step = s;
      this.cur = -1;
      this.cur = this.seqPick(s);
      this.prev = this.cur;
    } else if (s !== this.step || this.cur >= this.n) {
      const prev = this.cur < this.n ? this.cur : this.order[0];
      this.step = s;
      // seqPick reads the current keyframe (random mode avoids repeating it).
      this.cur = prev;
      this.cur = this.seqPick(s);
      this.prev = prev;
    }
    const morph = this.morphBeats < step ? this.morphBeats : step;
    let t = morph > 0 ? (pos - s * step) / morph : 1;
    t = t > 0 ? (t < 1 ? t : 1) : 0;
    this.progress = t;
    const w = this.seqW;
    w.fill(0, 0, this.n);
    w[this.prev] += 1 - t;
    w[this.cur] += t;
  }

  private runSound(): void {
    const n = this.n;
    if (this.sigCount === 0) {
      this.fromPad = true;
      this.leader = -1;
      this.challenger = -1;
      this.challengerSec = 0;
      this.informed = false;
      return;
    }
    this.fromPad = false;
    const e = this.energy;
    const sig = this.sig;
    const live = this.live;
    const invT = 1 / this.temp;
    let best = -1;
    let bestE = -Infinity;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      let cnt = 0;
      if (this.hasSig[i] === 1) {
        for (let f = 0; f < NF; f++) {
          const sv = sig[i * NF + f];
          const lv = live[f];
          if (sv === sv && lv === lv) {
            const d = sv - lv;
            sum += d * d;
            cnt++;
          }
        }
      }
      if (cnt === 0) {
        e[i] = -Infinity;
        continue;
      }
      const v = -(sum / cnt) * invT;
      e[i] = v;
      if (v > bestE) {
        bestE = v;
        best = i;
      }
    }
    this.informed = best >= 0;
    // No live feature in common with any signature: keep gliding to the last target.
    if (best >= 0) {
      const tg = this.target;
      let tsum = 0;
      for (let i = 0; i < n; i++) {
        // exp(e - max): the best gets 1, nothing overflows; keyframes without overlap get 0.
        const v = Math.exp(e[i] - bestE);
        tg[i] = v;
        tsum += v;
      }
      for (let i = 0; i < n; i++) tg[i] /= tsum;

      if (!this.soundPrimed || this.leader < 0 || this.leader >= n) {
        this.leader = best;
        this.challenger = -1;
        this.challengerSec = 0;
      } else if (best === this.leader) {
        this.challenger = -1;
        this.challengerSec = 0;
      } else {
        // The hold counts how long the leader has not been the best, whichever keyframe beats it:
        // two challengers taking turns (live features between their signatures) must not keep a
        // clearly worse leader forever. After the hold the best of that moment takes over.
        this.challenger = best;
        this.challengerSec += this.dt;
        if (this.challengerSec >= this.hold) {
          this.leader = best;
          this.challenger = -1;
          this.challengerSec = 0;
        }
      }
      // While a challenger waits out the hold, it trades target weights with the held leader, so
      // the leader stays on top of the target.
      const lead = this.leader;
      if (lead !== best) {
        const t = tg[lead];
        tg[lead] = tg[best];
        tg[best] = t;
      }
      if (!this.soundPrimed) {
        // First informed frame after a load: start at the target rather than glide from even.
        this.soundPrimed = true;
        for (let i = 0; i < n; i++) this.soundW[i] = tg[i];
        return;
      }
    }
    if (!this.soundPrimed) return;
    // One-pole glide; 1 - exp(-dt/tau) makes it frame-rate independent.
    const k = this.glide > 0 ? 1 - Math.exp(-this.dt / this.glide) : 1;
    const w = this.soundW;
    const tg = this.target;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = w[i] + k * (tg[i] - w[i]);
      w[i] = v;
      sum += v;
    }
    if (sum > 0) for (let i = 0; i < n; i++) w[i] /= sum;
  }

  // ------------------------------------------------------------------ queries

  /**
   * The k heaviest keyframes, heaviest first (ties: lower index first), into `outIdx`, with their
   * weights renormalised over those k into `outW`. k is limited by N and both arrays' lengths;
   * returns how many were written. Entries from there up to the requested k get index -1 and
   * weight 0. Allocates nothing.
   */
  topK(k: number, outIdx: Int32Array, outW: Float32Array): number {
    const room = outIdx.length < outW.length ? outIdx.length : outW.length;
    let want = k > 0 ? (k < room ? Math.floor(k) : room) : 0;
    if (!(want >= 0)) want = 0;
    const n = this.n;
    const cnt = want < n ? want : n;
    const w = this.out;
    const taken = this.taken;
    let sum = 0;
    for (let j = 0; j < cnt; j++) {
      let bi = -1;
      let bw = -1;
      for (let i = 0; i < n; i++) {
        if (taken[i] === 0 && w[i] > bw) {
          bw = w[i];
          bi = i;
        }
      }
      taken[bi] = 1;
      outIdx[j] = bi;
      outW[j] = bw;
      sum += bw;
    }
    for (let j = 0; j < cnt; j++) {
      taken[outIdx[j]] = 0;
      outW[j] = sum > 0 ? outW[j] / sum : 1 / cnt;
    }
    for (let j = cnt; j < want; j++) {
      outIdx[j] = -1;
      outW[j] = 0;
    }
    return cnt;
  }
}
