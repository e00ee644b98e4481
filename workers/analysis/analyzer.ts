/**
 * The per-hop analyser shared by the analysis worker, the analyse CLI and the benchmarks.
 *
 * One essentia.js Spectrum per hop; everything cheap (window, levels, bands, mel, MFCC,
 * centroid, rolloff, flatness, flux, onset function) is typed-array TypeScript over that
 * spectrum, because each essentia.js call builds and configures its C++ algorithm anew and
 * copies vectors across the WASM boundary. Chroma (SpectralPeaks + HPCP) and pitch
 * (PitchYinFFT) are essentia calls on staggered hops, holding their values in between.
 * Chroma reads its own longer frame of the signal decimated to ~11-16 kHz, because a 2048
 * frame cannot resolve the partials of low or close notes (and at 96 kHz not even mid ones).
 * All buffers are made in the constructor; processHop allocates nothing of its own.
 */
import {
  BANDS3_EDGES, BANDS8_EDGES, CHROMA_BINS, F, FEATURE_COUNT, MEL_BANDS, MFCC_COEFFS,
  type Hz, type Seconds,
} from '../../engine/features/layout.ts';
import type { AnalyzerConfig, HopAnalyzer } from './contract.ts';
import { PitchResult, type EssentiaFacade, type HpcpParams, type PitchParams, type SpectralPeaksParams } from './essentia-facade.ts';
import { applyBank, bandBank, dctMatrix, melBank, type SparseBank } from './filterbank.ts';
import { DecimatedRing, decimationBelow, decimationFor } from './decimator.ts';
import { BandOnsets } from './band-onsets.ts';
import { TempoTracker } from './tempo.ts';
import { OnsetDetector } from './onsets.ts';

export interface AnalyzerOptions {
  /** Hops between chroma updates (default: the hops nearest CHROMA_INTERVAL; held in between). */
  chromaEvery?: number;
  /** Hops between pitch updates (default: the hops nearest PITCH_INTERVAL), offset from chroma. */
  pitchEvery?: number;
}

/**
 * Default time between chroma updates. Chroma reads a ~90 ms frame, so refreshing it more
 * often adds cost (SpectralPeaks + HPCP + a Spectrum, ~0.3 ms in Node) and little news.
 */
export const CHROMA_INTERVAL: Seconds = 0.09;
/** Default time between pitch updates (PitchYinFFT is the costliest call, ~0.35 ms in Node). */
export const PITCH_INTERVAL: Seconds = 0.035;

export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 192000;

/** Mel filters span this range (capped at Nyquist) so mel/MFCC mean the same at any rate. */
const MEL_LOW_HZ: Hz = 20;
const MEL_HIGH_HZ: Hz = 16000;
/** Log floor for mel energies: silence gives finite MFCCs. */
const MEL_LOG_FLOOR = 1e-10;
/** Below this frame RMS (-80 dBFS) chroma and pitch are reported as zero rather than guessed. */
const SILENT_RMS = 1e-4;
/** One-sided |X|^2 with the sum-2 Hann window, times this, is mean-square power (a sine of amplitude A gives A^2/2). */
const POWER_SCALE = 1 / 3;
/** Log compression of magnitudes for flux: ln(1 + GAMMA |X|). */
const FLUX_GAMMA = 1000;
/** Absolute floor of the HFC log ratio, so near-silent fluctuations do not look like rises. */
const HFC_FLOOR = 1e-9;
/** Part of the recent HFC peak added to the floor of the HFC log ratio. */
const HFC_RELATIVE_FLOOR = 0.01;
const HFC_WEIGHT = 0.1;
/** The onset detector's level gate (-50 dBFS), also applied to band onsets merged into the onset stream. */
const MIN_ONSET_PEAK = 0.003;
/** A low-band onset joins the onset stream only when the low band holds this share of the energy. */
const KICK_LOW_SHARE = 0.3;

/** Accent flux below this (mean-square power per hop) is noise, not an accent. */
const ACCENT_FLOOR = 1e-9;
/** Largest magnitude accepted per sample: NaN becomes 0, absurd values are clamped. */
const SAMPLE_LIMIT = 1e4;

/** Chroma's frame is decimated to at least this rate (Nyquist above the 5 kHz HPCP range). */
const CHROMA_MIN_RATE = 10000;
/** essentia's PitchYinFFT hangs above ~50 kHz (its weighting table ends there). */
const PITCH_MAX_RATE = 48000;

/** Periodic Hann scaled to sum 2: a sine of amplitude A peaks at |X| = A in its bin. */
function hann(n: number): Float32Array {
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) w[i] = (4 / n) * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
  return w;
}

function checkConfig(c: AnalyzerConfig): void {
  const sr = c?.sampleRate;
  if (typeof sr !== 'number' || !Number.isFinite(sr) || sr < MIN_SAMPLE_RATE || sr > MAX_SAMPLE_RATE) {
    throw new RangeError(`Analyzer: sampleRate must be ${MIN_SAMPLE_RATE}..${MAX_SAMPLE_RATE} Hz, got ${String(sr)}`);
  }
  const n = c.frameSize;
  if (!Number.isInteger(n) || n < 256 || n > 32768 || (n & (n - 1)) !== 0) {
    throw new RangeError(`Analyzer: frameSize must be a power of two from 256 to 32768, got ${String(n)}`);
  }
  const h = c.hopSize;
  if (!Number.isInteger(h) || h < 16 || h > n) {
    throw new RangeError(`Analyzer: hopSize must be an integer from 16 to frameSize (${n}), got ${String(h)}`);
  }
}

export class Analyzer implements HopAnalyzer {
  readonly config: AnalyzerConfig;
  private readonly essentia: EssentiaFacade;
  private readonly n: number;
  private readonly hop: number;
  private readonly bins: number;
  private readonly binHz: Hz;
  /** Hops between chroma updates (what the UI should show as its freshness). */
  readonly chromaEvery: number;
  /** Hops between pitch updates. */
  readonly pitchEvery: number;
  private readonly pitchPhase: number;

  private readonly frame: Float32Array;
  private readonly window: Float32Array;
  private readonly windowed: Float32Array;
  private readonly mag: Float32Array;
  private readonly power: Float32Array;
  /** Log magnitudes of the previous hop and of this one (swapped every hop). */
  private prevLogMag: Float32Array;
  private curLogMag: Float32Array;
  private readonly bands3: SparseBank;
  private readonly bands8: SparseBank;
  private readonly mel: SparseBank;
  private readonly melOut: Float32Array;
  private readonly dct: Float32Array;
  private readonly chroma: Float32Array;
  private readonly hpcp: Float32Array;
  private readonly peaksParams: SpectralPeaksParams;
  private readonly hpcpParams: HpcpParams;
  private readonly pitchParams: PitchParams;
  private readonly pitchResult = new PitchResult();
  /** Decimated history for chroma, its window and scratch. */
  private readonly chromaRing: DecimatedRing;
  private readonly chromaWindow: Float32Array;
  private readonly chromaWindowed: Float32Array;
  private readonly chromaMag: Float32Array;
  /** Decimated history for pitch at rates above 48 kHz (null below: pitch reads the main spectrum). */
  private readonly pitchRing: DecimatedRing | null;
  private readonly pitchWindowed: Float32Array;
  private readonly pitchMag: Float32Array;
  private readonly onsets: OnsetDetector;
  private readonly tempo: TempoTracker;
  private readonly bandOnsets: BandOnsets;

  private hopIndex = 0;
  private chromaDue = false;
  private prevHfc = 0;
  private prevHfc2 = 0;
  private hopsSinceOnset = 1e9;
  private hfcPeak = 0;
  /** Previous hop's mel energies, and the decaying peak that scales the accent flux into 0..1. */
  private readonly prevMel: Float32Array;
  private melFluxPeak = 0;
  private readonly melFluxPeakDecay: number;
  /** Peak of the previous hop: an onset found one hop late still passes the level gate. */
  private prevPeak = 0;
  private pitch: Hz = 0;
  private pitchConfidence = 0;
  private disposed = false;
  /** Failures of the slow essentia features, chroma and pitch (the rest of the hop still runs). */
  slowFeatureErrors = 0;
  /** Message of the newest such failure, for the UI. */
  lastError = '';

  constructor(essentia: EssentiaFacade, config: AnalyzerConfig, options: AnalyzerOptions = {}) {
    checkConfig(config);
    if (!essentia || typeof essentia.spectrum !== 'function') throw new TypeError('Analyzer: expected an EssentiaFacade');
    this.essentia = essentia;
    this.config = Object.freeze({ sampleRate: config.sampleRate, frameSize: config.frameSize, hopSize: config.hopSize });
    const sr = config.sampleRate;
    const n = config.frameSize;
    this.n = n;
    this.hop = config.hopSize;
    this.bins = n / 2 + 1;
    this.binHz = sr / n;
    this.prevMel = new Float32Array(MEL_BANDS);
    // halves in ~2 s whatever the hop rate, like the onset strength's peak
    this.melFluxPeakDecay = Math.pow(0.5, this.hop / sr / 2);
    const hopSeconds = config.hopSize / sr;
    this.chromaEvery = Math.max(1, Math.floor(options.chromaEvery ?? Math.round(CHROMA_INTERVAL / hopSeconds)));
    this.pitchEvery = Math.max(1, Math.floor(options.pitchEvery ?? Math.round(PITCH_INTERVAL / hopSeconds)));
    // Chroma falls due on hops 0, E, 2E...; pitch is offset from it, and a due chroma waits for a hop without pitch.
    this.pitchPhase = this.pitchEvery > 1 ? Math.floor(Math.min(this.chromaEvery, this.pitchEvery) / 2) % this.pitchEvery : 0;

    this.frame = new Float32Array(n);
    this.windowed = new Float32Array(n);
    this.window = hann(n);
    this.mag = new Float32Array(this.bins);
    this.power = new Float32Array(this.bins);
    this.prevLogMag = new Float32Array(this.bins);
    this.curLogMag = new Float32Array(this.bins);

    this.bands3 = bandBank(BANDS3_EDGES, this.bins, this.binHz);
    this.bands8 = bandBank(BANDS8_EDGES, this.bins, this.binHz);
    this.mel = melBank(MEL_BANDS, MEL_LOW_HZ, Math.min(MEL_HIGH_HZ, sr / 2), this.bins, this.binHz);
    this.melOut = new Float32Array(MEL_BANDS);
    this.dct = dctMatrix(MFCC_COEFFS, MEL_BANDS);

    this.chroma = new Float32Array(CHROMA_BINS);
    this.hpcp = new Float32Array(CHROMA_BINS);
    // Chroma: the signal low-passed and decimated to 10-20 kHz, a 1024 or 2048 frame of it
    // (~64-128 ms, bins under 12 Hz), Hann window scaled like the main one.
    const dc = decimationFor(sr, CHROMA_MIN_RATE);
    const chromaRate = sr / dc;
    const nc = chromaRate <= 12288 ? 1024 : 2048;
    this.chromaRing = new DecimatedRing(sr, dc, nc, 0.4 * chromaRate);
    this.chromaWindow = hann(nc);
    this.chromaWindowed = new Float32Array(nc);
    this.chromaMag = new Float32Array(nc / 2 + 1);
    const chromaTop = Math.min(5000, 0.4 * chromaRate);
    this.peaksParams = { magnitudeThreshold: 1e-5, minFrequency: 40, maxFrequency: chromaTop, maxPeaks: 60, sampleRate: chromaRate };
    // essentia's bin 0 is A at 440 Hz; rotated to C..B when copied out. A 4/3-semitone window
    // (essentia's key extractor setting) tolerates the peak shifts of close low partials.
    this.hpcpParams = { size: CHROMA_BINS, referenceFrequency: 440, minFrequency: 40, maxFrequency: chromaTop, harmonics: 0, windowSize: 4 / 3, sampleRate: chromaRate };

    // Pitch above 48 kHz: a frame of the signal decimated to 24-48 kHz (essentia's PitchYinFFT
    // hangs above ~50 kHz, and 2048 samples at 192 kHz hold too few periods anyway).
    // YIN needs two periods in the frame: the lowest pitch is 2 * rate / frameSize.
    const dp = decimationBelow(sr, PITCH_MAX_RATE);
    const pitchRate = sr / dp;
    this.pitchRing = dp > 1 ? new DecimatedRing(sr, dp, n, 0.4 * pitchRate) : null;
    this.pitchWindowed = new Float32Array(dp > 1 ? n : 0);
    this.pitchMag = new Float32Array(dp > 1 ? this.bins : 0);
    this.pitchParams = { frameSize: n, minFrequency: Math.max(30, (2 * pitchRate) / n), maxFrequency: Math.min(5000, 0.4 * pitchRate), sampleRate: pitchRate, tolerance: 1 };

    this.onsets = new OnsetDetector({ sampleRate: sr, frameSize: n, hopSize: this.hop });
    this.tempo = new TempoTracker({ hopRate: sr / this.hop });
    this.bandOnsets = new BandOnsets({ hopRate: sr / this.hop });
  }

  /** The causal tempo and beat tracker fed by this analyser's onset strength. */
  get tempoTracker(): TempoTracker {
    return this.tempo;
  }

  get lastOnsetTime(): Seconds {
    return this.onsets.lastOnsetTime;
  }

  /** Onset threshold used on the newest hop (diagnostic, same units as the internal ODF). */
  get onsetThreshold(): number {
    return this.onsets.threshold;
  }

  /** The detector itself, for diagnostics (threshold, raw ODF, step score). */
  get onsetDetector(): OnsetDetector {
    return this.onsets;
  }

  reset(): void {
    this.frame.fill(0);
    this.chromaRing.reset();
    if (this.pitchRing) this.pitchRing.reset();
    this.prevLogMag.fill(0);
    this.curLogMag.fill(0);
    this.chroma.fill(0);
    this.hopIndex = 0;
    this.chromaDue = false;
    this.prevHfc = 0;
    this.prevHfc2 = 0;
    this.hopsSinceOnset = 1e9;
    this.hfcPeak = 0;
    this.melFluxPeak = 0;
    this.prevMel.fill(0);
    this.prevPeak = 0;
    this.pitch = 0;
    this.pitchConfidence = 0;
    this.onsets.reset();
    this.tempo.reset();
    this.bandOnsets.reset();
  }

  /** The analyser owns no WASM objects (the facade owns its vectors and is disposed by its owner). */
  dispose(): void {
    this.disposed = true;
  }

  processHop(hop: Float32Array, endTime: Seconds, out: Float32Array): boolean {
    if (this.disposed) throw new Error('Analyzer: processHop after dispose()');
    const n = this.n;
    const h = this.hop;
    if (hop.length !== h) throw new RangeError(`Analyzer.processHop: expected ${h} samples, got ${hop.length}`);
    if (out.length < FEATURE_COUNT) throw new RangeError(`Analyzer.processHop: out needs ${FEATURE_COUNT} slots, got ${out.length}`);

    // Slide the frame by one hop; sanitise new samples so one bad value cannot poison the state.
    const frame = this.frame;
    frame.copyWithin(0, h);
    let peak = 0;
    const base = n - h;
    for (let i = 0; i < h; i++) {
      let x = hop[i];
      if (x !== x) x = 0;
      else if (x > SAMPLE_LIMIT) x = SAMPLE_LIMIT;
      else if (x < -SAMPLE_LIMIT) x = -SAMPLE_LIMIT;
      frame[base + i] = x;
      const a = x < 0 ? -x : x;
      if (a > peak) peak = a;
    }
    this.chromaRing.push(frame, base, n);
    if (this.pitchRing) this.pitchRing.push(frame, base, n);

    // Time domain: energy, zero crossings, window.
    const win = this.window;
    const wf = this.windowed;
    let weightedSq = 0;
    let crossings = 0;
    let prevNeg = frame[0] < 0;
    for (let i = 0; i < n; i++) {
      const x = frame[i];
      const xw = x * win[i];
      weightedSq += x * xw;
      const neg = x < 0;
      if (neg !== prevNeg) crossings++;
      prevNeg = neg;
      wf[i] = xw;
    }
    // Hann-weighted RMS (window sums to 2): steady on partial periods, so a bass note does not wobble the meter.
    const rms = Math.sqrt(0.5 * weightedSq);

    this.essentia.spectrum(wf, this.mag);

    // Spectral pass: power, centroid, flatness, log flux, HFC.
    const bins = this.bins;
    const mag = this.mag;
    const pw = this.power;
    const prev = this.prevLogMag;
    const cur = this.curLogMag;
    const last = bins - 1;
    let sumMag = 0;
    let sumKMag = 0;
    let sumP = 0;
    let sumKP = 0;
    let sumLog = 0;
    // Geometric mean via products of 16 bins, one log each: |X| stays within [1e-12, 2e4],
    // so a product of 16 stays inside double range.
    let prod = 1;
    let inProd = 0;
    let flux = 0;
    for (let k = 0; k < bins; k++) {
      const m = mag[k];
      const p = m * m * POWER_SCALE;
      pw[k] = p;
      sumMag += m;
      sumKMag += k * m;
      sumP += p;
      sumKP += k * p;
      if (k > 0) {
        prod *= m + 1e-12;
        if (++inProd === 16) {
          sumLog += Math.log(prod);
          prod = 1;
          inProd = 0;
        }
      }
      const l = Math.log(1 + FLUX_GAMMA * m);
      // Against the max of the 3 neighbouring bins a hop ago (as SuperFlux does): noise and vibrato
      // wobble between bins and cancel, a real attack rises everywhere.
      let pm = prev[k];
      if (k > 0 && prev[k - 1] > pm) pm = prev[k - 1];
      if (k < last && prev[k + 1] > pm) pm = prev[k + 1];
      const d = l - pm;
      if (d > 0) flux += d;
      cur[k] = l;
    }
    sumLog += Math.log(prod);
    const binHz = this.binHz;
    const centroid = sumMag > 1e-9 ? (binHz * sumKMag) / sumMag : 0;
    let rolloff = 0;
    if (sumP > 1e-20) {
      const target = 0.85 * sumP;
      let cum = 0;
      for (let k = 0; k < bins; k++) {
        cum += pw[k];
        if (cum >= target) {
          rolloff = k * binHz;
          break;
        }
      }
    }
    const am = (sumMag - mag[0]) / (bins - 1);
    let flatness = am > 1e-10 ? Math.exp(sumLog / (bins - 1)) / am : 0;
    if (flatness > 1) flatness = 1;
    this.prevLogMag = cur;
    this.curLogMag = prev;
    const fluxMean = flux / bins;

    // Onset function: log flux plus the log rise of high-frequency content.
    const hfc = sumKP / bins;
    // The floor follows the recent HFC peak: a decaying note's faint top end wobbling by a few
    // dB is no attack, only a rise that matters against what the music has recently had.
    const hfcPeak = Math.max(hfc, this.hfcPeak * this.melFluxPeakDecay);
    this.hfcPeak = hfcPeak;
    const hfcFloor = HFC_FLOOR + HFC_RELATIVE_FLOOR * hfcPeak;
    // against the larger of the last two hops: a low note beating against the hop (HFC see-sawing) is no rise
    const hfcBefore = this.prevHfc > this.prevHfc2 ? this.prevHfc : this.prevHfc2;
    const hfcRise = Math.log((hfc + hfcFloor) / (hfcBefore + hfcFloor));
    this.prevHfc2 = this.prevHfc;
    this.prevHfc = hfc;
    const odf = fluxMean + HFC_WEIGHT * (hfcRise > 0 ? hfcRise : 0);
    const recentPeak = peak > this.prevPeak ? peak : this.prevPeak;
    this.prevPeak = peak;
    let onset = this.onsets.update(odf, frame, endTime, recentPeak);

    // Slow features on staggered hops.
    const idx = this.hopIndex;
    this.hopIndex = idx + 1;
    const silent = rms < SILENT_RMS;
    // One essentia-heavy feature per hop: chroma waits for a hop without pitch.
    if (idx % this.chromaEvery === 0) this.chromaDue = true;
    const pitchNow = idx % this.pitchEvery === this.pitchPhase;
    if (pitchNow) this.updatePitch(silent);
    if (this.chromaDue && (!pitchNow || this.pitchEvery === 1)) {
      this.chromaDue = false;
      this.updateChroma(silent);
    }

    // Write out.
    out[F.rms] = rms;
    out[F.loudness] = rms > 1e-6 ? 20 * Math.log10(rms) : -120;
    out[F.peak] = peak;
    applyBank(this.bands3, pw, out, F.bands3);
    applyBank(this.bands8, pw, out, F.bands8);
    out[F.centroid] = centroid;
    out[F.rolloff] = rolloff;
    out[F.flatness] = flatness;
    out[F.flux] = fluxMean;
    out[F.zcr] = crossings / (n - 1);
    const melOut = this.melOut;
    applyBank(this.mel, pw, melOut, 0);
    // Accent flux (the beat tracker's input): rises of mel-band power, uncompressed, so the
    // loudest hits (kicks, snares) lead and busy hats or a bass line between them do not.
    let melFlux = 0;
    const pm = this.prevMel;
    for (let j = 0; j < MEL_BANDS; j++) {
      const d = melOut[j] - pm[j];
      if (d > 0) melFlux += d;
      pm[j] = melOut[j];
    }
    const melEnv = Math.max(melFlux, this.melFluxPeak * this.melFluxPeakDecay, ACCENT_FLOOR);
    this.melFluxPeak = melEnv;
    const beatStrength = melFlux / melEnv;
    for (let j = 0; j < MEL_BANDS; j++) {
      out[F.mel + j] = melOut[j];
      melOut[j] = Math.log(melOut[j] + MEL_LOG_FLOOR);
    }
    const dct = this.dct;
    for (let i = 0; i < MFCC_COEFFS; i++) {
      let s = 0;
      const row = i * MEL_BANDS;
      for (let j = 0; j < MEL_BANDS; j++) s += dct[row + j] * melOut[j];
      out[F.mfcc + i] = s;
    }
    for (let c = 0; c < CHROMA_BINS; c++) out[F.chroma + c] = this.chroma[c];
    out[F.pitch] = this.pitch;
    out[F.pitchConfidence] = this.pitchConfidence;
    out[F.onsetStrength] = this.onsets.strength;
    out[F.onset] = onset ? 1 : 0;
    const tempo = this.tempo;
    out[F.beatStrength] = beatStrength;
    tempo.push(out[F.onsetStrength], beatStrength, out[F.bands3], endTime);
    const locked = !tempo.silent && tempo.confidence > 0;
    out[F.tempo] = locked ? tempo.bpm : 0;
    out[F.tempoConfidence] = locked ? tempo.confidence : 0;
    out[F.beatPhase] = tempo.beatPhase;
    out[F.barPhase] = tempo.barPhase;
    out[F.beat] = tempo.beatEmitted ? 1 : 0;
    const bo = this.bandOnsets;
    bo.push(out, F.bands3, !silent);
    // A low-band onset the full-band ODF missed (a kick under tape hiss) still counts: only where
    // the low band carries much of the energy (a kick, not a breath or hiss swelling) and not on
    // the hops right after an onset (the same hit still filling the analysis window).
    if (onset) this.hopsSinceOnset = 0;
    else if (this.hopsSinceOnset < 1e9) this.hopsSinceOnset++;
    const b3 = F.bands3;
    const lowShare = out[b3] / (out[b3] + out[b3 + 1] + out[b3 + 2] + 1e-12);
    if (!onset && bo.fired[0] === 1 && this.hopsSinceOnset >= 3 && lowShare >= KICK_LOW_SHARE && recentPeak >= MIN_ONSET_PEAK) {
      onset = this.onsets.accept(frame, endTime);
      if (onset) this.hopsSinceOnset = 0;
      out[F.onset] = onset ? 1 : 0;
    }
    out[F.bandOnsets] = bo.envelope[0];
    out[F.bandOnsets + 1] = bo.envelope[1];
    out[F.bandOnsets + 2] = bo.envelope[2];
    return onset;
  }

  private updateChroma(silent: boolean): void {
    const c = this.chroma;
    if (silent) {
      c.fill(0);
      return;
    }
    try {
      this.chromaRing.readWindowed(this.chromaWindow, this.chromaWindowed);
      this.essentia.spectrum(this.chromaWindowed, this.chromaMag);
      const peaks = this.essentia.hpcpFromSpectrum(this.chromaMag, this.chromaMag.length, this.peaksParams, this.hpcpParams, this.hpcp);
      if (peaks === 0) {
        c.fill(0);
        return;
      }
      // essentia bin 0 is A; C is 3 semitones above A.
      const h = this.hpcp;
      for (let i = 0; i < CHROMA_BINS; i++) {
        const v = h[(i + 3) % CHROMA_BINS];
        c[i] = v === v && v > 0 ? (v > 1 ? 1 : v) : 0;
      }
    } catch (e) {
      this.slowFeatureFailed(e);
    }
  }

  /** Magnitude spectrum YIN reads: the main one, or above 48 kHz that of the decimated frame. */
  private pitchSpectrum(): Float32Array {
    const ring = this.pitchRing;
    if (ring === null) return this.mag;
    ring.readWindowed(this.window, this.pitchWindowed);
    this.essentia.spectrum(this.pitchWindowed, this.pitchMag);
    return this.pitchMag;
  }

  private updatePitch(silent: boolean): void {
    if (silent) {
      this.pitch = 0;
      this.pitchConfidence = 0;
      return;
    }
    try {
      const r = this.pitchResult;
      this.essentia.pitchYinFFT(this.pitchSpectrum(), this.pitchParams, r);
      const ok = Number.isFinite(r.pitch) && r.pitch > 0 && Number.isFinite(r.confidence);
      this.pitch = ok ? r.pitch : 0;
      this.pitchConfidence = ok ? Math.min(1, Math.max(0, r.confidence)) : 0;
    } catch (e) {
      this.slowFeatureFailed(e);
    }
  }

  /** Not on the normal path: only an essentia failure gets here, and the show goes on. */
  private slowFeatureFailed(e: unknown): void {
    this.slowFeatureErrors++;
    this.lastError = e instanceof Error ? e.message : String(e);
  }
}
