/**
 * Feed a whole signal through a HopAnalyzer hop by hop, exactly as the live worker does
 * (one hop of new samples at a time, stamped with the audio time of its last sample).
 * For tests, the analyse CLI and benchmarks; not a hot path.
 */
import { FEATURE_COUNT, type Seconds } from '../../engine/features/layout.ts';
import type { HopAnalyzer } from './contract.ts';

export interface HopVisitor {
  /** Called after each hop with the analyser's output (reused: copy what you keep). */
  (features: Float32Array, endTime: Seconds, hopIndex: number, onset: boolean): void;
}

export interface OfflineResult {
  /** Times of detected onsets, in audio seconds. */
  onsets: Seconds[];
  hops: number;
  /** Features of the last hop. */
  last: Float32Array;
}

/**
 * Analyse `signal` from audio time `startTime`. A final partial hop is zero-padded, so every
 * sample is analysed.
 */
export function analyzeSignal(analyzer: HopAnalyzer, signal: Float32Array, visit?: HopVisitor, startTime: Seconds = 0): OfflineResult {
  const { hopSize, sampleRate } = analyzer.config;
  const hop = new Float32Array(hopSize);
  const out = new Float32Array(FEATURE_COUNT);
  const onsets: Seconds[] = [];
  const hops = Math.ceil(signal.length / hopSize);
  for (let i = 0; i < hops; i++) {
    const a = i * hopSize;
    const b = Math.min(a + hopSize, signal.length);
    hop.set(signal.subarray(a, b));
    if (b - a < hopSize) hop.fill(0, b - a);
    const endTime = startTime + (a + hopSize - 1) / sampleRate;
    const onset = analyzer.processHop(hop, endTime, out);
    if (onset) onsets.push(analyzer.lastOnsetTime);
    if (visit) visit(out, endTime, i, onset);
  }
  return { onsets, hops, last: out };
}
