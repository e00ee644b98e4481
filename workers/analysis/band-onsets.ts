/**
 * Per-band onsets (low / mid / high), so a kick, a snare and a hi-hat can drive different
 * things. Each band's log-energy rise is compared with its own recent statistics (adaptive
 * threshold), with an absolute floor, a level gate and a minimum gap; each band publishes an
 * envelope (1 at its onset, halving every `halfLife`) that the frame loop reads as is.
 * Causal, per hop, allocation-free.
 */
import type { Seconds } from '../../engine/features/layout.ts';

export interface BandOnsetOptions {
  /** Hops per second (sampleRate / hopSize). */
  hopRate: number;
  bands?: number;
  /** Envelope half-life. */
  halfLife?: Seconds;
  /** Shortest time between two onsets of one band. */
  minGap?: Seconds;
  /** Threshold: mean + k × mean absolute deviation of the recent rises. */
  k?: number;
  /** Smallest rise (natural log of energy ratio) that can count: about +4.8 dB. */
  minRise?: number;
  /** Time constant of the running statistics. */
  statsTime?: Seconds;
  /** Band energy below this (relative to the band's recent peak) cannot trigger. */
  relativeFloor?: number;
  /** No onsets in the first seconds after start or reset, while statistics settle. */
  warmup?: Seconds;
}

const TINY = 1e-12;

export class BandOnsets {
  readonly bands: number;
  /** Envelope per band after the newest hop, 0..1. */
  readonly envelope: Float32Array;
  /** 1 for bands with an onset on the newest hop. */
  readonly fired: Uint8Array;
  private readonly prevLog: Float64Array;
  private readonly prevLog2: Float64Array;
  private readonly mean: Float64Array;
  private readonly dev: Float64Array;
  private readonly peak: Float64Array;
  private readonly since: Float64Array;
  private readonly decay: number;
  private readonly statsAlpha: number;
  private readonly peakDecay: number;
  private readonly minGapHops: number;
  private readonly k: number;
  private readonly minRise: number;
  private readonly relFloor: number;
  private hops = 0;
  private readonly warmupHops: number;

  constructor(opts: BandOnsetOptions) {
    if (!(opts.hopRate > 0) || !Number.isFinite(opts.hopRate)) throw new RangeError(`band onsets need a positive hop rate, got ${String(opts.hopRate)}`);
    const n = opts.bands ?? 3;
    this.bands = n;
    this.envelope = new Float32Array(n);
    this.fired = new Uint8Array(n);
    this.prevLog = new Float64Array(n);
    this.prevLog2 = new Float64Array(n);
    this.mean = new Float64Array(n);
    this.dev = new Float64Array(n);
    this.peak = new Float64Array(n);
    this.since = new Float64Array(n).fill(1e9);
    const hopDur = 1 / opts.hopRate;
    this.decay = Math.pow(0.5, hopDur / (opts.halfLife ?? 0.12));
    this.statsAlpha = 1 - Math.exp(-hopDur / (opts.statsTime ?? 1.5));
    this.peakDecay = Math.exp(-hopDur / 4);
    this.minGapHops = Math.max(1, Math.round((opts.minGap ?? 0.06) * opts.hopRate));
    this.k = opts.k ?? 3;
    this.minRise = opts.minRise ?? 1.1;
    this.relFloor = opts.relativeFloor ?? 0.002;
    // The analysis frame fills during the first hops: rises then are the window, not the sound.
    this.warmupHops = Math.max(2, Math.ceil((opts.warmup ?? 0.12) * opts.hopRate));
  }

  /** One hop: `energy[offset + b]` is band b's energy; `gate` false for near-silent input. */
  push(energy: Float32Array, offset: number, gate: boolean): void {
    this.hops++;
    for (let b = 0; b < this.bands; b++) {
      const e = energy[offset + b];
      const v = e > TINY ? e : TINY;
      const lg = Math.log(v);
      // against the larger of the last two hops: a low note beating against the hop is no rise
      const before = this.prevLog[b] > this.prevLog2[b] ? this.prevLog[b] : this.prevLog2[b];
      const rise = this.hops > 2 ? lg - before : 0;
      this.prevLog2[b] = this.prevLog[b];
      this.prevLog[b] = lg;
      const r = rise > 0 ? rise : 0;
      const peak = Math.max(v, this.peak[b] * this.peakDecay);
      this.peak[b] = peak;
      const threshold = this.mean[b] + this.k * this.dev[b];
      this.since[b]++;
      let fire = false;
      if (gate && this.hops > this.warmupHops && r > this.minRise && r > threshold && this.since[b] >= this.minGapHops && v > peak * this.relFloor) fire = true;
      // Statistics follow the rises, excluding the onsets themselves so a steady pulse keeps its threshold.
      if (!fire) {
        const a = this.statsAlpha;
        const d = r - this.mean[b];
        this.mean[b] += a * d;
        this.dev[b] += a * ((d < 0 ? -d : d) - this.dev[b]);
      }
      this.fired[b] = fire ? 1 : 0;
      if (fire) {
        this.since[b] = 0;
        this.envelope[b] = 1;
      } else {
        this.envelope[b] *= this.decay;
      }
    }
  }

  reset(): void {
    this.hops = 0;
    this.envelope.fill(0);
    this.fired.fill(0);
    this.prevLog.fill(0);
    this.prevLog2.fill(0);
    this.mean.fill(0);
    this.dev.fill(0);
    this.peak.fill(0);
    this.since.fill(1e9);
  }
}
