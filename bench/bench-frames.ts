/**
 * The benchmark input, shared by the Node and browser benchmarks so both time the same
 * frames: a deterministic mix of harmonic chords (changing every 2 s), clicks at 128 BPM and
 * -40 dBFS noise, long enough for `hops` hops.
 */
import { chord, clicks, mix, pulseTimes, whiteNoise } from '../workers/analysis/signals.ts';

export interface BenchSignalOptions {
  sampleRate?: number;
  hopSize?: number;
  hops?: number;
}

export const BENCH_DEFAULTS = { sampleRate: 44100, frameSize: 2048, hopSize: 512, hops: 2000 } as const;

const PROGRESSION = [
  [57, 60, 64],
  [53, 57, 60],
  [48, 52, 55],
  [55, 59, 62],
];

export function benchSignal(o: BenchSignalOptions = {}): Float32Array {
  const sampleRate = o.sampleRate ?? BENCH_DEFAULTS.sampleRate;
  const hopSize = o.hopSize ?? BENCH_DEFAULTS.hopSize;
  const hops = o.hops ?? BENCH_DEFAULTS.hops;
  const duration = (hops * hopSize) / sampleRate;
  const parts: { signal: Float32Array; gain?: number }[] = [];
  const bar = 2;
  for (let i = 0; i * bar < duration; i++) {
    const c = chord({ sampleRate, duration: Math.min(bar, duration - i * bar), notes: PROGRESSION[i % PROGRESSION.length], amplitude: 0.15, harmonics: 4 });
    const placed = new Float32Array(Math.round(duration * sampleRate));
    placed.set(c.subarray(0, placed.length - Math.round(i * bar * sampleRate)), Math.round(i * bar * sampleRate));
    parts.push({ signal: placed });
  }
  parts.push({ signal: clicks({ sampleRate, duration, times: pulseTimes(128, Math.ceil((duration * 128) / 60), 0.25), amplitude: 0.7 }) });
  parts.push({ signal: whiteNoise({ sampleRate, duration, rms: 0.01, seed: 99 }) });
  return mix(parts);
}

/** The `hopSize` new samples of hop `index` (a view, no copy). */
export function hopAt(signal: Float32Array, index: number, hopSize: number): Float32Array {
  return signal.subarray(index * hopSize, (index + 1) * hopSize);
}

/** Fill `out` (frameSize long) with the frame that ends with hop `index`; zeros before the start. */
export function frameAt(signal: Float32Array, index: number, hopSize: number, out: Float32Array): Float32Array {
  const end = (index + 1) * hopSize;
  const start = end - out.length;
  if (start >= 0) {
    out.set(signal.subarray(start, end));
  } else {
    out.fill(0, 0, -start);
    out.set(signal.subarray(0, end), -start);
  }
  return out;
}
