import { describe, expect, it } from 'vitest';
import { FEATURE_COLUMNS, FEATURE_COUNT, F } from '../engine/features/layout.ts';
import { CaptureProcessorCore, RENDER_QUANTUM_FRAMES, createCaptureBuffers, openCaptureRing } from '../workers/capture-shared.ts';
import type { AnalyzerConfig, HopAnalyzer } from '../workers/analysis/contract.ts';
import { CSV_HEADER, HopFeeder, csvRow, downmixToMono, formatValue, hopEndTime, onsetsText, sizeProblem } from './analyze-core.ts';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Records what it is fed; reports an onset on hops whose first sample is 1. */
class RecordingAnalyzer implements HopAnalyzer {
  readonly hops: Float32Array[] = [];
  readonly times: number[] = [];
  lastOnsetTime = -1;
  constructor(readonly config: AnalyzerConfig) {}
  processHop(hop: Float32Array, endTime: number, out: Float32Array): boolean {
    this.hops.push(hop.slice());
    this.times.push(endTime);
    out.fill(0);
    out[F.rms] = hop[0];
    if (hop[0] === 1) this.lastOnsetTime = endTime - 0.001;
    return hop[0] === 1;
  }
  reset(): void {}
  dispose(): void {}
}

describe('downmixToMono', () => {
  it('matches the live capture worklet bit for bit (channel average, non-finite → 0)', () => {
    for (const nch of [1, 2, 3, 8]) {
      const frames = RENDER_QUANTUM_FRAMES * 20;
      const r = seeded(nch);
      const chans: Float32Array[] = [];
      for (let c = 0; c < nch; c++) {
        const ch = new Float32Array(frames);
        for (let i = 0; i < frames; i++) ch[i] = r() * 2 - 1;
        chans.push(ch);
      }
      chans[0][5] = NaN;
      chans[nch - 1][77] = Infinity;
      const buffers = createCaptureBuffers(1 << 14);
      const core = new CaptureProcessorCore(buffers, 48000);
      const ring = openCaptureRing(buffers.ring);
      const live = new Float32Array(frames);
      for (let off = 0; off < frames; off += RENDER_QUANTUM_FRAMES) {
        core.processBlock(chans.map((c) => c.subarray(off, off + RENDER_QUANTUM_FRAMES)), RENDER_QUANTUM_FRAMES, off);
      }
      expect(ring.pop(live)).toBe(frames);
      const offline = downmixToMono(chans);
      expect(offline[5]).toBe(0);
      expect(offline[77]).toBe(0);
      expect(Buffer.compare(Buffer.from(offline.buffer), Buffer.from(live.buffer)), `${nch} channels`).toBe(0);
    }
  });
});

describe('HopFeeder', () => {
  it('feeds hop-sized chunks stamped with the time of their last sample, zero-padding the tail', () => {
    const sr = 1000;
    const mono = new Float32Array(64 * 3 + 10).map((_, i) => (i % 64 === 0 ? 1 : 0.5));
    const a = new RecordingAnalyzer({ sampleRate: sr, hopSize: 64, frameSize: 128 });
    const feeder = new HopFeeder(a, mono);
    expect(feeder.totalHops).toBe(4);
    const rows: string[] = [];
    expect(feeder.run(3, (t, f) => rows.push(csvRow(t, f)))).toBe(3);
    expect(feeder.run(100, (t, f) => rows.push(csvRow(t, f)))).toBe(1);
    expect(feeder.run(100, () => {})).toBe(0);
    expect(a.times).toEqual([63 / sr, 127 / sr, 191 / sr, 255 / sr]);
    expect(a.hops[1][0]).toBe(1);
    expect(a.hops[3].subarray(0, 10).every((v, i) => v === (i === 0 ? 1 : 0.5))).toBe(true);
    expect(a.hops[3].subarray(10).every((v) => v === 0)).toBe(true);
    expect(feeder.onsetTimes).toEqual([0.062, 0.126, 0.19, 0.254]);
    expect(onsetsText(feeder.onsetTimes)).toBe('0.062000\n0.126000\n0.190000\n0.254000\n');
    expect(rows[0].split(',')).toHaveLength(FEATURE_COUNT + 1);
    expect(rows[0].startsWith('0.063000,1,0,')).toBe(true);
  });

  it('times hops from t = 0 at the first sample', () => {
    expect(hopEndTime(0, 512, 48000)).toBeCloseTo(511 / 48000, 12);
    expect(hopEndTime(9, 512, 48000)).toBeCloseTo((10 * 512 - 1) / 48000, 12);
  });
});

describe('output formatting and limits', () => {
  it('formats Float32 values compactly and the header from the feature layout', () => {
    expect(formatValue(0)).toBe('0');
    expect(formatValue(Math.fround(0.35355339))).toBe('0.3535534');
    expect(formatValue(Math.fround(440.00001))).toBe('440');
    expect(formatValue(-120)).toBe('-120');
    expect(formatValue(Math.fround(1.5e-9))).toBe('1.5e-9');
    expect(CSV_HEADER.split(',')).toEqual(['time', ...FEATURE_COLUMNS]);
  });

  it('accepts the sizes the live worker accepts', () => {
    expect(sizeProblem(2048, 512)).toBeNull();
    expect(sizeProblem(256, 64)).toBeNull();
    expect(sizeProblem(16384, 4096)).toBeNull();
    expect(sizeProblem(1000, 500)).toMatch(/power of two/);
    expect(sizeProblem(128, 64)).toMatch(/power of two/);
    expect(sizeProblem(1024, 2048)).toMatch(/invalid/);
    expect(sizeProblem(2048, 32)).toMatch(/invalid/);
    expect(sizeProblem(32768, 512)).toMatch(/invalid/);
    expect(sizeProblem(2048.5, 512)).toMatch(/integers/);
  });
});
