/**
 * The offline analysis of one decoded file, shared by the `analyze` CLI's worker thread and its
 * tests: downmix like the live capture, cut into hops stamped like the live worker, run the same
 * HopAnalyzer, and format the outputs (onset list, feature CSV).
 */
import { F, FEATURE_COLUMNS, FEATURE_COUNT, type Seconds } from '../engine/features/layout.ts';
import type { HopAnalyzer } from '../workers/analysis/contract.ts';
import type { TempoTracker } from '../workers/analysis/tempo.ts';

/** The limits the analysis worker and the Analyzer enforce for frame and hop sizes, checked before any work. */
export function sizeProblem(frameSize: number, hopSize: number): string | null {
  if (!Number.isInteger(frameSize) || !Number.isInteger(hopSize)) return 'frame and hop sizes must be integers';
  if (!(hopSize >= 64 && hopSize <= frameSize && frameSize <= 16384)) return `invalid analysis sizes: frame ${frameSize}, hop ${hopSize} (need 64 ≤ hop ≤ frame ≤ 16384)`;
  if (frameSize < 256 || (frameSize & (frameSize - 1)) !== 0) return `invalid frame size ${frameSize}: the analyser needs a power of two from 256 to 16384`;
  return null;
}

/**
 * Mono mix with the live capture's arithmetic (workers/capture-shared.ts): Float32 running sum
 * over channels, times 1/channels, non-finite samples replaced by 0.
 */
export function downmixToMono(channels: readonly Float32Array[]): Float32Array {
  const n = channels.length;
  if (n === 0) return new Float32Array(0);
  const frames = channels[0].length;
  const out = new Float32Array(frames);
  out.set(channels[0].subarray(0, frames));
  for (let c = 1; c < n; c++) {
    const ch = channels[c];
    const len = Math.min(frames, ch.length);
    for (let k = 0; k < len; k++) out[k] += ch[k];
  }
  const gain = 1 / n;
  for (let k = 0; k < frames; k++) {
    const s = out[k] * gain;
    out[k] = s - s === 0 ? s : 0;
  }
  return out;
}

/** Audio time of the last sample of hop `k` (0-based) when the first sample plays at t = 0. */
export function hopEndTime(k: number, hopSize: number, sampleRate: number): Seconds {
  return ((k + 1) * hopSize - 1) / sampleRate;
}

/** Shortest text that round-trips a Float32 value to 7 significant digits. */
export function formatValue(v: number): string {
  if (v === 0) return '0';
  if (v !== v) return 'NaN';
  return String(Number(v.toPrecision(7)));
}

/** Where the feature CSV is written until it is complete (then renamed). */
export function partFile(featuresFile: string): string {
  return featuresFile + '.part';
}

export const CSV_HEADER = 'time,' + FEATURE_COLUMNS.join(',');

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
  private readonly out = new Float32Array(FEATURE_COUNT);

  constructor(
    private readonly analyzer: HopAnalyzer,
    private readonly mono: Float32Array,
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
      const endTime = hopEndTime(k, hopSize, sampleRate);
      const t0 = performance.now();
      const onset = this.analyzer.processHop(this.hop, endTime, this.out);
      this.analysisSeconds += (performance.now() - t0) / 1000;
      if (onset) this.onsetTimes.push(this.analyzer.lastOnsetTime);
      const tracker = (this.analyzer as { tempoTracker?: TempoTracker }).tempoTracker;
      if (tracker && this.out[F.beat] === 1) {
        this.beatTimes.push(tracker.lastBeatTime);
        if (tracker.downbeatEmitted) this.downbeatTimes.push(tracker.lastBeatTime);
      }
      const bpm = Math.round(this.out[F.tempo] * 100) / 100;
      if (bpm !== this.lastBpm) {
        this.lastBpm = bpm;
        this.bpmLines.push([endTime, bpm]);
      }
      onRow(endTime, this.out, onset);
    }
    this.done = stop;
    return stop - first;
  }
}

/** One CSV row: `time` with 6 decimals, then every feature slot. */
export function csvRow(endTime: Seconds, features: Float32Array): string {
  let line = endTime.toFixed(6);
  for (let i = 0; i < FEATURE_COUNT; i++) line += ',' + formatValue(features[i]);
  return line;
}

/** `time bpm` per line (bpm 0 while no tempo is locked). */
export function bpmText(lines: readonly (readonly [Seconds, number])[]): string {
  let s = '';
  for (const [t, b] of lines) s += `${t.toFixed(6)} ${b.toFixed(2)}\n`;
  return s;
}

export function onsetsText(times: readonly Seconds[]): string {
  let s = '';
  for (const t of times) s += t.toFixed(6) + '\n';
  return s;
}
