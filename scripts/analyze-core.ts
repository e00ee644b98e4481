/**
 * The offline analysis of one decoded file, shared by the `analyze` CLI's worker thread and its
 * tests: downmix like the live capture, cut into hops stamped like the live worker, run the same
 * HopAnalyzer, and format the outputs (onset list, feature CSV).
 */
import { FEATURE_COLUMNS, FEATURE_COUNT, type Seconds } from '../engine/features/layout.ts';
export { HopFeeder, hopEndTime } from '../workers/analysis/offline.ts';

/** Frame and hop sizes the CLI accepts (within the Analyzer's own limits), checked before any work. */
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
