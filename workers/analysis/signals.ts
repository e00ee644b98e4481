/**
 * Deterministic test signals with known ground truth (pitch, chord notes, click times, level).
 * Shared by the unit tests, the analyse CLI tests, e2e fixtures and the benchmarks, so every
 * one of them measures the analyser against the same inputs. Pure: no I/O, no Math.random.
 */
import type { Hz, Seconds } from '../../engine/features/layout.ts';

export interface SignalBase {
  sampleRate: number;
  duration: Seconds;
}

function checkBase(o: SignalBase): number {
  if (!Number.isFinite(o.sampleRate) || o.sampleRate <= 0) throw new RangeError(`signal: sampleRate must be a positive number, got ${o.sampleRate}`);
  if (!Number.isFinite(o.duration) || o.duration < 0) throw new RangeError(`signal: duration must be >= 0 seconds, got ${o.duration}`);
  return Math.round(o.duration * o.sampleRate);
}

/** Seeded PRNG (mulberry32): same seed, same sequence on every machine. Returns [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Equal-tempered frequency of a MIDI note (A4 = 69 = 440 Hz). */
export function midiToHz(note: number): Hz {
  return 440 * Math.pow(2, (note - 69) / 12);
}

export function silence(o: SignalBase): Float32Array {
  return new Float32Array(checkBase(o));
}

export interface SineOptions extends SignalBase {
  frequency: Hz;
  /** Peak amplitude (default 0.5). */
  amplitude?: number;
  /** Start phase in radians (default 0). */
  phase?: number;
}

/** `sine(options)` or positionally `sine(frequency, amplitude, duration, sampleRate)`. */
export function sine(o: SineOptions): Float32Array;
export function sine(frequency: Hz, amplitude: number, duration: Seconds, sampleRate: number): Float32Array;
export function sine(first: SineOptions | Hz, amplitude?: number, duration?: Seconds, sampleRate?: number): Float32Array {
  const o: SineOptions = typeof first === 'number' ? { frequency: first, amplitude, duration: duration ?? NaN, sampleRate: sampleRate ?? NaN } : first;
  const n = checkBase(o);
  const out = new Float32Array(n);
  const a = o.amplitude ?? 0.5;
  const w = (2 * Math.PI * o.frequency) / o.sampleRate;
  const p = o.phase ?? 0;
  for (let i = 0; i < n; i++) out[i] = a * Math.sin(w * i + p);
  return out;
}

export interface ChordOptions extends SignalBase {
  /** MIDI note numbers, e.g. [60, 64, 67] for C major. */
  notes: readonly number[];
  /** Peak amplitude of each note's fundamental (default 0.2). */
  amplitude?: number;
  /** Harmonics per note including the fundamental, each at 1/h amplitude (default 1). */
  harmonics?: number;
}

/** Sum of sines at the notes' equal-tempered frequencies (with optional 1/h harmonics). */
/** `chord(options)` or positionally `chord(notes, amplitude, duration, sampleRate)`. */
export function chord(o: ChordOptions): Float32Array;
export function chord(notes: readonly number[], amplitude: number, duration: Seconds, sampleRate: number): Float32Array;
export function chord(first: ChordOptions | readonly number[], amplitude?: number, duration?: Seconds, sampleRate?: number): Float32Array {
  const o: ChordOptions = isNoteList(first) ? { notes: first, amplitude, duration: duration ?? NaN, sampleRate: sampleRate ?? NaN } : first;
  const n = checkBase(o);
  const out = new Float32Array(n);
  const a = o.amplitude ?? 0.2;
  const harmonics = Math.max(1, Math.floor(o.harmonics ?? 1));
  for (let k = 0; k < o.notes.length; k++) {
    const f0 = midiToHz(o.notes[k]);
    for (let h = 1; h <= harmonics; h++) {
      const f = f0 * h;
      if (f >= o.sampleRate / 2) break;
      const w = (2 * Math.PI * f) / o.sampleRate;
      // Fixed per-note phase offsets keep the peak level predictable and the output deterministic.
      const p = 0.7 * k + 0.3 * h;
      const ah = a / h;
      for (let i = 0; i < n; i++) out[i] += ah * Math.sin(w * i + p);
    }
  }
  return out;
}

function isNoteList(a: ChordOptions | readonly number[]): a is readonly number[] {
  return Array.isArray(a);
}

export interface ClickOptions extends SignalBase {
  /** Start time of each click. */
  times: readonly Seconds[];
  /** Peak amplitude (default 0.8). */
  amplitude?: number;
  /** Click length in milliseconds (default 3): a decaying broadband burst. */
  clickMs?: number;
  seed?: number;
}

/** Short decaying noise bursts starting exactly at `times` (the first sample is the onset). */
export function clicks(o: ClickOptions): Float32Array {
  const n = checkBase(o);
  const out = new Float32Array(n);
  const a = o.amplitude ?? 0.8;
  const len = Math.max(1, Math.round(((o.clickMs ?? 3) / 1000) * o.sampleRate));
  const rnd = seededRandom(o.seed ?? 1);
  for (const t of o.times) {
    const start = Math.round(t * o.sampleRate);
    for (let i = 0; i < len; i++) {
      const j = start + i;
      if (j < 0 || j >= n) continue;
      // First sample at full amplitude so the onset sample is unambiguous.
      const v = i === 0 ? 1 : rnd() * 2 - 1;
      out[j] += a * v * Math.exp((-5 * i) / len);
    }
  }
  return out;
}

/** Positional form of `clicks`: clicks at `times` in a signal of `duration` seconds. */
export function clickTrain(times: readonly Seconds[], duration: Seconds, sampleRate: number, amplitude = 0.8): Float32Array {
  return clicks({ times, duration, sampleRate, amplitude });
}

/** Click times of a steady pulse: `count` clicks every 60/bpm seconds from `start`. */
export function pulseTimes(bpm: number, count: number, start: Seconds = 0.5): Seconds[] {
  const out: Seconds[] = [];
  for (let i = 0; i < count; i++) out.push(start + (i * 60) / bpm);
  return out;
}

export interface NoiseOptions extends SignalBase {
  /** RMS level (default 0.1, i.e. -20 dBFS). Uniform noise, so peak = rms * sqrt(3). */
  rms?: number;
  seed?: number;
}

export function whiteNoise(o: NoiseOptions): Float32Array {
  const n = checkBase(o);
  const out = new Float32Array(n);
  const a = (o.rms ?? 0.1) * Math.sqrt(3);
  const rnd = seededRandom(o.seed ?? 7);
  for (let i = 0; i < n; i++) out[i] = a * (rnd() * 2 - 1);
  return out;
}

export interface BreathOptions extends NoiseOptions {
  /** Breaths per second (default 0.5). */
  rate?: number;
}

/** White noise under a slow raised-cosine swell: a stand-in for breath or wind. */
export function breath(o: BreathOptions): Float32Array {
  const out = whiteNoise(o);
  const rate = o.rate ?? 0.5;
  for (let i = 0; i < out.length; i++) {
    const t = i / o.sampleRate;
    out[i] *= 0.5 - 0.5 * Math.cos(2 * Math.PI * rate * t);
  }
  return out;
}

export interface ClippedOptions extends SignalBase {
  frequency: Hz;
  /** Gain before clipping to [-1, 1] (default 8: a hard-clipped, nearly square wave). */
  drive?: number;
}

/** A sine driven into hard clipping at full scale. */
export function clippedSine(o: ClippedOptions): Float32Array {
  const out = sine({ sampleRate: o.sampleRate, duration: o.duration, frequency: o.frequency, amplitude: o.drive ?? 8 });
  for (let i = 0; i < out.length; i++) out[i] = out[i] > 1 ? 1 : out[i] < -1 ? -1 : out[i];
  return out;
}

/** Full-scale square wave (+1/-1). */
export function square(o: SignalBase & { frequency: Hz }): Float32Array {
  const n = checkBase(o);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i * o.frequency) / o.sampleRate) % 1 < 0.5 ? 1 : -1;
  return out;
}

/** Sample-wise sum (length of the longest): `mix([{ signal, gain }, ...])` or `mix(a, b, ...)`. */
export function mix(parts: readonly { signal: Float32Array; gain?: number }[]): Float32Array;
export function mix(...signals: Float32Array[]): Float32Array;
export function mix(...args: (Float32Array | readonly { signal: Float32Array; gain?: number }[])[]): Float32Array {
  const parts: { signal: Float32Array; gain?: number }[] = [];
  for (const a of args) {
    if (a instanceof Float32Array) parts.push({ signal: a });
    else for (const p of a) parts.push(p);
  }
  let n = 0;
  for (const p of parts) n = Math.max(n, p.signal.length);
  const out = new Float32Array(n);
  for (const p of parts) {
    const g = p.gain ?? 1;
    for (let i = 0; i < p.signal.length; i++) out[i] += g * p.signal[i];
  }
  return out;
}

/** Join signals end to end. */
export function concat(parts: readonly Float32Array[]): Float32Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Float32Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
