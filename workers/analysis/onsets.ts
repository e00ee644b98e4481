/**
 * Causal onset picking on a per-hop onset detection function (ODF), and onset-time
 * localisation inside the analysis frame.
 *
 * Decision (no lookahead, so no added latency): an onset fires on the first hop whose ODF
 * exceeds max(absolute floor, median of the recent ODF * (1 + relative margin)), then waits
 * for the ODF to fall back under the threshold before it can fire again, and never fires
 * twice within the minimum gap. The median follows the recent level, so steady hiss (a high
 * but even ODF) does not fire; an absolute ODF floor and a -50 dBFS peak gate keep
 * near-silence (a recording's noise floor) quiet; a rise with no
 * sharp attack in the waveform (a breath, a swell) must clear the threshold several times over.
 *
 * Time: a hop-rate decision alone is only hop-accurate (64 ms at 8 kHz). The frame's newest
 * samples are searched for the sharpest rise of high-passed energy in ~1 ms blocks, and the
 * onset is stamped at that block.
 */
import type { Seconds } from '../../engine/features/layout.ts';

/** Energy jump (vs the ~2 ms before) that marks a sharp attack; hits score 10..1000, swells under 3. */
const STEP_MIN = 4;
/** Without a sharp attack the ODF must exceed this many thresholds. */
const SOFT_FACTOR = 4;
/** The ODF falling under this fraction of its peak since the last crossing re-arms the detector. */
const REARM_DIP = 0.6;
/** An ODF this many times the previous hop's (one-hop jump) is a sharp attack even when the waveform step is masked (hiss, dense mixes). */
const HOP_RISE = 2.5;
/** ...and clear the threshold this many times over. */
const RISE_FACTOR = 2;

export interface OnsetParams {
  sampleRate: number;
  frameSize: number;
  hopSize: number;
  /** Length of the median window, seconds (default 0.3). */
  medianWindow?: Seconds;
  /** Threshold = median * (1 + relative) (default 1.0, i.e. twice the median). */
  relative?: number;
  /** ODF values below this never fire (default 0.03). */
  absoluteFloor?: number;
  /** Minimum time between onsets (default 0.05 s). */
  minGap?: Seconds;
  /** No onset while the recent sample peak is below this (default 0.003, -50 dBFS). */
  minPeak?: number;
}

export class OnsetDetector {
  readonly sampleRate: number;
  readonly frameSize: number;
  readonly hopSize: number;
  private readonly relative: number;
  private readonly absoluteFloor: number;
  private readonly minGap: Seconds;
  private readonly minPeak: number;
  private readonly history: Float32Array;
  private readonly sorted: Float32Array;
  private historyFill = 0;
  private historyPos = 0;
  private armed = true;
  /** Highest ODF since the last crossing (a clear dip from it re-arms, so dense notes each count). */
  private crossPeak = 0;
  private prevOdf = 0;
  private peakEnv = 0;
  private readonly peakDecay: number;
  /** Audio time of the newest onset, or -1. */
  lastOnsetTime: Seconds = -1;
  /** Threshold used on the newest hop (diagnostic). */
  threshold = 0;
  /** ODF of the newest hop (diagnostic). */
  odf = 0;
  /** Step score of the newest localised onset: energy jump over the preceding ~2 ms (diagnostic). */
  stepScore = 0;
  /** ODF of the newest hop scaled by its recent peak into 0..1. */
  strength = 0;
  // Localisation scratch: ~1 ms blocks of high-passed energy.
  private readonly block: number;
  private readonly blockEnergy: Float32Array;

  constructor(p: OnsetParams) {
    this.sampleRate = p.sampleRate;
    this.frameSize = p.frameSize;
    this.hopSize = p.hopSize;
    this.relative = p.relative ?? 1.0;
    this.absoluteFloor = p.absoluteFloor ?? 0.03;
    this.minGap = p.minGap ?? 0.05;
    this.minPeak = p.minPeak ?? 0.003;
    const hopSeconds = p.hopSize / p.sampleRate;
    const w = Math.round((p.medianWindow ?? 0.3) / hopSeconds);
    const len = w < 5 ? 5 : w > 64 ? 64 : w;
    this.history = new Float32Array(len);
    this.sorted = new Float32Array(len);
    // Peak envelope for `strength` halves in ~2 s whatever the hop rate.
    this.peakDecay = Math.pow(0.5, hopSeconds / 2);
    this.block = Math.max(4, Math.round(p.sampleRate * 0.001));
    this.blockEnergy = new Float32Array(Math.ceil(p.frameSize / this.block) + 2);
  }

  reset(): void {
    this.history.fill(0);
    this.historyFill = 0;
    this.historyPos = 0;
    this.armed = true;
    this.crossPeak = 0;
    this.prevOdf = 0;
    this.peakEnv = 0;
    this.lastOnsetTime = -1;
    this.threshold = 0;
    this.strength = 0;
  }

  /** Median of the ODF history (excluding the newest hop). Insertion sort: the window is small. */
  private median(): number {
    const n = this.historyFill;
    if (n === 0) return 0;
    const s = this.sorted;
    for (let i = 0; i < n; i++) {
      const v = this.history[i];
      let j = i - 1;
      while (j >= 0 && s[j] > v) {
        s[j + 1] = s[j];
        j--;
      }
      s[j + 1] = v;
    }
    return (n & 1) === 1 ? s[n >> 1] : 0.5 * (s[(n >> 1) - 1] + s[n >> 1]);
  }

  /**
   * Feed one hop's ODF. `frame` holds the analysis frame whose last sample plays at `endTime`;
   * `peak` is the absolute sample peak of the newest samples (the level gate).
   * Returns true when an onset fires; its time is then in `lastOnsetTime`.
   */
  update(odf: number, frame: Float32Array, endTime: Seconds, peak: number): boolean {
    const med = this.median();
    const thr = Math.max(this.absoluteFloor, med * (1 + this.relative));
    this.threshold = thr;
    this.odf = odf;
    const env = Math.max(odf, this.peakEnv * this.peakDecay, this.absoluteFloor * 4);
    this.peakEnv = env;
    const st = odf / env;
    this.strength = st > 1 ? 1 : st < 0 ? 0 : st;

    let fired = false;
    // A clear dip below the crossing's peak re-arms even above the threshold: fast runs of notes
    // (eighths at 180 BPM, arpeggios) keep the ODF high between their attacks.
    if (!this.armed && odf < REARM_DIP * this.crossPeak) this.armed = true;
    const rising = odf > HOP_RISE * this.prevOdf + this.absoluteFloor && odf > RISE_FACTOR * thr;
    this.prevOdf = odf;
    if (odf > thr) {
      // Too quiet to be anything a listener would call a hit (a noise floor fading in):
      // stays armed, so the same rise can still fire once it is loud enough.
      if (this.armed && peak >= this.minPeak) {
        const t = this.localise(frame, endTime);
        // A rise without a sharp step (breath, a swell) must be far stronger to count.
        const decisive = this.stepScore >= STEP_MIN || odf >= SOFT_FACTOR * thr || rising;
        if (decisive && (this.lastOnsetTime < 0 || t - this.lastOnsetTime >= this.minGap)) {
          this.lastOnsetTime = t;
          fired = true;
        }
        // Judged once per crossing: a swell that fails here cannot creep in on later hops.
        this.armed = false;
        this.crossPeak = odf;
      } else if (odf > this.crossPeak) this.crossPeak = odf;
    } else {
      this.armed = true;
    }

    this.history[this.historyPos] = odf;
    this.historyPos = this.historyPos + 1 === this.history.length ? 0 : this.historyPos + 1;
    if (this.historyFill < this.history.length) this.historyFill++;
    return fired;
  }

  /**
   * An onset found by another detector (a band onset: a kick under tape hiss barely moves the
   * full-band ODF). Localised like our own; refused inside the minimum gap of the previous onset.
   */
  accept(frame: Float32Array, endTime: Seconds): boolean {
    const t = this.localise(frame, endTime);
    if (this.lastOnsetTime >= 0 && t - this.lastOnsetTime < this.minGap) return false;
    this.lastOnsetTime = t;
    this.armed = false;
    this.crossPeak = this.odf;
    return true;
  }

  /** Audio time of the sharpest rise of high-passed energy among the frame's newest samples. */
  private localise(frame: Float32Array, endTime: Seconds): Seconds {
    const n = this.frameSize;
    const b = this.block;
    const sr = this.sampleRate;
    // Search the two newest hops, never before the previous onset's refractory window.
    let start = n - 2 * this.hopSize;
    if (this.lastOnsetTime >= 0) {
      const p = Math.ceil(n - 1 - (endTime - this.lastOnsetTime - this.minGap) * sr);
      if (p > start) start = p;
    }
    const fallback = endTime - (0.5 * this.hopSize) / sr;
    this.stepScore = 0;
    // Blocks end exactly at the newest sample, with two extra blocks before the span as "before".
    let nb = Math.floor((n - start) / b) + 2;
    if (n - nb * b < 1) nb = Math.floor((n - 1) / b);
    if (nb < 3) return fallback;
    const s0 = n - nb * b;
    const e = this.blockEnergy;
    let maxE = 0;
    for (let j = 0; j < nb; j++) {
      const a = s0 + j * b;
      let s = 0;
      for (let i = a; i < a + b; i++) {
        const d = frame[i] - frame[i - 1];
        s += d * d;
      }
      e[j] = s;
      if (j >= 2 && s > maxE) maxE = s;
    }
    if (maxE <= 1e-12) return fallback;
    const floor = 1e-3 * maxE + 1e-12;
    let best = -1;
    let bestScore = 0;
    for (let j = 2; j < nb; j++) {
      if (e[j] < 0.05 * maxE) continue;
      const before = e[j - 1] > e[j - 2] ? e[j - 1] : e[j - 2];
      const score = e[j] / (before + floor);
      if (score > bestScore) {
        bestScore = score;
        best = j;
      }
    }
    this.stepScore = bestScore;
    // Without a clear step (a swell, not a hit) the newest hop's centre is the honest guess.
    if (best < 0 || bestScore < STEP_MIN) return fallback;
    const pos = s0 + best * b + 0.5 * b;
    return endTime - (n - 1 - pos) / sr;
  }
}
