/**
 * Feature bus: the newest feature vector on a SharedArrayBuffer, written by the analysis
 * worker once per hop and read by the frame loop. A sequence lock makes reads tear-free
 * without blocking the writer: the writer makes the sequence odd, writes, makes it even;
 * the reader copies and retries when the sequence moved. Neither side allocates after
 * construction.
 */
import { FEATURE_COUNT, type Seconds } from './layout.ts';

// Int32 header slots
const H_SEQ = 0;
const H_HOPS = 1;
const H_ONSETS = 2;
const H_OVERRUNS = 3;
const H_INTS = 8;
// Float64 meta slots
const M_AUDIO_TIME = 0;
const M_ONSET_TIME = 1;
const M_COST_MS = 2;
const M_WALL_MS = 3;
const M_SAMPLE_RATE = 4;
const M_HOP = 5;
const M_FRAME = 6;
/** The newest onset times, a ring indexed by onset number (slots M_ONSET_RING..+ONSET_RING). */
const M_ONSET_RING = 8;
/**
 * How many of the newest onset times the bus keeps, so a reader that skips hops (a slow frame)
 * still sees every onset of the last few hundred milliseconds, not only the newest.
 */
export const ONSET_RING = 8;
const M_DOUBLES = M_ONSET_RING + ONSET_RING;

const META_BYTE_OFFSET = H_INTS * 4;
const FEATURE_BYTE_OFFSET = META_BYTE_OFFSET + M_DOUBLES * 8;

/** Bytes needed for a bus holding `count` feature slots. */
export function featureBusBytes(count: number = FEATURE_COUNT): number {
  return FEATURE_BYTE_OFFSET + count * 4;
}

export function createFeatureBusBuffer(count: number = FEATURE_COUNT): SharedArrayBuffer {
  return new SharedArrayBuffer(featureBusBytes(count));
}

/**
 * The bus buffer, or a plain ArrayBuffer of the same layout when the page has no shared memory
 * (not cross-origin isolated): the frame loop then keeps running on silence.
 */
export function createFeatureBusBufferOrFallback(count: number = FEATURE_COUNT): SharedArrayBuffer | ArrayBuffer {
  return typeof SharedArrayBuffer === 'function' ? createFeatureBusBuffer(count) : new ArrayBuffer(featureBusBytes(count));
}

/** A reader-owned copy of one published hop. Allocate once, refill every frame. */
export class FeatureSnapshot {
  readonly features: Float32Array;
  /** Audio-clock time (AudioContext seconds) of the newest sample in the analysed frame. */
  audioTime: Seconds = 0;
  /** Even sequence number of this snapshot; 0 means nothing published yet. */
  seq = 0;
  /** Hops analysed since start. */
  hops = 0;
  /** Onsets detected since start: a change means at least one onset since the last read. */
  onsetCount = 0;
  /** Audio-clock time of the newest onset. */
  lastOnsetTime: Seconds = -1;
  /** The newest onset times, indexed by onset number modulo ONSET_RING: read with onsetTime(). */
  readonly onsetTimes = new Float64Array(ONSET_RING);
  /** Wall-clock cost of analysing the newest hop, in milliseconds. */
  costMs = 0;
  /** Epoch milliseconds (performance.timeOrigin + now) when the hop was published. */
  wallMs = 0;
  /** Capture ring overruns reported by the worker. */
  overruns = 0;
  sampleRate = 0;
  hopSize = 0;
  frameSize = 0;

  constructor(count: number = FEATURE_COUNT) {
    this.features = new Float32Array(count);
  }

  /**
   * Audio time of onset number `n` (0 = the first since start), or -1 when it is not among the
   * ONSET_RING newest (or has not happened).
   */
  onsetTime(n: number): Seconds {
    if (n < 0 || n >= this.onsetCount || n < this.onsetCount - ONSET_RING) return -1;
    return this.onsetTimes[n % ONSET_RING];
  }
}

export class FeatureBusWriter {
  private readonly ints: Int32Array;
  private readonly meta: Float64Array;
  private readonly vec: Float32Array;

  constructor(sab: SharedArrayBuffer, sampleRate: number, hopSize: number, frameSize: number, count: number = FEATURE_COUNT) {
    if (sab.byteLength < featureBusBytes(count)) throw new RangeError('feature bus buffer too small');
    this.ints = new Int32Array(sab, 0, H_INTS);
    this.meta = new Float64Array(sab, META_BYTE_OFFSET, M_DOUBLES);
    this.vec = new Float32Array(sab, FEATURE_BYTE_OFFSET, count);
    this.begin();
    this.meta[M_SAMPLE_RATE] = sampleRate;
    this.meta[M_HOP] = hopSize;
    this.meta[M_FRAME] = frameSize;
    this.end();
  }

  /** Publish one hop. `features` must hold exactly `count` values (else a RangeError). Allocates nothing. */
  publish(features: Float32Array, audioTime: Seconds, onset: boolean, onsetTime: Seconds, costMs: number, wallMs: number, overruns: number): void {
    this.begin();
    if (features.length !== this.vec.length) throw new RangeError(`feature vector has ${features.length} values, the bus ${this.vec.length}`);
    this.vec.set(features);
    this.meta[M_AUDIO_TIME] = audioTime;
    if (onset) {
      const n = this.ints[H_ONSETS];
      this.meta[M_ONSET_TIME] = onsetTime;
      this.meta[M_ONSET_RING + (n % ONSET_RING)] = onsetTime;
      this.ints[H_ONSETS] = n + 1;
    }
    this.meta[M_COST_MS] = costMs;
    this.meta[M_WALL_MS] = wallMs;
    this.ints[H_HOPS] = this.ints[H_HOPS] + 1;
    this.ints[H_OVERRUNS] = overruns;
    this.end();
  }

  private begin(): void {
    Atomics.add(this.ints, H_SEQ, 1); // odd: write in progress
  }

  private end(): void {
    Atomics.add(this.ints, H_SEQ, 1); // even: consistent
  }
}

export class FeatureBusReader {
  private readonly ints: Int32Array;
  private readonly meta: Float64Array;
  private readonly vec: Float32Array;
  private readonly scratch: Float32Array;
  private readonly ringScratch = new Float64Array(ONSET_RING);
  /** Reads that found the writer mid-update and retried (diagnostic). */
  retries = 0;

  /** `sab` may be a plain ArrayBuffer when shared memory is unavailable (reads then stay empty). */
  constructor(sab: SharedArrayBuffer | ArrayBuffer, count: number = FEATURE_COUNT) {
    if (sab.byteLength < featureBusBytes(count)) throw new RangeError('feature bus buffer too small');
    this.ints = new Int32Array(sab, 0, H_INTS);
    this.meta = new Float64Array(sab, META_BYTE_OFFSET, M_DOUBLES);
    this.vec = new Float32Array(sab, FEATURE_BYTE_OFFSET, count);
    this.scratch = new Float32Array(count);
  }

  /** Sequence number now on the bus (cheap; no copy). */
  sequence(): number {
    return Atomics.load(this.ints, H_SEQ);
  }

  /**
   * Copy the newest consistent snapshot into `out`. Returns true when `out` now holds a
   * snapshot newer than the one it held; false when nothing new was published or the writer
   * kept the bus busy for every try (then `out` keeps its previous, consistent contents).
   */
  read(out: FeatureSnapshot, maxTries = 8): boolean {
    for (let attempt = 0; attempt < maxTries; attempt++) {
      const s1 = Atomics.load(this.ints, H_SEQ);
      if ((s1 & 1) === 1) {
        this.retries++;
        continue;
      }
      if (s1 === out.seq) return false;
      const m = this.meta;
      const audioTime = m[M_AUDIO_TIME];
      const onsetTime = m[M_ONSET_TIME];
      const costMs = m[M_COST_MS];
      const wallMs = m[M_WALL_MS];
      const sampleRate = m[M_SAMPLE_RATE];
      const hop = m[M_HOP];
      const frame = m[M_FRAME];
      const hops = this.ints[H_HOPS];
      const onsets = this.ints[H_ONSETS];
      const overruns = this.ints[H_OVERRUNS];
      // Copy into private scratch first so a torn copy never reaches `out`.
      this.scratch.set(this.vec);
      for (let i = 0; i < ONSET_RING; i++) this.ringScratch[i] = m[M_ONSET_RING + i];
      const s2 = Atomics.load(this.ints, H_SEQ);
      if (s1 !== s2) {
        this.retries++;
        continue;
      }
      out.features.set(this.scratch);
      out.onsetTimes.set(this.ringScratch);
      out.seq = s1;
      out.audioTime = audioTime;
      out.lastOnsetTime = onsets > 0 ? onsetTime : -1;
      out.costMs = costMs;
      out.wallMs = wallMs;
      out.sampleRate = sampleRate;
      out.hopSize = hop;
      out.frameSize = frame;
      out.hops = hops;
      out.onsetCount = onsets;
      out.overruns = overruns;
      return true;
    }
    return false;
  }
}
