/**
 * Bundles with a future time tag wait here until their time; past or "immediately" ones go at
 * once. A bounded list sorted by due time (a show schedules a handful ahead, not thousands).
 */

export class BundleScheduler<T> {
  /** Items refused because the schedule was full or too far ahead. */
  refused = 0;
  private items: { due: number; item: T }[] = [];

  constructor(
    readonly capacity = 4096,
    /** Items due further ahead than this are refused (a wrong clock, not a plan). */
    readonly maxAheadMs = 60_000,
  ) {}

  get size(): number {
    return this.items.length;
  }

  /** True when `dueMs` is in the future and the item was kept; false means "run it now" (or refused, see `refused`). */
  schedule(dueMs: number, nowMs: number, item: T): 'now' | 'later' | 'refused' {
    if (!(dueMs > nowMs)) return 'now';
    if (dueMs - nowMs > this.maxAheadMs || this.items.length >= this.capacity) {
      this.refused++;
      return 'refused';
    }
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid].due <= dueMs) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, { due: dueMs, item });
    return 'later';
  }

  /** Items due at `nowMs`, oldest first, removed from the schedule. */
  takeDue(nowMs: number): T[] {
    let n = 0;
    while (n < this.items.length && this.items[n].due <= nowMs) n++;
    if (n === 0) return [];
    return this.items.splice(0, n).map((x) => x.item);
  }

  /** Time of the next due item, or Infinity. */
  nextDue(): number {
    return this.items.length > 0 ? this.items[0].due : Infinity;
  }
}
