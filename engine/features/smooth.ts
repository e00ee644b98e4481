/**
 * Frame-rate independent smoothing: one-pole followers whose coefficient comes from a time
 * constant in seconds and the frame's dt, so a 30 fps and a 144 fps display draw the same curve.
 * For an input held constant between frames the result is exact at any frame rate:
 * y(t) = x + (y0 - x) * exp(-t / tau), however t is split into frames.
 * Nothing here allocates after construction.
 */
import type { Seconds, Unit01 } from './layout.ts';

/** ln(2): turns a half-life into a time constant (tau = halfLife / LN2). */
const LN2 = Math.LN2;

/**
 * Fraction of the way a one-pole follower moves towards its target in `dt` seconds with
 * time constant `tau`: `1 - exp(-dt / tau)`. tau <= 0 (or not finite) means "no smoothing"
 * (returns 1); dt <= 0 or NaN means "no time passed" (returns 0); huge dt returns 1.
 */
export function smoothingCoef(dt: Seconds, tau: Seconds): Unit01 {
  if (!(dt > 0)) return 0; // catches NaN, 0, negatives
  if (!(tau > 0) || tau === Infinity) return tau === Infinity ? 0 : 1;
  return 1 - Math.exp(-dt / tau);
}

/** Time constant with the given half-life (the time to cover half the remaining distance). */
export function tauFromHalfLife(halfLife: Seconds): Seconds {
  return halfLife / LN2;
}

/** Time constant that settles within `fraction` (e.g. 0.05 = 5 %) of a step after `settle` seconds. */
export function tauFromSettleTime(settle: Seconds, fraction = 0.05): Seconds {
  return settle / -Math.log(fraction);
}

/** Sanitise a time constant: negative, NaN and -Infinity mean "no smoothing" (0). */
function cleanTime(t: number): Seconds {
  return t > 0 ? t : 0;
}

/**
 * One scalar attack/release step: moves `prev` towards `target` with time constant `attack`
 * when rising and `release` when falling. A non-finite target holds `prev`.
 */
export function attackReleaseStep(prev: number, target: number, dt: Seconds, attack: Seconds, release: Seconds): number {
  if (!Number.isFinite(target)) return prev;
  if (!Number.isFinite(prev)) return target;
  const c = smoothingCoef(dt, target > prev ? attack : release);
  return prev + (target - prev) * c;
}

/**
 * Attack/release follower over a vector: one state slot per feature, with shared or per-slot
 * attack (rising) and release (falling) time constants in seconds.
 */
export class AttackRelease {
  /** Smoothed values, one per slot. Read this after `process`. */
  readonly value: Float32Array;
  /** Per-slot rising time constants (seconds). Write through `setTimes`/`setSlotTimes`. */
  readonly attack: Float32Array;
  /** Per-slot falling time constants (seconds). */
  readonly release: Float32Array;
  /** Per-slot flag: 0 until the slot has seen its first finite input (then it jumps there). */
  private readonly primed: Uint8Array;
  readonly size: number;

  constructor(size: number, attack: Seconds | ArrayLike<Seconds> = 0.05, release: Seconds | ArrayLike<Seconds> = 0.25) {
    const n = Math.max(0, Math.floor(size)) || 0;
    this.size = n;
    this.value = new Float32Array(n);
    this.attack = new Float32Array(n);
    this.release = new Float32Array(n);
    this.primed = new Uint8Array(n);
    this.setTimes(attack, release);
  }

  /** Set attack/release for every slot, from one number each or one value per slot. */
  setTimes(attack: Seconds | ArrayLike<Seconds>, release: Seconds | ArrayLike<Seconds>): void {
    for (let i = 0; i < this.size; i++) {
      this.attack[i] = cleanTime(typeof attack === 'number' ? attack : (attack[i] ?? 0));
      this.release[i] = cleanTime(typeof release === 'number' ? release : (release[i] ?? 0));
    }
  }

  /** Set the times of one slot (out-of-range slots are ignored). */
  setSlotTimes(slot: number, attack: Seconds, release: Seconds): void {
    if (slot >= 0 && slot < this.size) {
      this.attack[slot] = cleanTime(attack);
      this.release[slot] = cleanTime(release);
    }
  }

  /**
   * Advance by `dt` seconds towards `input` (at least `size` values). Non-finite inputs hold
   * their slot. A slot's first finite input is taken as is (no ramp up from 0), unless
   * `reset(value)` primed it. Returns `this.value`. Allocates nothing.
   */
  process(input: ArrayLike<number>, dt: Seconds): Float32Array {
    const v = this.value;
    const a = this.attack;
    const r = this.release;
    const p = this.primed;
    const n = this.size < input.length ? this.size : input.length;
    for (let i = 0; i < n; i++) {
      const x = input[i];
      if (!Number.isFinite(x)) continue;
      if (p[i] === 0) {
        v[i] = x;
        p[i] = 1;
        continue;
      }
      const y = v[i];
      const tau = x > y ? a[i] : r[i];
      // smoothingCoef inlined: V8 boxes doubles returned from calls it does not inline
      const c = !(dt > 0) ? 0 : tau === Infinity ? 0 : !(tau > 0) ? 1 : 1 - Math.exp(-dt / tau);
      v[i] = y + (x - y) * c;
    }
    return v;
  }

  /** Smooth `vec` in place: `vec` is the input and receives the smoothed values. */
  processInPlace(vec: Float32Array, dt: Seconds): void {
    this.process(vec, dt);
    const n = this.size < vec.length ? this.size : vec.length;
    for (let i = 0; i < n; i++) vec[i] = this.value[i];
  }

  /**
   * Forget the state. With no argument every slot takes its next input as is; with a number
   * every slot starts from that value and ramps from there.
   */
  reset(value?: number): void {
    const start = value !== undefined && Number.isFinite(value);
    this.value.fill(start ? (value as number) : 0);
    this.primed.fill(start ? 1 : 0);
  }
}

/**
 * Onset envelope: jumps to 1 on a trigger and halves every `halfLife` seconds. Frame-rate
 * independent, and a trigger may say how long ago the onset happened (its age) so the
 * envelope reads what it would have read had the frame landed on the onset itself.
 */
export class OnsetEnvelope {
  /** Current envelope value, 0..1. */
  value: Unit01 = 0;
  private halfLifeS: Seconds;
  private lastCount = -1;

  constructor(halfLife: Seconds = 0.15) {
    this.halfLifeS = cleanTime(halfLife);
  }

  get halfLife(): Seconds {
    return this.halfLifeS;
  }

  set halfLife(h: Seconds) {
    this.halfLifeS = cleanTime(h);
  }

  /** Decay by `dt` seconds. (Returns nothing: a returned double would be boxed, i.e. allocated.) */
  update(dt: Seconds): void {
    if (dt > 0) this.value = this.halfLifeS > 0 ? this.value * Math.exp((-dt * LN2) / this.halfLifeS) : 0;
  }

  /** An onset happened `age` seconds ago (0 = now). Takes the larger of the current and new envelope. */
  trigger(age: Seconds = 0): void {
    const e = !(age > 0) ? 1 : this.halfLifeS > 0 ? Math.exp((-age * LN2) / this.halfLifeS) : 0;
    if (e > this.value) this.value = e;
  }

  /**
   * One frame driven by a monotonic onset counter (the feature bus's `onsetCount`): decays by
   * `dt`, then triggers when the counter moved since the last call, so no onset is lost between
   * frames. `age` is how long ago the newest onset happened. The first call only latches the count.
   */
  step(dt: Seconds, onsetCount: number, age: Seconds = 0): void {
    this.update(dt);
    if (this.lastCount >= 0 && onsetCount !== this.lastCount) this.trigger(age);
    this.lastCount = onsetCount;
  }

  reset(): void {
    this.value = 0;
    this.lastCount = -1;
  }
}

/** exp2(-dt / halfLife): what is left of an envelope after dt seconds. halfLife 0 means instant. */
export function decayFactor(dt: Seconds, halfLife: Seconds): Unit01 {
  if (!(dt > 0)) return 1;
  if (!(halfLife > 0)) return 0;
  return Math.exp((-dt * LN2) / halfLife);
}
