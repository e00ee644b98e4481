/**
 * A decimated history of the input: low-pass filtered (4th-order Butterworth, two biquads),
 * every D-th sample kept in a circular buffer. Lets chroma and pitch read a longer, band-
 * limited frame than the main analysis frame without another pass over old samples.
 * push() and readWindowed() allocate nothing.
 */
import type { Hz } from '../../engine/features/layout.ts';

/** Butterworth 4th order as two biquads with these Qs. */
const Q1 = 0.5411961;
const Q2 = 1.3065630;

interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

function lowpass(cutoff: Hz, sampleRate: number, q: number): Biquad {
  const w0 = (2 * Math.PI * cutoff) / sampleRate;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  return { b0: (1 - cos) / 2 / a0, b1: (1 - cos) / a0, b2: (1 - cos) / 2 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

/** Largest power-of-two factor that keeps sampleRate / factor at or above `minRate`. */
export function decimationFor(sampleRate: number, minRate: number): number {
  let d = 1;
  while (sampleRate / (d * 2) >= minRate) d *= 2;
  return d;
}

/** Smallest power-of-two factor that brings sampleRate / factor to `maxRate` or below. */
export function decimationBelow(sampleRate: number, maxRate: number): number {
  let d = 1;
  while (sampleRate / d > maxRate) d *= 2;
  return d;
}

export class DecimatedRing {
  readonly factor: number;
  readonly length: number;
  /** Sample rate of the ring's contents. */
  readonly rate: number;
  private readonly ring: Float32Array;
  private pos = 0;
  private phase = 0;
  private readonly f1: Biquad;
  private readonly f2: Biquad;
  // Transposed direct form II state of the two biquads.
  private s1a = 0;
  private s1b = 0;
  private s2a = 0;
  private s2b = 0;

  /** `factor` 1 stores the input as is; otherwise it is low-passed at `cutoff` first. */
  constructor(sampleRate: number, factor: number, length: number, cutoff: Hz) {
    this.factor = factor;
    this.length = length;
    this.rate = sampleRate / factor;
    this.ring = new Float32Array(length);
    this.f1 = lowpass(cutoff, sampleRate, Q1);
    this.f2 = lowpass(cutoff, sampleRate, Q2);
  }

  reset(): void {
    this.ring.fill(0);
    this.pos = 0;
    this.phase = 0;
    this.s1a = this.s1b = this.s2a = this.s2b = 0;
  }

  /** Append src[from..to). */
  push(src: Float32Array, from: number, to: number): void {
    const ring = this.ring;
    const len = this.length;
    let pos = this.pos;
    if (this.factor === 1) {
      for (let i = from; i < to; i++) {
        ring[pos] = src[i];
        pos = pos + 1 === len ? 0 : pos + 1;
      }
      this.pos = pos;
      return;
    }
    const f1 = this.f1;
    const f2 = this.f2;
    const d = this.factor;
    let s1a = this.s1a;
    let s1b = this.s1b;
    let s2a = this.s2a;
    let s2b = this.s2b;
    let phase = this.phase;
    for (let i = from; i < to; i++) {
      const x = src[i];
      const y1 = f1.b0 * x + s1a;
      s1a = f1.b1 * x - f1.a1 * y1 + s1b;
      s1b = f1.b2 * x - f1.a2 * y1;
      const y2 = f2.b0 * y1 + s2a;
      s2a = f2.b1 * y1 - f2.a1 * y2 + s2b;
      s2b = f2.b2 * y1 - f2.a2 * y2;
      if (++phase === d) {
        phase = 0;
        ring[pos] = y2;
        pos = pos + 1 === len ? 0 : pos + 1;
      }
    }
    // Flush decaying state to zero before it reaches subnormals (slow arithmetic) in silence.
    this.s1a = s1a > -1e-30 && s1a < 1e-30 ? 0 : s1a;
    this.s1b = s1b > -1e-30 && s1b < 1e-30 ? 0 : s1b;
    this.s2a = s2a > -1e-30 && s2a < 1e-30 ? 0 : s2a;
    this.s2b = s2b > -1e-30 && s2b < 1e-30 ? 0 : s2b;
    this.phase = phase;
    this.pos = pos;
  }

  /** out[i] = ring (oldest first) * window[i], for the ring's whole length. */
  readWindowed(window: Float32Array, out: Float32Array): void {
    const ring = this.ring;
    const len = this.length;
    let pos = this.pos;
    for (let i = 0; i < len; i++) {
      out[i] = ring[pos] * window[i];
      pos = pos + 1 === len ? 0 : pos + 1;
    }
  }
}
