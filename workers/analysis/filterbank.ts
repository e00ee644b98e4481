/**
 * Precomputed sparse spectral weightings (band sums, mel triangles) and the MFCC DCT.
 * Built once per analyser; applying one walks only the non-zero weights.
 */
import type { Hz } from '../../engine/features/layout.ts';

/** Rows of (first bin, count, weights) packed into flat typed arrays. */
export interface SparseBank {
  readonly rows: number;
  readonly firstBin: Int32Array;
  readonly count: Int32Array;
  /** Start of each row's weights in `weights`. */
  readonly offset: Int32Array;
  readonly weights: Float32Array;
}

function pack(rows: { first: number; w: number[] }[]): SparseBank {
  let total = 0;
  for (const r of rows) total += r.w.length;
  const bank: SparseBank = {
    rows: rows.length,
    firstBin: new Int32Array(rows.length),
    count: new Int32Array(rows.length),
    offset: new Int32Array(rows.length),
    weights: new Float32Array(total),
  };
  let o = 0;
  rows.forEach((r, i) => {
    bank.firstBin[i] = r.first;
    bank.count[i] = r.w.length;
    bank.offset[i] = o;
    bank.weights.set(r.w, o);
    o += r.w.length;
  });
  return bank;
}

/**
 * Rectangular bands between consecutive `edges`. Each bin stands for the frequency span
 * [k - 1/2, k + 1/2] * binHz and counts with the fraction of that span inside the band, so a
 * band narrower than a bin (low bands at high sample rates) still gets its share.
 */
export function bandBank(edges: readonly Hz[], bins: number, binHz: Hz): SparseBank {
  const rows: { first: number; w: number[] }[] = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    const lo = edges[b];
    const hi = edges[b + 1];
    const w: number[] = [];
    let first = -1;
    for (let k = 0; k < bins; k++) {
      const a = Math.max(0, (k - 0.5) * binHz);
      const z = (k + 0.5) * binHz;
      const overlap = Math.min(hi, z) - Math.max(lo, a);
      if (overlap <= 0) {
        if (first >= 0) break;
        continue;
      }
      if (first < 0) first = k;
      w.push(overlap / binHz);
    }
    rows.push({ first: Math.max(first, 0), w });
  }
  return pack(rows);
}

export function hzToMel(f: Hz): number {
  return 2595 * Math.log10(1 + f / 700);
}

export function melToHz(m: number): Hz {
  return 700 * (Math.pow(10, m / 2595) - 1);
}

/**
 * `count` triangular filters (peak weight 1) equally spaced on the HTK mel scale between
 * lowHz and highHz. A filter too narrow to contain a bin centre takes its nearest bin, so no
 * band is dead at coarse resolutions.
 */
export function melBank(count: number, lowHz: Hz, highHz: Hz, bins: number, binHz: Hz): SparseBank {
  const m0 = hzToMel(lowHz);
  const m1 = hzToMel(highHz);
  const pts: number[] = [];
  for (let i = 0; i < count + 2; i++) pts.push(melToHz(m0 + ((m1 - m0) * i) / (count + 1)));
  const rows: { first: number; w: number[] }[] = [];
  for (let j = 0; j < count; j++) {
    const fl = pts[j];
    const fc = pts[j + 1];
    const fr = pts[j + 2];
    const w: number[] = [];
    let first = -1;
    for (let k = 0; k < bins; k++) {
      const f = k * binHz;
      let v = 0;
      if (f > fl && f < fc) v = (f - fl) / (fc - fl);
      else if (f >= fc && f < fr) v = (fr - f) / (fr - fc);
      if (v <= 0) {
        if (first >= 0) break;
        continue;
      }
      if (first < 0) first = k;
      w.push(v);
    }
    if (first < 0) {
      rows.push({ first: Math.min(bins - 1, Math.round(fc / binHz)), w: [1] });
    } else {
      rows.push({ first, w });
    }
  }
  return pack(rows);
}

/** out[outOffset + r] = sum of weights * values over row r. Allocates nothing. */
export function applyBank(bank: SparseBank, values: Float32Array, out: Float32Array, outOffset: number): void {
  const firstBin = bank.firstBin;
  const count = bank.count;
  const offset = bank.offset;
  const weights = bank.weights;
  for (let r = 0; r < bank.rows; r++) {
    const k0 = firstBin[r];
    const o = offset[r];
    const n = count[r];
    let s = 0;
    for (let i = 0; i < n; i++) s += weights[o + i] * values[k0 + i];
    out[outOffset + r] = s;
  }
}

/** Orthonormal DCT-II matrix, row-major [coeffs x inputs]. */
export function dctMatrix(coeffs: number, inputs: number): Float32Array {
  const m = new Float32Array(coeffs * inputs);
  for (let i = 0; i < coeffs; i++) {
    const s = i === 0 ? Math.sqrt(1 / inputs) : Math.sqrt(2 / inputs);
    for (let j = 0; j < inputs; j++) m[i * inputs + j] = s * Math.cos((Math.PI * i * (j + 0.5)) / inputs);
  }
  return m;
}
