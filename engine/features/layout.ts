/**
 * The feature layout: every analysed feature has a fixed numeric offset in one Float32Array.
 * String names exist only here and at the edges (UI, CSV headers, presets); hot paths index
 * by the numeric constants exported below.
 */

export type Seconds = number;
export type Hz = number;
export type Db = number;
export type Unit01 = number;
export type Bipolar = number;
export type Bpm = number;

export interface FeatureDecl {
  /** Name used at the edges (UI, CSV header, presets). Vector features get `name.i`. */
  readonly name: string;
  /** Number of Float32 slots. */
  readonly size: number;
  /** Unit of the raw value, shown in the UI. */
  readonly unit: 'linear' | 'dB' | 'Hz' | 'ratio' | 'count' | 'flag' | 'coef' | 'bpm';
  /** Hops between fresh values at 44.1/48 kHz (1 = every hop); the analyser keeps the interval near a fixed time at other rates. */
  readonly every: number;
  readonly description: string;
}

/** Order is the wire layout. Append new features at the end so recorded CSVs keep their columns. */
export const FEATURE_DECLS = [
  { name: 'rms', size: 1, unit: 'linear', every: 1, description: 'RMS of the analysis frame' },
  { name: 'loudness', size: 1, unit: 'dB', every: 1, description: 'RMS level in dBFS (floor -120)' },
  { name: 'peak', size: 1, unit: 'linear', every: 1, description: 'Absolute peak of the newest hop' },
  { name: 'bands3', size: 3, unit: 'linear', every: 1, description: 'Energy low (<250 Hz), mid (250-4000 Hz), high (>4 kHz)' },
  { name: 'bands8', size: 8, unit: 'linear', every: 1, description: 'Energy in 8 log-spaced bands from 40 Hz to 16 kHz' },
  { name: 'centroid', size: 1, unit: 'Hz', every: 1, description: 'Spectral centroid' },
  { name: 'rolloff', size: 1, unit: 'Hz', every: 1, description: 'Frequency below which 85% of the spectral energy lies' },
  { name: 'flatness', size: 1, unit: 'ratio', every: 1, description: 'Spectral flatness (0 tonal .. 1 noise)' },
  { name: 'flux', size: 1, unit: 'linear', every: 1, description: 'Half-wave rectified log-spectral flux against the previous hop' },
  { name: 'zcr', size: 1, unit: 'ratio', every: 1, description: 'Zero-crossing rate of the frame' },
  { name: 'mel', size: 40, unit: 'linear', every: 1, description: '40 mel band energies' },
  { name: 'mfcc', size: 13, unit: 'coef', every: 1, description: '13 MFCC (DCT-II of log mel energies)' },
  { name: 'chroma', size: 12, unit: 'ratio', every: 8, description: 'Chroma (HPCP), C..B, max-normalised' },
  { name: 'pitch', size: 1, unit: 'Hz', every: 3, description: 'Fundamental frequency (YIN in the frequency domain, PitchYinFFT); 0 when unvoiced' },
  { name: 'pitchConfidence', size: 1, unit: 'ratio', every: 3, description: 'YIN pitch confidence' },
  { name: 'onsetStrength', size: 1, unit: 'linear', every: 1, description: 'Onset detection function (log flux combined with HFC), divided by its recent peak: 0..1' },
  { name: 'onset', size: 1, unit: 'flag', every: 1, description: '1 on the hop where an onset was detected, else 0' },
  { name: 'tempo', size: 1, unit: 'bpm', every: 1, description: 'Causal tempo estimate (re-estimated ~7 times a second)' },
  { name: 'tempoConfidence', size: 1, unit: 'ratio', every: 1, description: 'Confidence of tempo and beat phase, 0 when beatless or silent' },
  { name: 'beatPhase', size: 1, unit: 'ratio', every: 1, description: 'Beat phase 0..1 at the hop end (0 = on the beat)' },
  { name: 'barPhase', size: 1, unit: 'ratio', every: 1, description: 'Bar phase 0..1 at the hop end (downbeat guessed from low-band accents)' },
  { name: 'beat', size: 1, unit: 'flag', every: 1, description: '1 on the hop that emits a predicted beat (up to one hop early), else 0' },
  { name: 'bandOnsets', size: 3, unit: 'ratio', every: 1, description: 'Onset envelopes of the low, mid and high bands: 1 at a band onset, halving every 0.12 s' },
  { name: 'beatStrength', size: 1, unit: 'linear', every: 1, description: 'Accent: rises of mel-band power (uncompressed, so kicks and snares lead), divided by its recent peak: 0..1; the beat tracker reads it' },
] as const satisfies readonly FeatureDecl[];

type DeclName = (typeof FEATURE_DECLS)[number]['name'];

function buildOffsets(): Record<DeclName, number> {
  const out = {} as Record<DeclName, number>;
  let o = 0;
  for (const d of FEATURE_DECLS) {
    out[d.name as DeclName] = o;
    o += d.size;
  }
  return out;
}

/** Numeric offsets into the feature vector: `F.centroid`, `F.mel + i`. */
export const F: Readonly<Record<DeclName, number>> = Object.freeze(buildOffsets());

/** Total Float32 slots in one feature vector. */
export const FEATURE_COUNT: number = FEATURE_DECLS.reduce((n, d) => n + d.size, 0);

/** Column names for every slot, in order (`bands3.0`, `mel.39`, ...). */
export const FEATURE_COLUMNS: readonly string[] = FEATURE_DECLS.flatMap((d) =>
  d.size === 1 ? [d.name] : Array.from({ length: d.size }, (_, i) => `${d.name}.${i}`),
);

export function featureDecl(name: string): FeatureDecl | undefined {
  return FEATURE_DECLS.find((d) => d.name === name);
}

/** Band edges used for bands3 and bands8 (Hz). Shared by the analyser and the UI labels. */
export const BANDS3_EDGES: readonly Hz[] = [20, 250, 4000, 20000];
export const BANDS8_EDGES: readonly Hz[] = [40, 80, 160, 320, 640, 1280, 2560, 5120, 16000];
export const MEL_BANDS = 40;
export const MFCC_COEFFS = 13;
export const CHROMA_BINS = 12;
