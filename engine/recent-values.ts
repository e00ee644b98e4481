/**
 * The newest N values of a running measurement (hop costs, feature ages) with quantiles for
 * status displays. `push` allocates nothing and may run per hop or per frame; `quantile`
 * sorts a preallocated copy, so call it a few times a second, not per frame.
 */
export class RecentValues {
  private readonly values: Float64Array;
  private readonly scratch: Float64Array;
  private next = 0;
  /** Values held (at most the capacity). */
  count = 0;

  constructor(readonly capacity: number) {
    this.values = new Float64Array(capacity);
    this.scratch = new Float64Array(capacity);
  }

  push(v: number): void {
    this.values[this.next] = v;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** Value at quantile q (0 = smallest, 0.5 = median, 1 = largest) of the values held; 0 when empty. */
  quantile(q: number): number {
    const n = this.count;
    if (n === 0) return 0;
    const view = this.scratch.subarray(0, n);
    view.set(this.values.subarray(0, n));
    view.sort();
    return view[Math.min(n - 1, Math.max(0, Math.floor(q * (n - 1))))];
  }

  clear(): void {
    this.count = 0;
    this.next = 0;
  }
}
