import { describe, expect, it } from 'vitest';
import { applyBank, bandBank, dctMatrix, hzToMel, melBank, melToHz } from './filterbank.ts';

describe('filterbank', () => {
  it('sums whole bins inside a band and splits edge bins by overlap', () => {
    // 10 Hz bins: bin k spans [(k - 0.5) * 10, (k + 0.5) * 10].
    const bank = bandBank([20, 50, 1000], 11, 10);
    const ones = new Float32Array(11).fill(1);
    const out = new Float32Array(2);
    applyBank(bank, ones, out, 0);
    expect(out[0]).toBeCloseTo(3, 6); // 30 Hz of spectrum = 3 bins' worth
    expect(out[1]).toBeCloseTo(5.5, 6); // 50 Hz up to the last bin's top edge (105 Hz)
  });

  it('gives a band narrower than a bin its share instead of nothing', () => {
    const bank = bandBank([40, 80], 1025, 93.75);
    expect(bank.count[0]).toBeGreaterThan(0);
    const ones = new Float32Array(1025).fill(1);
    const out = new Float32Array(1);
    applyBank(bank, ones, out, 0);
    expect(out[0]).toBeCloseTo(40 / 93.75, 5);
  });

  it('builds mel triangles that peak at 1, cover the range, and never leave a band empty', () => {
    expect(melToHz(hzToMel(1234))).toBeCloseTo(1234, 6);
    for (const binHz of [3.9, 21.5, 93.75]) {
      const bank = melBank(40, 20, Math.min(16000, binHz * 1024), 1025, binHz);
      expect(bank.rows).toBe(40);
      for (let r = 0; r < 40; r++) {
        expect(bank.count[r]).toBeGreaterThan(0);
        let max = 0;
        for (let i = 0; i < bank.count[r]; i++) max = Math.max(max, bank.weights[bank.offset[r] + i]);
        expect(max).toBeLessThanOrEqual(1);
        expect(max).toBeGreaterThan(0);
        // On a fine grid every triangle is sampled near its peak.
        if (binHz < 5) expect(max).toBeGreaterThan(0.5);
      }
      // Centres rise with the band index.
      for (let r = 1; r < 40; r++) expect(bank.firstBin[r]).toBeGreaterThanOrEqual(bank.firstBin[r - 1]);
    }
  });

  it('makes an orthonormal DCT-II', () => {
    const m = dctMatrix(40, 40);
    for (let i = 0; i < 40; i++) {
      for (let j = 0; j < 40; j++) {
        let dot = 0;
        for (let k = 0; k < 40; k++) dot += m[i * 40 + k] * m[j * 40 + k];
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 5);
      }
    }
  });
});
