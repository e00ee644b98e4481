/**
 * Frame timing statistics (pure): a ring of the last frame intervals, the display's median
 * interval, fps and dropped frames (intervals longer than 1.5× the median). No allocation per
 * frame; the median sorts a preallocated copy, so call `refresh` a few times a second.
 */

/** An interval this long is a pause (hidden tab, debugger), not a dropped frame. */
const PAUSE_MS = 1000;

export class FrameStats {
  /** Intervals in ms, oldest first at `start`. */
  readonly intervals: Float64Array;
  /** Time stamp (ms) of each interval's end, same indexing. */
  readonly stamps: Float64Array;
  private readonly sorted: Float64Array;
  private n = 0;
  private head = 0;
  private last = -1;
  /** Median interval of the window (ms), from the latest `refresh`. */
  medianMs = 0;
  /** 99th percentile interval (ms), from the latest `refresh`. */
  p99Ms = 0;
  /** Frames per second over the window. */
  fps = 0;
  /** Dropped frames in the window, and since the start (judged against the median at that time). */
  droppedInWindow = 0;
  droppedTotal = 0;
  frames = 0;

  constructor(
    capacity = 600,
    /** Window of the statistics, ms. */
    readonly windowMs = 5000,
  ) {
    this.intervals = new Float64Array(capacity);
    this.stamps = new Float64Array(capacity);
    this.sorted = new Float64Array(capacity);
  }

  get count(): number {
    return this.n;
  }

  /** Interval i of the ring, 0 = oldest. */
  at(i: number): number {
    return this.intervals[(this.head + this.intervals.length - this.n + i) % this.intervals.length];
  }

  stampAt(i: number): number {
    return this.stamps[(this.head + this.stamps.length - this.n + i) % this.stamps.length];
  }

  /** Record a frame that started at `nowMs` (a requestAnimationFrame time stamp). */
  push(nowMs: number): void {
    if (!Number.isFinite(nowMs)) return;
    const prev = this.last;
    this.last = nowMs;
    if (prev < 0 || nowMs <= prev) return;
    const dt = nowMs - prev;
    if (dt > PAUSE_MS) return;
    this.intervals[this.head] = dt;
    this.stamps[this.head] = nowMs;
    this.head = (this.head + 1) % this.intervals.length;
    if (this.n < this.intervals.length) this.n++;
    this.frames++;
    if (this.medianMs > 0 && dt > 1.5 * this.medianMs) this.droppedTotal++;
  }

  /** Is interval i (0 = oldest) a dropped frame against the current median? */
  isDropped(i: number): boolean {
    return this.medianMs > 0 && this.at(i) > 1.5 * this.medianMs;
  }

  /** Recompute median, p99, fps and dropped frames over the window ending at the newest frame. */
  refresh(): void {
    const n = this.n;
    if (n === 0) return;
    const newest = this.stampAt(n - 1);
    let first = n - 1;
    while (first > 0 && newest - this.stampAt(first - 1) < this.windowMs) first--;
    const k = n - first;
    let sum = 0;
    for (let i = 0; i < k; i++) {
      const v = this.at(first + i);
      this.sorted[i] = v;
      sum += v;
    }
    const view = this.sorted.subarray(0, k);
    view.sort();
    this.medianMs = k % 2 === 1 ? view[(k - 1) >> 1] : 0.5 * (view[k / 2 - 1] + view[k / 2]);
    this.p99Ms = view[Math.min(k - 1, Math.floor(0.99 * k))];
    this.fps = sum > 0 ? (1000 * k) / sum : 0;
    let dropped = 0;
    for (let i = 0; i < k; i++) if (this.at(first + i) > 1.5 * this.medianMs) dropped++;
    this.droppedInWindow = dropped;
  }
}
