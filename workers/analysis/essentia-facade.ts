/**
 * A small typed facade over an essentia.js instance (`new Essentia(EssentiaWASM)`), exposing
 * only the algorithms the analyser uses. Inputs are Float32Arrays, outputs are written into
 * Float32Arrays the caller owns. Every VectorFloat this facade creates or receives is freed;
 * input vectors are allocated once per length and reused. WASM vectors are read and written
 * through views on the WASM heap (vectorToArray is a slow JS loop), taken fresh on each call
 * because a heap growth detaches old views. C++ exceptions, which essentia.js throws as bare
 * numbers, become Errors carrying essentia's own message.
 */
import type { Hz } from '../../engine/features/layout.ts';

/** An embind `std::vector<float>` handle. `$$.ptr` is embind's pointer to the C++ object. */
export interface RawVectorFloat {
  size(): number;
  get(i: number): number;
  set(i: number, v: number): boolean;
  resize(n: number, value: number): void;
  delete(): void;
  $$?: { ptr: number };
}

/** The emscripten module (`EssentiaWASM`): heap views and the vector class. */
export interface RawEssentiaModule {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  HEAPF32: Float32Array;
  VectorFloat: new () => RawVectorFloat;
  /** The embind class behind `Essentia.algorithms`; present once the runtime is initialised. */
  EssentiaJS?: unknown;
  arrayToVector(a: Float32Array): RawVectorFloat;
  vectorToArray(v: RawVectorFloat): Float32Array;
  _malloc?: (bytes: number) => number;
  _free?: (ptr: number) => void;
}

/** The embind `EssentiaJS` object: algorithms with every parameter positional. */
export interface RawAlgorithms {
  Spectrum(frame: RawVectorFloat, size: number): { spectrum: RawVectorFloat };
  SpectralPeaks(
    spectrum: RawVectorFloat, magnitudeThreshold: number, maxFrequency: number, maxPeaks: number,
    minFrequency: number, orderBy: string, sampleRate: number,
  ): { frequencies: RawVectorFloat; magnitudes: RawVectorFloat };
  HPCP(
    frequencies: RawVectorFloat, magnitudes: RawVectorFloat, bandPreset: boolean, bandSplitFrequency: number,
    harmonics: number, maxFrequency: number, maxShifted: boolean, minFrequency: number, nonLinear: boolean,
    normalized: string, referenceFrequency: number, sampleRate: number, size: number, weightType: string, windowSize: number,
  ): { hpcp: RawVectorFloat };
  PitchYinFFT(
    spectrum: RawVectorFloat, frameSize: number, interpolate: boolean, maxFrequency: number, minFrequency: number,
    sampleRate: number, tolerance: number,
  ): { pitch: number; pitchConfidence: number };
  delete?(): void;
}

/** The `Essentia` core object (`new Essentia(EssentiaWASM)`); the JS wrappers are used only by the naive benchmark. */
export interface RawEssentia {
  algorithms: RawAlgorithms;
  module: RawEssentiaModule;
  version: string;
  delete(): void;
}

export interface SpectralPeaksParams {
  /** Peaks below this linear magnitude are ignored. */
  magnitudeThreshold: number;
  minFrequency: Hz;
  maxFrequency: Hz;
  maxPeaks: number;
  sampleRate: number;
}

export interface HpcpParams {
  /** Output bins (a multiple of 12). */
  size: number;
  /** Frequency of bin 0 (essentia's default is A = 440 Hz). */
  referenceFrequency: Hz;
  minFrequency: Hz;
  maxFrequency: Hz;
  /** Harmonics of each peak to credit (0 = the peak only). */
  harmonics: number;
  /** Width of each peak's contribution, in semitones (essentia default 1). */
  windowSize: number;
  sampleRate: number;
}

export interface PitchParams {
  /** Frame length the spectrum came from (spectrum length = frameSize/2 + 1). */
  frameSize: number;
  minFrequency: Hz;
  maxFrequency: Hz;
  sampleRate: number;
  /** PitchYinFFT peak tolerance (essentia default 1). */
  tolerance: number;
}

/** Reusable result holder so pitch calls allocate nothing of ours. */
export class PitchResult {
  pitch: Hz = 0;
  confidence = 0;
}

const SLOT_FRAME = 0;
const SLOT_SPECTRUM = 1;
const SLOT_PEAK_FREQS = 2;
const SLOT_PEAK_MAGS = 3;

const textDecoder = typeof TextDecoder === 'function' ? new TextDecoder() : undefined;

/**
 * Turn whatever essentia.js threw into an Error. A bare number is the address of a C++
 * exception object; for essentia's own EssentiaException the message string sits right
 * after the vtable pointer (libc++ std::string layout), so it is decoded when it looks sane.
 */
export function essentiaError(thrown: unknown, algorithm: string, module?: RawEssentiaModule): Error {
  if (thrown instanceof Error) return new Error(`essentia ${algorithm}: ${thrown.message}`, { cause: thrown });
  if (typeof thrown === 'number') {
    const msg = module ? decodeCppExceptionMessage(module, thrown) : undefined;
    return new Error(msg ? `essentia ${algorithm}: ${msg}` : `essentia ${algorithm}: C++ exception (code ${thrown})`);
  }
  return new Error(`essentia ${algorithm}: ${String(thrown)}`);
}

function decodeCppExceptionMessage(m: RawEssentiaModule, ptr: number): string | undefined {
  const u8 = m.HEAPU8;
  const s = ptr + 4;
  if (!Number.isInteger(ptr) || ptr <= 0 || s + 12 > u8.length || (s & 3) !== 0 || !textDecoder) return undefined;
  let data: number;
  let size: number;
  if ((u8[s + 11] & 0x80) !== 0) {
    const u32 = m.HEAPU32;
    data = u32[s >> 2];
    size = u32[(s >> 2) + 1];
  } else {
    data = s;
    size = u8[s + 11];
  }
  if (size === 0 || size > 4096 || data <= 0 || data + size > u8.length) return undefined;
  const bytes = u8.slice(data, data + size);
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c < 9 || (c > 13 && c < 32) || c === 127) return undefined;
  }
  return textDecoder.decode(bytes);
}

export class EssentiaFacade {
  readonly raw: RawEssentia;
  readonly version: string;
  private readonly mod: RawEssentiaModule;
  private readonly alg: RawAlgorithms;
  /** Reusable input vectors by slot; a slot is resized only when a call needs another length. */
  private readonly inputs: (RawVectorFloat | undefined)[] = [];
  private readonly inputLengths: number[] = [];
  private readonly fixed: { kind: number; length: number; v: RawVectorFloat }[] = [];
  /** True when vectors can be read/written through the heap (embind handle layout verified). */
  readonly heapAccess: boolean;
  private disposed = false;

  constructor(raw: RawEssentia) {
    if (!raw || typeof raw !== 'object' || !raw.algorithms || !raw.module) {
      throw new TypeError('EssentiaFacade: expected an essentia.js instance (new Essentia(EssentiaWASM))');
    }
    const m = raw.module;
    if (typeof m.VectorFloat !== 'function' || !(m.HEAPF32 instanceof Float32Array)) {
      throw new TypeError('EssentiaFacade: the essentia.js WASM module is not initialised (no VectorFloat or heap)');
    }
    this.raw = raw;
    this.mod = m;
    this.alg = raw.algorithms;
    this.version = String(raw.version);
    this.heapAccess = this.probeHeapAccess();
  }

  /** Write the vector's data through the heap once, read it back through embind: proves the layout. */
  private probeHeapAccess(): boolean {
    const v = new this.mod.VectorFloat();
    try {
      v.resize(4, 0);
      const ptr = v.$$?.ptr;
      if (typeof ptr !== 'number' || ptr <= 0) return false;
      const begin = this.mod.HEAPU32[ptr >> 2];
      const end = this.mod.HEAPU32[(ptr >> 2) + 1];
      if ((begin & 3) !== 0 || end - begin !== 16) return false;
      const f = this.mod.HEAPF32;
      for (let i = 0; i < 4; i++) f[(begin >> 2) + i] = 0.25 * (i + 1);
      for (let i = 0; i < 4; i++) if (v.get(i) !== 0.25 * (i + 1)) return false;
      return true;
    } finally {
      v.delete();
    }
  }

  /** Copy a WASM vector into `out` (at most out.length values); returns the vector's length. */
  private readVector(v: RawVectorFloat, out: Float32Array): number {
    if (this.heapAccess) {
      const ptr = (v.$$ as { ptr: number }).ptr;
      const u32 = this.mod.HEAPU32;
      const begin = u32[ptr >> 2] >> 2;
      const n = (u32[(ptr >> 2) + 1] >> 2) - begin;
      const m = n < out.length ? n : out.length;
      const f = this.mod.HEAPF32;
      for (let i = 0; i < m; i++) out[i] = f[begin + i];
      return n;
    }
    const n = v.size();
    const m = n < out.length ? n : out.length;
    for (let i = 0; i < m; i++) out[i] = v.get(i);
    return n;
  }

  /** The reusable input vector of `slot`, resized to `length` floats when that changes. */
  private input(slot: number, length: number): RawVectorFloat {
    let v = this.inputs[slot];
    if (v === undefined) {
      v = new this.mod.VectorFloat();
      this.inputs[slot] = v;
      this.inputLengths[slot] = -1;
    }
    if (this.inputLengths[slot] !== length) {
      v.resize(length, 0);
      this.inputLengths[slot] = length;
    }
    return v;
  }

  /**
   * A reusable input vector of exactly `length` floats for `kind`: frames and spectra of a few
   * fixed lengths alternate every hop, so each length keeps its own vector instead of resizing.
   */
  private fixedInput(kind: number, length: number): RawVectorFloat {
    const list = this.fixed;
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      if (e.kind === kind && e.length === length) return e.v;
    }
    const v = new this.mod.VectorFloat();
    v.resize(length, 0);
    list.push({ kind, length, v });
    return v;
  }

  private writeVector(v: RawVectorFloat, src: Float32Array, length: number): void {
    if (this.heapAccess) {
      const ptr = (v.$$ as { ptr: number }).ptr;
      const begin = this.mod.HEAPU32[ptr >> 2] >> 2;
      const f = this.mod.HEAPF32;
      for (let i = 0; i < length; i++) f[begin + i] = src[i];
      return;
    }
    for (let i = 0; i < length; i++) v.set(i, src[i]);
  }

  private check(): void {
    if (this.disposed) throw new Error('EssentiaFacade: used after dispose()');
  }

  /**
   * Magnitude spectrum of an (already windowed) frame: writes frame.length/2 + 1 bins into
   * `outMagnitudes`. frame.length must be even.
   */
  spectrum(frame: Float32Array, outMagnitudes: Float32Array): void {
    this.check();
    const n = frame.length;
    if (n < 2 || (n & 1) !== 0) throw new RangeError(`essentia Spectrum: frame length must be even and >= 2, got ${n}`);
    if (outMagnitudes.length < n / 2 + 1) throw new RangeError(`essentia Spectrum: output needs ${n / 2 + 1} slots, got ${outMagnitudes.length}`);
    const v = this.fixedInput(SLOT_FRAME, n);
    this.writeVector(v, frame, n);
    let r: { spectrum: RawVectorFloat };
    try {
      r = this.alg.Spectrum(v, n);
    } catch (e) {
      throw essentiaError(e, 'Spectrum', this.mod);
    }
    try {
      this.readVector(r.spectrum, outMagnitudes);
    } finally {
      r.spectrum.delete();
    }
  }

  /**
   * Spectral peaks of a magnitude spectrum, strongest first: writes up to outFrequencies.length
   * peaks and returns how many were written.
   */
  spectralPeaks(spectrum: Float32Array, spectrumLength: number, p: SpectralPeaksParams, outFrequencies: Float32Array, outMagnitudes: Float32Array): number {
    this.check();
    const v = this.fixedInput(SLOT_SPECTRUM, spectrumLength);
    this.writeVector(v, spectrum, spectrumLength);
    const r = this.runPeaks(v, p);
    try {
      const n = this.readVector(r.frequencies, outFrequencies);
      this.readVector(r.magnitudes, outMagnitudes);
      return n < outFrequencies.length ? n : outFrequencies.length;
    } finally {
      r.frequencies.delete();
      r.magnitudes.delete();
    }
  }

  /** Harmonic pitch class profile of `count` peaks, max-normalised, into `out` (p.size bins). */
  hpcp(frequencies: Float32Array, magnitudes: Float32Array, count: number, p: HpcpParams, out: Float32Array): void {
    this.check();
    if (count <= 0) {
      // essentia needs at least one peak; an empty profile is all zeros.
      for (let i = 0; i < p.size && i < out.length; i++) out[i] = 0;
      return;
    }
    const vf = this.input(SLOT_PEAK_FREQS, count);
    const vm = this.input(SLOT_PEAK_MAGS, count);
    this.writeVector(vf, frequencies, count);
    this.writeVector(vm, magnitudes, count);
    this.runHpcp(vf, vm, p, out);
  }

  /** SpectralPeaks of a spectrum vector on the WASM side; the caller frees both result vectors. */
  private runPeaks(spectrum: RawVectorFloat, p: SpectralPeaksParams): { frequencies: RawVectorFloat; magnitudes: RawVectorFloat } {
    try {
      return this.alg.SpectralPeaks(spectrum, p.magnitudeThreshold, p.maxFrequency, p.maxPeaks, p.minFrequency, 'frequency', p.sampleRate);
    } catch (e) {
      throw essentiaError(e, 'SpectralPeaks', this.mod);
    }
  }

  /** HPCP of peak vectors already on the WASM side, into `out`; frees the result vector. */
  private runHpcp(frequencies: RawVectorFloat, magnitudes: RawVectorFloat, p: HpcpParams, out: Float32Array): void {
    let r: { hpcp: RawVectorFloat };
    try {
      r = this.alg.HPCP(frequencies, magnitudes, true, 500, p.harmonics, p.maxFrequency, false, p.minFrequency, false, 'unitMax', p.referenceFrequency, p.sampleRate, p.size, 'squaredCosine', p.windowSize);
    } catch (e) {
      throw essentiaError(e, 'HPCP', this.mod);
    }
    try {
      this.readVector(r.hpcp, out);
    } finally {
      r.hpcp.delete();
    }
  }

  /**
   * SpectralPeaks straight into HPCP without copying the peaks out: chroma of a magnitude
   * spectrum into `out` (p.size bins, max-normalised). Returns the number of peaks used;
   * with none, `out` is all zeros.
   */
  hpcpFromSpectrum(spectrum: Float32Array, spectrumLength: number, pk: SpectralPeaksParams, p: HpcpParams, out: Float32Array): number {
    this.check();
    const v = this.fixedInput(SLOT_SPECTRUM, spectrumLength);
    this.writeVector(v, spectrum, spectrumLength);
    const peaks = this.runPeaks(v, pk);
    try {
      const count = peaks.frequencies.size();
      if (count === 0) {
        for (let i = 0; i < p.size && i < out.length; i++) out[i] = 0;
        return 0;
      }
      this.runHpcp(peaks.frequencies, peaks.magnitudes, p, out);
      return count;
    } finally {
      peaks.frequencies.delete();
      peaks.magnitudes.delete();
    }
  }

  /** YIN pitch from a Hann-windowed frame's magnitude spectrum (p.frameSize/2 + 1 bins). */
  pitchYinFFT(spectrum: Float32Array, p: PitchParams, out: PitchResult): void {
    this.check();
    const len = p.frameSize / 2 + 1;
    const v = this.fixedInput(SLOT_SPECTRUM, len);
    this.writeVector(v, spectrum, len);
    let r: { pitch: number; pitchConfidence: number };
    try {
      r = this.alg.PitchYinFFT(v, p.frameSize, true, p.maxFrequency, p.minFrequency, p.sampleRate, p.tolerance);
    } catch (e) {
      throw essentiaError(e, 'PitchYinFFT', this.mod);
    }
    out.pitch = r.pitch;
    out.confidence = r.pitchConfidence;
  }

  /** Current WASM memory size in bytes (only grows; a leak shows as growth over a soak). */
  heapBytes(): number {
    return this.mod.HEAPU8.length;
  }

  /**
   * Address of a fresh 1 MiB allocation, freed at once. dlmalloc serves a request that large
   * from the top of the heap, so this address rises by whatever stayed allocated in between:
   * a finer leak gauge than heapBytes(). Returns -1 when malloc is not exported.
   */
  heapTopProbe(): number {
    const malloc = this.mod._malloc;
    const free = this.mod._free;
    if (typeof malloc !== 'function' || typeof free !== 'function') return -1;
    const p = malloc(1 << 20);
    free(p);
    return p;
  }

  /** Free the reusable input vectors and the essentia instance. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.inputs) if (v !== undefined) v.delete();
    this.inputs.length = 0;
    for (const e of this.fixed) e.v.delete();
    this.fixed.length = 0;
    try {
      this.raw.delete();
    } catch {
      // Already deleted by its owner: nothing left to free.
    }
  }
}
