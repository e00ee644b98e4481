/**
 * Photosensitivity guard (pure): limits large full-frame luminance changes so the output never
 * flashes more than 3 times in any one second (WCAG 2.3.1 general flash: a pair of opposing
 * changes of at least 10% relative luminance where the darker image is below 0.8).
 *
 * Each frame the host measures the mean relative luminance of the scene's picture and asks
 * `update` for a blend factor k: the shown picture is mix(scene, previous shown picture, k) in
 * linear light, so the shown luminance is exactly mix(measured, previous shown, k).
 * Two layers: when the scene itself changes too often (more than `easeAboveTransitions` swings
 * in the last second) the picture eases towards the scene with a time constant; and a hard limit
 * refuses any swing that would exceed the flash budget of the last second. Slow changes and
 * occasional flashes pass untouched (k = 0). Allocates nothing per frame.
 */
import type { Seconds, Unit01 } from '../features/layout.ts';
import { defineParams, ENGINE_SCOPE } from '../params/index.ts';

export interface FlashGuardOptions {
  /** Allowed flashes in any one second (WCAG: 3). */
  maxFlashesPerSecond: number;
  /** Luminance change that counts as one half of a flash (WCAG: 0.1 of the maximum). */
  threshold: number;
  /** A change only counts when the darker side is below this (WCAG: 0.8). */
  darkLimit: number;
  /** Ease when the scene swings more often than this within a second (5: two flashes a second pass with room for timing jitter). */
  easeAboveTransitions: number;
  /** Time constant of the easing, seconds. */
  easeTimeConstant: Seconds;
}

export const FLASH_GUARD_DEFAULTS: Readonly<FlashGuardOptions> = {
  maxFlashesPerSecond: 3,
  threshold: 0.1,
  darkLimit: 0.8,
  easeAboveTransitions: 5,
  easeTimeConstant: 0.3,
};

/** Ring of the times of the newest transitions (more than any budget can use). */
const RING = 32;
/** Keeps the hard limit clear of the threshold despite 8-bit rounding of the picture. */
const MARGIN = 0.01;

/**
 * Counts luminance transitions (monotonic swings of at least `threshold` whose darker end is
 * below `darkLimit`) and remembers when they happened. One per signal (scene, shown picture).
 * Numbers travel in typed arrays (`v[...]`, index arguments) so no call boxes a double.
 */
export class TransitionCounter {
  /** DIR: +1 after a rising transition (tracking the peak), -1 after a falling one, 0 before any; EXT: running extreme since then; LO/HI: range before the first. */
  readonly v = new Float64Array(4);
  private started = false;
  private readonly times = new Float64Array(RING);
  private n = 0;
  /** Transitions counted since the start. */
  total = 0;

  constructor(
    private readonly threshold: number,
    private readonly darkLimit: number,
  ) {}

  get dir(): number {
    return this.v[DIR];
  }

  get ext(): number {
    return this.v[EXT];
  }

  reset(): void {
    this.v[DIR] = 0;
    this.started = false;
    this.n = 0;
    this.total = 0;
  }

  /** Feed the sample at a[y] taken at time a[t]; returns true when it completed a transition. */
  push(a: Float64Array, y: number, t: number): boolean {
    const v = this.v;
    const x = a[y];
    if (!this.started) {
      this.started = true;
      v[LO] = v[HI] = v[EXT] = x;
      return false;
    }
    const d = this.threshold;
    let crossed = 0;
    const dir = v[DIR];
    if (dir === 0) {
      if (x < v[LO]) v[LO] = x;
      if (x > v[HI]) v[HI] = x;
      if (x - v[LO] >= d && v[LO] < this.darkLimit) crossed = 1;
      else if (v[HI] - x >= d && x < this.darkLimit) crossed = -1;
    } else if (dir === 1) {
      if (x > v[EXT]) v[EXT] = x;
      else if (v[EXT] - x >= d && x < this.darkLimit) crossed = -1;
    } else {
      if (x < v[EXT]) v[EXT] = x;
      else if (x - v[EXT] >= d && v[EXT] < this.darkLimit) crossed = 1;
    }
    if (crossed === 0) return false;
    v[DIR] = crossed;
    v[EXT] = x;
    this.times[this.n % RING] = a[t];
    this.n++;
    this.total++;
    return true;
  }

  /** Transitions within the second ending at a[t] (a[t] - 1 < time <= a[t]). */
  countInLastSecond(a: Float64Array, t: number): number {
    let c = 0;
    const since = a[t] - 1;
    const k = this.n < RING ? this.n : RING;
    for (let i = 1; i <= k; i++) {
      if (this.times[(this.n - i) % RING] > since) c++;
      else break;
    }
    return c;
  }

  /**
   * Range the next sample may take without completing a transition: written to out[lo], out[hi].
   * Unbounded sides are -Infinity / Infinity.
   */
  safeRange(out: Float64Array, lo: number, hi: number): void {
    const v = this.v;
    out[lo] = -Infinity;
    out[hi] = Infinity;
    const d = this.threshold - MARGIN;
    const dir = v[DIR];
    if (dir === 1) out[lo] = Math.min(v[EXT] - d, this.darkLimit);
    else if (dir === -1) {
      if (v[EXT] < this.darkLimit) out[hi] = v[EXT] + d;
    } else if (this.started) {
      if (v[LO] < this.darkLimit) out[hi] = v[LO] + d;
      out[lo] = Math.min(v[HI] - d, this.darkLimit);
    }
  }
}

const DIR = 0;
const EXT = 1;
const LO = 2;
const HI = 3;

export const IO_LUMINANCE = 0;
export const IO_TIME = 1;
export const IO_K = 2;
/** Scratch slots in `io` after the public ones. */
const X = 3;
const SHOWN = 4;
const PREV = 5;
const LAST_T = 6;
const R_LO = 7;
const R_HI = 8;

export class FlashGuard {
  readonly options: FlashGuardOptions;
  /** The scene's swings, to decide when to ease. */
  readonly scene: TransitionCounter;
  /** The shown picture's swings, to enforce the budget. */
  readonly shown: TransitionCounter;
  /**
   * Per-frame input and output without boxing numbers: write the measured luminance to
   * io[IO_LUMINANCE] and the time to io[IO_TIME], call `step()`, read k from io[IO_K].
   */
  readonly io = new Float64Array(9);
  /** True while the guard changes the picture (for the indicator). */
  limiting = false;
  /** Frames where the guard changed the picture, since the start. */
  limitedFrames = 0;
  private hasShown = false;

  constructor(opts: Partial<FlashGuardOptions> = {}) {
    this.options = { ...FLASH_GUARD_DEFAULTS, ...opts };
    this.scene = new TransitionCounter(this.options.threshold, this.options.darkLimit);
    this.shown = new TransitionCounter(this.options.threshold, this.options.darkLimit);
  }

  /** Luminance of the picture shown last frame (linear 0..1), -1 before the first. */
  get shownLuminance(): number {
    return this.hasShown ? this.io[SHOWN] : -1;
  }

  /** Blend factor of the last frame: 0 = the scene as is, 1 = hold the previous picture. */
  get k(): number {
    return this.io[IO_K];
  }

  reset(): void {
    this.scene.reset();
    this.shown.reset();
    this.hasShown = false;
    this.io[IO_K] = 0;
    this.limiting = false;
  }

  /**
   * One frame: `measured` is the scene picture's mean relative luminance (linear 0..1) at time
   * t. Returns k, the weight of the previous shown picture. Bad input (NaN) holds the picture
   * steady for that frame rather than throwing. (Per frame in the renderer: `io` + `step`.)
   */
  update(measured: Unit01, t: Seconds): number {
    this.io[IO_LUMINANCE] = measured;
    this.io[IO_TIME] = t;
    this.step();
    return this.io[IO_K];
  }

  /** `update` through `io`: allocates nothing. */
  step(): void {
    const io = this.io;
    const o = this.options;
    const measured = io[IO_LUMINANCE];
    const t = io[IO_TIME];
    if (!(measured === measured && measured - measured === 0 && t - t === 0)) {
      // NaN or infinite: hold the previous picture for this frame.
      io[IO_K] = this.hasShown ? 1 : 0;
      this.limiting = this.hasShown;
      return;
    }
    io[X] = measured < 0 ? 0 : measured > 1 ? 1 : measured;
    const dt = this.hasShown && t > io[LAST_T] ? t - io[LAST_T] : 0;
    io[LAST_T] = t;
    this.scene.push(io, X, IO_TIME);
    if (!this.hasShown) {
      this.hasShown = true;
      io[SHOWN] = io[X];
      this.shown.push(io, SHOWN, IO_TIME);
      io[IO_K] = 0;
      this.limiting = false;
      return;
    }
    io[PREV] = io[SHOWN];
    const x = io[X];
    const prev = io[PREV];
    // Easing layer: the scene swings too often, follow it slowly.
    let y = x;
    if (this.scene.countInLastSecond(io, IO_TIME) > o.easeAboveTransitions) {
      const a = o.easeTimeConstant > 0 ? 1 - Math.exp(-dt / o.easeTimeConstant) : 1;
      y = prev + (x - prev) * a;
    }
    // Hard layer: no transition beyond the budget of the last second.
    if (this.shown.countInLastSecond(io, IO_TIME) >= 2 * o.maxFlashesPerSecond) {
      this.shown.safeRange(io, R_LO, R_HI);
      if (y < io[R_LO]) y = io[R_LO];
      if (y > io[R_HI]) y = io[R_HI];
    }
    let k = 0;
    const span = x - prev;
    if (y !== x && span !== 0) k = (x - y) / span;
    k = k < 0 ? 0 : k > 1 ? 1 : k;
    io[SHOWN] = x + (prev - x) * k;
    this.shown.push(io, SHOWN, IO_TIME);
    io[IO_K] = k;
    this.limiting = k > 1e-3;
    if (this.limiting) this.limitedFrames++;
  }
}

/** Relative luminance of linear RGB (ITU-R BT.709 / sRGB primaries, as WCAG defines it). */
export function relativeLuminance(r: number, g: number, b: number): number {
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** sRGB-encoded component 0..1 to linear light. */
export function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
}

/**
 * `/engine/flash-guard`: the photosensitivity guard on the output (off by default; the app turns
 * it on at start-up for installations, `?install`).
 */
export const FLASH_GUARD_PARAMS = defineParams(ENGINE_SCOPE, {
  'flash-guard': {
    type: 'boolean',
    default: false,
    description: 'Photosensitivity guard: soften full-frame luminance changes to at most 3 flashes a second (on by default with ?install)',
  },
});
