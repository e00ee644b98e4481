/**
 * The night road's motion, pure and allocation-free per frame: a car whose speed follows the
 * tempo (lane dashes pass the camera on the beats), coasts to a halt when the sound stops, and
 * a seeded, endless row of billboards along the road that the shader draws.
 */
import type { Bpm, Seconds, Unit01 } from '../../engine/features/layout.ts';

export type Metres = number;
export type MetresPerSecond = number;

/** Distance from one lane dash to the next. */
export const DASH_SPACING_M: Metres = 12;
/** Billboards the shader draws at once (nearest ahead of the camera first). */
export const BILLBOARD_SLOTS = 6;
/** Floats per billboard in the output array: z ahead, side (-1/1), height, seed (0..1). */
export const BILLBOARD_STRIDE = 4;
/** Fastest the car goes, whatever the tempo or the performer asks. */
export const MAX_SPEED_MPS: MetresPerSecond = 60;

/** Integer hash of (seed, index) to 0..1: the same road every time for one seed. */
export function hash01(seed: number, index: number): Unit01 {
  let h = (Math.imul(seed | 0, 0x27d4eb2d) ^ Math.imul(index | 0, 0x165667b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 4294967296;
}

/** What the performer and the sound set each frame (resolved parameter outputs and clock). */
export interface DriveInput {
  dt: Seconds;
  /** Tempo of the leading clock (0 while none leads). */
  bpm: Bpm;
  /** 0..1 through the current beat. */
  beatPhase: Unit01;
  /** 0 = stopped in the dark .. 1 = full speed; the sound's loudness, normally. */
  throttle: Unit01;
  /** Speed at full throttle when no tempo leads. */
  cruise: MetresPerSecond;
  /** 0 = ignore the tempo .. 1 = speed from the tempo and dashes locked to the beat. */
  tempoLock: Unit01;
}

/** Seconds to reach a higher speed, and to coast down to a lower one (about 63 %). */
const ACCEL_TAU: Seconds = 1.2;
const BRAKE_TAU: Seconds = 2.5;
/** How fast a phase error between dashes and beats is pulled in (1/s). */
const PHASE_GAIN = 1.5;
/** Longest step integrated at once: a stalled tab must not jump the car down the road. */
const MAX_DT: Seconds = 0.25;

const finite = (v: number, fallback: number): number => (Number.isFinite(v) ? v : fallback);
const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

export class RoadDrive {
  /** Metres driven since the start. */
  distance: Metres = 0;
  /** Current speed. */
  speed: MetresPerSecond = 0;

  /** False until the first step: the car then starts at the speed the sound asks for. */
  private primed = false;

  /** Advance by one frame. Bad numbers are treated as "no input", never thrown. */
  step(inp: DriveInput): void {
    const throttle = clamp01(finite(inp.throttle, 0));
    const lock = clamp01(finite(inp.tempoLock, 0));
    const bpm = finite(inp.bpm, 0);
    const cruise = Math.min(MAX_SPEED_MPS, Math.max(0, finite(inp.cruise, 0)));
    // With a tempo, one dash per beat; blended towards the free cruise by the lock amount.
    const beatSpeed = bpm > 0 ? Math.min(MAX_SPEED_MPS, (DASH_SPACING_M * bpm) / 60) : cruise;
    const target = throttle * (cruise + (beatSpeed - cruise) * lock);
    // Shown mid-song (or frozen on one fixture frame, dt 0), the car is already under way.
    if (!this.primed) {
      this.primed = true;
      this.speed = target;
    }
    let dt = finite(inp.dt, 0);
    if (dt <= 0) return;
    if (dt > MAX_DT) dt = MAX_DT;
    const tau = target > this.speed ? ACCEL_TAU : BRAKE_TAU;
    this.speed += (target - this.speed) * (1 - Math.exp(-dt / tau));
    this.distance += this.speed * dt;
    if (bpm > 0 && lock > 0 && throttle > 0) {
      // Pull the dash phase towards this frame's beat phase so a dash crosses the camera on each beat.
      const phase = this.distance / DASH_SPACING_M - Math.floor(this.distance / DASH_SPACING_M);
      let err = clamp01(finite(inp.beatPhase, phase)) - phase;
      err -= Math.round(err);
      const nudge = err * DASH_SPACING_M * (1 - Math.exp(-PHASE_GAIN * dt)) * lock * throttle;
      // Never backwards: a late dash waits for the car instead.
      this.distance += nudge > -this.speed * dt ? nudge : -this.speed * dt;
    }
    // Keep float precision over hours of driving: the road repeats its layout every 2^20 dashes.
    if (this.distance > DASH_SPACING_M * 1048576) this.distance -= DASH_SPACING_M * 1048576;
  }

  /** Fraction of the way from one dash to the next (0 = a dash at the camera). */
  dashPhase(): Unit01 {
    const d = this.distance / DASH_SPACING_M;
    return d - Math.floor(d);
  }
}

/**
 * Write the billboards ahead of the camera into `out` (BILLBOARD_SLOTS × BILLBOARD_STRIDE):
 * one may stand every `dashesPerSign` dashes, on a side and with a height and a glyph seed from
 * the road's seed; `density` is the chance a spot holds one. Empty slots get z = -1.
 * Returns how many slots were filled. Allocates nothing.
 */
export function billboardsAhead(distance: Metres, seed: number, dashesPerSign: number, density: Unit01, out: Float32Array): number {
  const every = Math.max(1, Math.min(16, Math.round(finite(dashesPerSign, 2)))) * DASH_SPACING_M;
  const dens = clamp01(finite(density, 0));
  const d = finite(distance, 0);
  let spot = Math.floor(d / every) + 1;
  let n = 0;
  // Look a bounded distance ahead so a sparse road costs the same as a dense one.
  for (let tries = 0; tries < BILLBOARD_SLOTS * 4 && n < BILLBOARD_SLOTS; tries++, spot++) {
    if (hash01(seed, spot * 4) >= dens) continue;
    const o = n * BILLBOARD_STRIDE;
    out[o] = spot * every - d;
    out[o + 1] = hash01(seed, spot * 4 + 1) < 0.5 ? -1 : 1;
    out[o + 2] = 3 + 5 * hash01(seed, spot * 4 + 2);
    out[o + 3] = hash01(seed, spot * 4 + 3);
    n++;
  }
  for (let k = n; k < BILLBOARD_SLOTS; k++) {
    const o = k * BILLBOARD_STRIDE;
    out[o] = -1;
    out[o + 1] = 0;
    out[o + 2] = 0;
    out[o + 3] = 0;
  }
  return n;
}
