/**
 * Feed a whole signal through a HopAnalyzer hop by hop, exactly as the live worker does
 * (one hop of new samples at a time, stamped with the audio time of its last sample).
 * For tests, the analyse CLI and benchmarks; not a hot path.
 */
import { F, FEATURE_COUNT, type Seconds } from '../../engine/features/layout.ts';
import type { HopAnalyzer } from './contract.ts';
import type { TempoTracker } from './tempo.ts';

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

/** Audio time of the last sample of hop `k` (0-based) when the first sample plays at t = 0. */
export function hopEndTime(k: number, hopSize: number, sampleRate: number): Seconds {
  return ((k + 1) * hopSize - 1) / sampleRate;
}

/**
 * Feeds a mono signal through a HopAnalyzer hop by hop, exactly as the live worker sees the
 * stream: hop-sized chunks, each stamped with the time of its last sample, the last partial hop
 * zero-padded. Runs in slices so the caller can write output between them.
 */
export class HopFeeder {
  readonly totalHops: number;
  readonly onsetTimes: Seconds[] = [];
  /** Beats as the live engine emits them (predicted times, up to one hop early), downbeats, and `time bpm` changes. */
  readonly beatTimes: Seconds[] = [];
  readonly downbeatTimes: Seconds[] = [];
  readonly bpmLines: [Seconds, number][] = [];
  private lastBpm = -1;
  /** Hops fed so far. */
  done = 0;
  /** Wall time spent inside processHop, in seconds. */
  analysisSeconds = 0;
  private readonly hop: Float32Array;

  /** The newest hop's features (reused every hop: copy what you keep). */
  readonly features = new Float32Array(FEATURE_COUNT);

  constructor(
    private readonly analyzer: HopAnalyzer,
    private readonly mono: Float32Array,
    /** Audio time at which the first sample plays. */
    private readonly startTime: Seconds = 0,
  ) {
    this.hop = new Float32Array(analyzer.config.hopSize);
    this.totalHops = Math.ceil(mono.length / analyzer.config.hopSize);
  }

  /** Feed up to `maxHops` more hops; `onRow` sees each hop's features (valid only during the call). */
  run(maxHops: number, onRow: (endTime: Seconds, features: Float32Array, onset: boolean) => void): number {
    const { hopSize, sampleRate } = this.analyzer.config;
    const stop = Math.min(this.totalHops, this.done + maxHops);
    const first = this.done;
    for (let k = first; k < stop; k++) {
      const start = k * hopSize;
      const end = Math.min(start + hopSize, this.mono.length);
      this.hop.set(this.mono.subarray(start, end));
      if (end - start < hopSize) this.hop.fill(0, end - start);
      const endTime = this.startTime + hopEndTime(k, hopSize, sampleRate);
      const t0 = performance.now();
      const onset = this.analyzer.processHop(this.hop, endTime, this.features);
      this.analysisSeconds += (performance.now() - t0) / 1000;
      if (onset) this.onsetTimes.push(this.analyzer.lastOnsetTime);
      const tracker = (this.analyzer as { tempoTracker?: TempoTracker }).tempoTracker;
      if (tracker && this.features[F.beat] === 1) {
        this.beatTimes.push(tracker.lastBeatTime);
        if (tracker.downbeatEmitted) this.downbeatTimes.push(tracker.lastBeatTime);
      }
      const bpm = Math.round(this.features[F.tempo] * 100) / 100;
      if (bpm !== this.lastBpm) {
        this.lastBpm = bpm;
        this.bpmLines.push([endTime, bpm]);
      }
      onRow(endTime, this.features, onset);
    }
    this.done = stop;
    return stop - first;
  }
}


/**
 * Analyse `signal` from audio time `startTime`. A final partial hop is zero-padded, so every
 * sample is analysed.
 */
export function analyzeSignal(analyzer: HopAnalyzer, signal: Float32Array, visit?: HopVisitor, startTime: Seconds = 0): OfflineResult {
  const feeder = new HopFeeder(analyzer, signal, startTime);
  let k = 0;
  feeder.run(feeder.totalHops, (endTime, features, onset) => {
    if (visit) visit(features, endTime, k, onset);
    k++;
  });
  return { onsets: feeder.onsetTimes, hops: feeder.totalHops, last: feeder.features };
}
