/**
 * Standard uniforms: the values every scene reads under the same names, written once per
 * frame by the tick. Plain typed arrays so the scene layer binds them without copying.
 */
import { CHROMA_BINS, MEL_BANDS } from './features/layout.ts';

/** Rows of mel-spectrum history kept for the spectrogram texture. */
export const SPECTRUM_HISTORY = 128;

export class StandardUniforms {
  /** Engine time in seconds (host clock). */
  time = 0;
  /** Seconds since the previous tick. */
  dt = 0;
  /** Output size in pixels. */
  readonly resolution = new Float32Array(2);
  /** Overall level, normalised 0..1 (adaptive: 0.5 ≈ the recent typical level). */
  level = 0;
  /**
   * Overall level on a fixed meter scale 0..1, not adaptive: -60 dBFS and below read 0, 0 dBFS
   * reads 1, linear in dB, smoothed like the features. A quiet room reads low here however long
   * it has been quiet (the `loudness:dbfs` modulation source).
   */
  meter = 0;
  /** Low, mid, high band energies, normalised 0..1. */
  readonly bands = new Float32Array(3);
  /** Eight log-spaced band energies, normalised 0..1. */
  readonly bands8 = new Float32Array(8);
  /** Onset envelope: 1 at an onset, decaying. */
  onset = 0;
  /** Onset envelopes of the low, mid and high bands (kick, snare, hats), 0..1. */
  readonly bandOnsets = new Float32Array(3);
  /** Spectral flux, normalised 0..1. */
  flux = 0;
  /** Brightness: spectral centroid normalised 0..1 on a log-frequency scale. */
  centroid = 0;
  /** Spectral flatness 0 (tonal) .. 1 (noisy). */
  flatness = 0;
  /** Fundamental frequency in Hz (0 when unvoiced) and its confidence 0..1. */
  pitch = 0;
  pitchConfidence = 0;
  /** Chroma C..B, 0..1. */
  readonly chroma = new Float32Array(CHROMA_BINS);
  /** Newest mel spectrum, normalised 0..1. */
  readonly mel = new Float32Array(MEL_BANDS);
  /** Spectrogram history: SPECTRUM_HISTORY rows of MEL_BANDS bytes, newest at `spectrumRow`. */
  readonly spectrum = new Uint8Array(MEL_BANDS * SPECTRUM_HISTORY);
  /** Row of the newest spectrum line in `spectrum`. */
  spectrumRow = 0;
  /** Tempo of the leading clock source (0 while none leads), beat and bar phase 0..1, beats counted. */
  bpm = 0;
  beatPhase = 0;
  barPhase = 0;
  beatCount = 0;
  beatsPerBar = 4;
  /** 1 on each beat, falling to 0 across it (0 while no tempo source leads). */
  beat = 0;
  /** Age of the features shown this frame, in seconds of audio clock. */
  featureAge = 0;
  /**
   * Texture keyframes (engine/keyframes): texture layers of the four heaviest keyframes of the
   * blend and their weights (summing to 1; all 0 while no set is loaded), the set's size in
   * keyframes, its images' aspect (width / height), the flow morph's strength 0..1, and how much
   * scenes show the keyframes instead of their own background 0..1.
   */
  readonly keyLayer = new Float32Array(4);
  readonly keyWeight = new Float32Array(4);
  keyCount = 0;
  keyAspect = 1;
  keyFlow = 0;
  keyAmount = 0;
}

/** GLSL names of the standard uniforms, in one place for shaders and docs. */
export const STANDARD_UNIFORM_NAMES = [
  'uTime', 'uResolution', 'uLevel', 'uBands', 'uBands8', 'uOnset', 'uBandOnsets', 'uFlux', 'uCentroid', 'uFlatness',
  'uPitch', 'uPitchConfidence', 'uChroma', 'uMel', 'uSpectrum', 'uSpectrumRow', 'uBeatPhase', 'uBarPhase', 'uBeatCount', 'uBeatsPerBar', 'uBeat', 'uBpm',
] as const;
