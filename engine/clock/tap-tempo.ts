/**
 * Tap tempo: turns a performer's taps (audio-clock times) into a tempo and a beat phase.
 * Robust to a stray tap: intervals are judged against their median, each tap gets a beat index,
 * and a line is fitted through the taps that sit near the grid; the latest good tap sets phase.
 */
import type { Bpm, Seconds, Unit01 } from '../features/layout.ts';

const MAX_TAPS = 12;

export interface TapTempoOptions {
  /** A pause longer than this starts a new tap sequence. */
  readonly resetAfter: Seconds;
  readonly minBpm: Bpm;
  readonly maxBpm: Bpm;
  /** A tap further than this fraction of a beat from the fitted grid is ignored. */
  readonly outlierBeats: number;
}

export const TAP_DEFAULTS: TapTempoOptions = { resetAfter: 2, minBpm: 30, maxBpm: 300, outlierBeats: 0.2 };

export class TapTempo {
  /** Tempo from the taps; 0 until two taps agree on one. */
  bpm: Bpm = 0;
  /** Audio time of a beat on the tapped grid (the latest good tap). */
  anchorTime: Seconds = 0;
  /** Audio time of the newest tap accepted (good or outlier); -Infinity before any. */
  lastTap: Seconds = -Infinity;
  /** The newest tap on the interval clock. */
  private lastWall: Seconds = -Infinity;
  /** How well the taps agree (0..1). */
  confidence: Unit01 = 0;
  /** Taps in the current sequence (including rejected ones). */
  count = 0;
  /** Taps of the current sequence the last fit ignored. */
  rejected = 0;

  private readonly opts: TapTempoOptions;
  /** Tap times on the clock the intervals are measured on (`wall`). */
  private readonly times = new Float64Array(MAX_TAPS);
  /** The same taps in audio time (phase anchors). */
  private readonly audioTimes = new Float64Array(MAX_TAPS);
  private readonly scratch = new Float64Array(MAX_TAPS);
  private readonly index = new Float64Array(MAX_TAPS);

  constructor(options: Partial<TapTempoOptions> = {}) {
    this.opts = { ...TAP_DEFAULTS, ...options };
  }

  /** Forget the taps and the tapped tempo. */
  clear(): void {
    this.count = 0;
    this.bpm = 0;
    this.confidence = 0;
    this.rejected = 0;
    this.lastTap = -Infinity;
    this.lastWall = -Infinity;
  }

  /**
   * One tap at audio time `t`. `wall` is the same instant on the performer's own clock (the input
   * event's timestamp, in seconds): intervals are measured on it when given, so a late event
   * handler or an audio clock that stalls under load does not bend the tapped tempo; the phase
   * stays anchored in audio time. Returns false (and ignores it) for a non-finite or
   * non-increasing time.
   */
  tap(t: Seconds, wall: Seconds = t): boolean {
    if (!Number.isFinite(t) || !Number.isFinite(wall) || wall <= this.lastWall) return false;
    if (wall - this.lastWall > this.opts.resetAfter) this.count = 0;
    this.lastWall = wall;
    this.lastTap = t;
    if (this.count === MAX_TAPS) {
      this.times.copyWithin(0, 1);
      this.audioTimes.copyWithin(0, 1);
      this.count--;
    }
    this.audioTimes[this.count] = t;
    this.times[this.count++] = wall;
    // One tap re-anchors the phase of the tempo tapped before (tap once on a beat to re-sync).
    this.anchorTime = t;
    if (this.count >= 2) this.fit();
    return true;
  }

  private fit(): void {
    const n = this.count;
    const times = this.times;
    const minI = 60 / this.opts.maxBpm;
    const maxI = 60 / this.opts.minBpm;
    // Median of the plausible intervals (sorted in a preallocated scratch).
    let m = 0;
    for (let i = 1; i < n; i++) {
      const d = times[i] - times[i - 1];
      if (d < minI || d > maxI) continue;
      let j = m++;
      while (j > 0 && this.scratch[j - 1] > d) {
        this.scratch[j] = this.scratch[j - 1];
        j--;
      }
      this.scratch[j] = d;
    }
    if (m === 0) return;
    const median = (m & 1) === 1 ? this.scratch[m >> 1] : 0.5 * (this.scratch[(m >> 1) - 1] + this.scratch[m >> 1]);
    // Grid reference: the tap most others agree with, so one stray tap (even the newest) cannot skew it.
    const tol = this.opts.outlierBeats;
    let ref = n - 1;
    let best = -1;
    for (let r = n - 1; r >= 0; r--) {
      let agree = 0;
      for (let i = 0; i < n; i++) {
        const beats = (times[i] - times[r]) / median;
        if (Math.abs(beats - Math.round(beats)) <= tol) agree++;
      }
      if (agree > best) {
        best = agree;
        ref = r;
      }
    }
    const last = times[ref];
    let sk = 0;
    let st = 0;
    let used = 0;
    for (let i = 0; i < n; i++) {
      const beats = (times[i] - last) / median;
      const k = Math.round(beats);
      // Two taps on one grid slot: keep the first, the second is a double tap.
      let dup = false;
      for (let j = 0; j < i; j++) if (this.index[j] === k) dup = true;
      this.index[i] = Math.abs(beats - k) <= tol && !dup ? k : NaN;
      if (this.index[i] === this.index[i]) {
        sk += k;
        st += times[i] - last;
        used++;
      }
    }
    this.rejected = n - used;
    let period = median;
    let anchor = this.audioTimes[ref];
    if (used >= 2) {
      const mk = sk / used;
      const mt = st / used;
      let skk = 0;
      let skt = 0;
      for (let i = 0; i < n; i++) {
        const k = this.index[i];
        if (k !== k) continue;
        skk += (k - mk) * (k - mk);
        skt += (k - mk) * (times[i] - last - mt);
      }
      if (skk > 0) period = skt / skk;
      // Phase from the newest good tap, as the performer expects.
      for (let i = n - 1; i >= 0; i--) {
        if (this.index[i] === this.index[i]) {
          anchor = this.audioTimes[i];
          break;
        }
      }
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const k = this.index[i];
        if (k !== k) continue;
        const r = times[i] - last - (mt + (k - mk) * period);
        ss += r * r;
      }
      const rms = Math.sqrt(ss / used) / period;
      this.confidence = Math.min(1, (used - 1) / 3) * Math.max(0, 1 - rms / tol);
    } else {
      this.confidence = 0;
    }
    if (!(period >= minI && period <= maxI)) return;
    this.bpm = 60 / period;
    this.anchorTime = anchor;
  }
}
