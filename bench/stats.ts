/**
 * Timing and summary helpers shared by the benchmarks. Benchmarks print figures; they never
 * pass or fail on time.
 */

/** Value at quantile q (0..1) of the samples, nearest-rank on a sorted copy. */
export function quantile(samples: Float64Array, q: number): number {
  if (samples.length === 0) return Number.NaN;
  const s = samples.slice().sort();
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i];
}

export function median(samples: Float64Array): number {
  if (samples.length === 0) return Number.NaN;
  const s = samples.slice().sort();
  const m = s.length >> 1;
  return (s.length & 1) === 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

export function p99(samples: Float64Array): number {
  return quantile(samples, 0.99);
}

export function mean(samples: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i];
  return samples.length > 0 ? sum / samples.length : Number.NaN;
}

export interface Summary {
  n: number;
  median: number;
  p99: number;
  mean: number;
  max: number;
}

export function summarize(samples: Float64Array): Summary {
  let max = -Infinity;
  for (let i = 0; i < samples.length; i++) if (samples[i] > max) max = samples[i];
  return { n: samples.length, median: median(samples), p99: p99(samples), mean: mean(samples), max };
}

/** Milliseconds taken by each of `count` calls of fn(i). */
export function timeEach(count: number, fn: (i: number) => void): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    fn(i);
    out[i] = performance.now() - t0;
  }
  return out;
}

/** A plain fixed-width table: the first column left-aligned, the rest right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) => cells.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
