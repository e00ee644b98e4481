/**
 * The breath scene's response to sound, pure and allocation-free per frame:
 * - `FogResponse`: condensation on the pane. A log curve makes the faintest sound bloom it;
 *   the bloom follows what is new against a slow running level, so loud steady music settles
 *   to a moderate haze instead of a white-out, and silence lets the glass clear.
 * - `TraceRing`: onsets leave finger-like traces at seeded places that fade as the fog regrows.
 */
import type { Seconds, Unit01 } from '../../engine/features/layout.ts';

const finite = (v: number, fallback: number): number => (Number.isFinite(v) ? v : fallback);
const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);
/** Frame-rate independent one-pole step towards a target with time constant `tau`. */
const approach = (from: number, to: number, dt: Seconds, tau: Seconds): number => from + (to - from) * (1 - Math.exp(-dt / tau));

/** Longest step integrated at once (a stalled tab resumes without a jump). */
const MAX_DT: Seconds = 0.25;

/** Log compression of a 0..1 level; `sensitivity` 0..1 bends it from gentle to very steep near zero. */
export function compressLevel(level: Unit01, sensitivity: Unit01): Unit01 {
  const k = 400 * clamp01(finite(sensitivity, 0)) ** 2;
  const x = clamp01(finite(level, 0));
  return k < 1e-3 ? x : Math.log1p(k * x) / Math.log1p(k);
}

export class FogResponse {
  /** Condensation on the glass, 0 clear .. 1 fully fogged. */
  fog: Unit01 = 0;
  /** Slow running level (compressed) the bloom is measured against. */
  settled: Unit01 = 0;
  /** Seconds to bloom, to recede, and for the running level to adapt. */
  bloomTau: Seconds = 0.35;
  recedeTau: Seconds = 2.2;
  adaptTau: Seconds = 7;

  /** False until the first step: the pane then starts as if it had been listening. */
  private primed = false;

  /** Advance one frame with this frame's level (0..1, e.g. the adaptive loudness). */
  step(dt: Seconds, level: Unit01, sensitivity: Unit01): void {
    if (!this.primed) {
      // Shown mid-song (or frozen on one fixture frame, dt 0): start at the steady fog for this level.
      this.primed = true;
      const c0 = compressLevel(level, sensitivity);
      this.settled = c0;
      this.fog = clamp01(0.4 * c0 + 1.25 * 0.15 * c0);
    }
    let t = finite(dt, 0);
    if (t <= 0) return;
    if (t > MAX_DT) t = MAX_DT;
    const c = compressLevel(level, sensitivity);
    this.settled = approach(this.settled, c, t, this.adaptTau);
    // What is new blooms fully; what has lasted keeps only a share of the pane fogged.
    const fresh = c - 0.85 * this.settled;
    const target = clamp01(0.4 * (c < this.settled ? c : this.settled) + 1.25 * (fresh > 0 ? fresh : 0));
    this.fog = clamp01(approach(this.fog, target, t, target > this.fog ? this.bloomTau : this.recedeTau));
  }
}

/** Most traces on the glass at once; the oldest is wiped over by a new one. */
export const TRACE_SLOTS = 6;
/** Floats per trace: x, y (pane coordinates, -1..1 across the height), angle (radians), age (s). */
export const TRACE_STRIDE = 4;
/** Age given to empty slots: far past any fade. */
export const TRACE_EMPTY_AGE: Seconds = 1e4;

export class TraceRing {
  /** TRACE_SLOTS × TRACE_STRIDE, read by the shader as vec4s. */
  readonly data = new Float32Array(TRACE_SLOTS * TRACE_STRIDE);
  /** Traces made since the start. */
  count = 0;
  /** Onset level that draws a trace, and the level it must fall below before the next. */
  threshold = 0.5;
  rearm = 0.25;
  private armed = true;
  private state: number;

  constructor(seed: number) {
    this.state = (Math.floor(finite(seed, 1)) | 0) ^ 0x5bd1e995;
    for (let k = 0; k < TRACE_SLOTS; k++) this.data[k * TRACE_STRIDE + 3] = TRACE_EMPTY_AGE;
  }

  /** Seeded 0..1 (mulberry32 step on a number field: no closure, no allocation). */
  private next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Age every trace by dt and draw a new one when the onset envelope crosses the threshold. Returns true on a new trace. */
  step(dt: Seconds, onset: Unit01): boolean {
    const t = Math.max(0, Math.min(MAX_DT, finite(dt, 0)));
    const d = this.data;
    for (let k = 0; k < TRACE_SLOTS; k++) {
      const o = k * TRACE_STRIDE + 3;
      if (d[o] < TRACE_EMPTY_AGE) d[o] += t;
    }
    const v = finite(onset, 0);
    if (!this.armed) {
      if (v < this.rearm) this.armed = true;
      return false;
    }
    if (v < this.threshold) return false;
    this.armed = false;
    const o = (this.count % TRACE_SLOTS) * TRACE_STRIDE;
    // Fingers reach the middle of the pane more than its edges; strokes lean mostly downwards.
    d[o] = (this.next() + this.next() - 1) * 1.2;
    d[o + 1] = (this.next() + this.next() - 1) * 0.6;
    d[o + 2] = -Math.PI / 2 + (this.next() - 0.5) * 1.6;
    d[o + 3] = 0;
    this.count++;
    return true;
  }
}
