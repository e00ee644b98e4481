/**
 * The analysis variants the benchmarks time, shared by the Node bench and the Chromium-worker
 * bench so both run exactly the same code on the same frames (bench-frames.ts):
 *  - ours: the project's Analyzer (one essentia Spectrum per hop, the rest in typed arrays,
 *    chroma and pitch on staggered hops),
 *  - Meyda 5 asked for a comparable feature set on every hop,
 *  - essentia.js used naively: one core-API wrapper call per algorithm, every hop, with
 *    arrayToVector/vectorToArray across the WASM boundary.
 * Bench code: allocation here is part of what is measured for the peers, not a hot path of ours.
 */
import Meyda from 'meyda';
import { FEATURE_COUNT } from '../engine/features/layout.ts';
import { Analyzer, type AnalyzerOptions } from '../workers/analysis/analyzer.ts';
import type { EssentiaFacade, RawEssentia, RawVectorFloat } from '../workers/analysis/essentia-facade.ts';
import { frameAt, hopAt } from './bench-frames.ts';

/** The signal and analysis sizes every variant works on. */
export interface BenchInput {
  signal: Float32Array;
  sampleRate: number;
  frameSize: number;
  hopSize: number;
}

export interface HopRunner {
  readonly name: string;
  /** Process hop i (the frame ending with that hop). */
  step(i: number): void;
  /** A value derived from every output, so no engine can drop the work as unused. */
  readonly sink: number;
}

export const VARIANT_NAMES = {
  ours: 'glassforest Analyzer (default)',
  meyda: 'meyda 5 (same feature set)',
  naive: 'essentia.js naive (13 calls)',
} as const;

/** Our Analyzer fed hop by hop, as the live worker feeds it. */
export function oursRunner(name: string, essentia: EssentiaFacade, input: BenchInput, options?: AnalyzerOptions): HopRunner {
  const { signal, sampleRate: SR, frameSize: N, hopSize: H } = input;
  const a = new Analyzer(essentia, { sampleRate: SR, frameSize: N, hopSize: H }, options);
  const out = new Float32Array(FEATURE_COUNT);
  const hop = new Float32Array(H);
  let sink = 0;
  return {
    name,
    step(i) {
      hop.set(hopAt(signal, i, H));
      a.processHop(hop, ((i + 1) * H - 1) / SR, out);
      sink += out[0];
    },
    get sink() {
      return sink;
    },
  };
}

const MEYDA_FEATURES = ['rms', 'energy', 'spectralCentroid', 'spectralRolloff', 'spectralFlatness', 'zcr', 'mfcc', 'chroma', 'loudness', 'amplitudeSpectrum'] as const;

/** Meyda 5 on the full frame every hop: levels, spectral shape, MFCC, chroma, loudness, flux. */
export function meydaRunner(input: BenchInput): HopRunner {
  const { signal, sampleRate: SR, frameSize: N, hopSize: H } = input;
  Meyda.bufferSize = N;
  Meyda.sampleRate = SR;
  Meyda.melBands = 40;
  Meyda.numberOfMFCCCoefficients = 13;
  Meyda.windowingFunction = 'hanning';
  const features = [...MEYDA_FEATURES];
  const frame = new Float32Array(N);
  let prev: Float32Array = new Float32Array(N / 2);
  let sink = 0;
  return {
    name: VARIANT_NAMES.meyda,
    step(i) {
      frameAt(signal, i, H, frame);
      const f = Meyda.extract(features, frame) as unknown as { amplitudeSpectrum: Float32Array; rms: number };
      // Meyda 5.6.3's own spectralFlux throws (ReferenceError), so flux is taken from its spectrum here.
      const amp = f.amplitudeSpectrum;
      let flux = 0;
      for (let k = 0; k < amp.length; k++) {
        const d = amp[k] - prev[k];
        if (d > 0) flux += d;
      }
      prev = amp;
      sink += flux + f.rms;
    },
    get sink() {
      return sink;
    },
  };
}

type NaiveEssentia = RawEssentia & Record<string, (...args: unknown[]) => Record<string, RawVectorFloat & number>>;

/**
 * essentia.js's core JS API as an app would use it (wrappers fill in defaults per call):
 * Windowing, Spectrum, MelBands, MFCC, Centroid, RollOff, Flatness, Flux, ZeroCrossingRate,
 * SpectralPeaks, HPCP, PitchYinFFT, OnsetDetection(hfc) on every hop, every vector freed.
 * `raw` is an `Essentia` instance (`new Essentia(EssentiaWASM)`) from either build.
 */
export function naiveEssentiaRunner(raw: RawEssentia, input: BenchInput): HopRunner {
  const { signal, sampleRate: SR, frameSize: N, hopSize: H } = input;
  const e = raw as NaiveEssentia;
  const frame = new Float32Array(N);
  const zeros = new Float32Array(N / 2 + 1);
  let sink = 0;
  const free = (...vs: RawVectorFloat[]) => {
    for (const v of vs) v.delete();
  };
  return {
    name: VARIANT_NAMES.naive,
    step(i) {
      frameAt(signal, i, H, frame);
      const sig = e.arrayToVector(frame) as unknown as RawVectorFloat;
      const w = e.Windowing(sig, true, N, 'hann', 0, false).frame;
      const sp = e.Spectrum(w, N).spectrum;
      const spectrum = e.vectorToArray(sp) as unknown as Float32Array;
      const mel = e.MelBands(sp, SR / 2, N / 2 + 1, false, 0, 'unit_sum', 40, SR, 'power', 'htkMel', 'warping').bands;
      const melArr = e.vectorToArray(mel) as unknown as Float32Array;
      const mf = e.MFCC(sp, 2, SR / 2, N / 2 + 1, 0, 'dbamp', 0, 'unit_sum', 40, 13, SR, 1e-10, 'power', 'htkMel', 'warping');
      const mfcc = e.vectorToArray(mf.mfcc) as unknown as Float32Array;
      const centroid = e.Centroid(sp, SR / 2).centroid as unknown as number;
      const rolloff = e.RollOff(sp, 0.85, SR).rollOff as unknown as number;
      const flatness = e.Flatness(sp).flatness as unknown as number;
      const flux = e.Flux(sp, true, 'L2').flux as unknown as number;
      const zcr = e.ZeroCrossingRate(sig, 0).zeroCrossingRate as unknown as number;
      const pk = e.SpectralPeaks(sp, 1e-5, 5000, 60, 40, 'frequency', SR);
      const hp = e.HPCP(pk.frequencies, pk.magnitudes, true, 500, 0, 5000, false, 40, false, 'unitMax', 440, SR, 12, 'squaredCosine', 4 / 3).hpcp;
      const chroma = e.vectorToArray(hp) as unknown as Float32Array;
      const pitch = e.PitchYinFFT(sp, N, true, 5000, 40, SR, 1).pitch as unknown as number;
      const phase = e.arrayToVector(zeros) as unknown as RawVectorFloat;
      const onset = e.OnsetDetection(sp, phase, 'hfc', SR).onsetDetection as unknown as number;
      sink += spectrum[1] + melArr[0] + mfcc[0] + centroid + rolloff + flatness + flux + zcr + chroma[0] + pitch + onset;
      free(sig, w, sp, mel, mf.mfcc, mf.bands, pk.frequencies, pk.magnitudes, hp, phase);
    },
    get sink() {
      return sink;
    },
  };
}

/** FNV-1a over the signal's float bits: proves two environments timed the same frames. */
export function signalChecksum(signal: Float32Array): string {
  const bits = new Uint32Array(signal.buffer, signal.byteOffset, signal.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) {
    h ^= bits[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
