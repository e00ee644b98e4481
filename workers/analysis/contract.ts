/**
 * The analyser's public shape, shared by the analysis worker, the `npm run analyze` CLI and
 * the benchmarks, so all of them run the same per-hop code path.
 */
import type { Seconds } from '../../engine/features/layout.ts';

export interface AnalyzerConfig {
  /** The audio context's (or file's) real sample rate; passed to every algorithm. */
  sampleRate: number;
  /** Analysis window length in samples (default 2048). */
  frameSize: number;
  /** New samples per analysis step (default 512). */
  hopSize: number;
}

export const DEFAULT_ANALYZER_CONFIG: Omit<AnalyzerConfig, 'sampleRate'> = { frameSize: 2048, hopSize: 512 };

export interface HopAnalyzer {
  readonly config: AnalyzerConfig;
  /**
   * Feed exactly `config.hopSize` new mono samples whose last sample plays at audio time
   * `endTime`; writes FEATURE_COUNT values (engine/features/layout.ts) into `out`.
   * Returns true when an onset was detected in this hop (its time is `lastOnsetTime`).
   * Causal: uses only this and earlier hops. Allocates nothing of its own (essentia.js's
   * bindings create small result objects per call; see docs/PERFORMANCE.md).
   */
  processHop(hop: Float32Array, endTime: Seconds, out: Float32Array): boolean;
  /** Audio time of the newest detected onset, or -1. */
  readonly lastOnsetTime: Seconds;
  /** Forget all history (window, flux state, onset thresholds). */
  reset(): void;
  /** Free every WASM-side object. */
  dispose(): void;
}
