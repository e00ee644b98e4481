/**
 * Shared state between the capture worklet (the one producer) and the analysis worker (the one
 * consumer): a mono Float32 sample ring (ringbuf.js) and a small clock/state block guarded by a
 * sequence lock. Pure: no DOM, no Web Audio, so Node tests drive the exact per-block code the
 * worklet runs. One pair of buffers belongs to one AudioContext (frames and rate are its own).
 */
import { RingBuffer } from 'ringbuf.js';
import type { Seconds } from '../engine/features/layout.ts';

/** Name the worklet registers under; `new AudioWorkletNode(ctx, CAPTURE_PROCESSOR_NAME, ...)`. */
export const CAPTURE_PROCESSOR_NAME = 'glassforest-capture';

/** 2^18 samples: over 1 s at 192 kHz, 5.4 s at 48 kHz of slack before the worklet drops. */
export const DEFAULT_CAPTURE_CAPACITY = 1 << 18;

/** Web Audio's render quantum; process() blocks are this long unless the context says otherwise. */
export const RENDER_QUANTUM_FRAMES = 128;

const MIN_CAPACITY = 256;
const MAX_CAPACITY = 1 << 26;

// Int32 slots of the state block.
const I_SEQ = 0;
/** Int32 index of the sequence slot: consumers may Atomics.wait/waitAsync on it for new blocks. */
export const STATE_SEQ_INDEX = I_SEQ;
const I_OVERRUN_BLOCKS = 1;
const I_BLOCKS_WRITTEN = 2;
const I_RUNNING = 3;
const I_CHANNELS = 4;
const I_NONFINITE_BLOCKS = 5;
// Written by the consumer: wake it only once the stream reaches this position (mod 2^32).
const I_WAKE_AT = 6;
const I_WAKE_MODE = 7;
const I_SLOTS = 8;
// Float64 slots of the state block.
const D_END_FRAME = 0;
const D_TOTAL_WRITTEN = 1;
const D_SAMPLE_RATE = 2;
const D_DROPPED = 3;
const D_LAST_DROP_POSITION = 4;
const D_CLOCK_FRAME = 5;
const D_SLOTS = 8;

const D_BYTE_OFFSET = I_SLOTS * 4;
/** Bytes of the capture state block. */
export const CAPTURE_STATE_BYTES = D_BYTE_OFFSET + D_SLOTS * 8;

/** What the worklet receives as `processorOptions`. */
export interface CaptureBuffers {
  /** ringbuf.js storage for Float32 mono samples. */
  readonly ring: SharedArrayBuffer;
  /** Clock/state block (CAPTURE_STATE_BYTES). */
  readonly state: SharedArrayBuffer;
}

/** Allocate the ring (capacity in samples) and the state block. Allocates: set-up only. */
export function createCaptureBuffers(capacitySamples: number = DEFAULT_CAPTURE_CAPACITY): CaptureBuffers {
  if (!Number.isInteger(capacitySamples) || capacitySamples < MIN_CAPACITY || capacitySamples > MAX_CAPACITY) {
    throw new RangeError(`capture ring capacity must be an integer from ${MIN_CAPACITY} to ${MAX_CAPACITY} samples, got ${String(capacitySamples)}`);
  }
  if (typeof SharedArrayBuffer === 'undefined') {
    throw new Error('SharedArrayBuffer is unavailable: the page must be cross-origin isolated (COOP same-origin, COEP require-corp)');
  }
  return {
    ring: RingBuffer.getStorageForCapacity(capacitySamples, Float32Array),
    state: new SharedArrayBuffer(CAPTURE_STATE_BYTES),
  };
}

/** Wrap a ring SAB as a Float32 RingBuffer (consumer side uses this too). */
export function openCaptureRing(ring: SharedArrayBuffer): RingBuffer {
  return new RingBuffer(ring, Float32Array);
}

/**
 * Check `processorOptions` before use. Returns null when usable, else a message for the user.
 * Works on untrusted input (it is what arrives in the worklet constructor).
 */
export function validateCaptureBuffers(options: unknown): string | null {
  if (typeof SharedArrayBuffer === 'undefined') return 'SharedArrayBuffer is unavailable: the page is not cross-origin isolated';
  if (options === null || typeof options !== 'object') return 'capture worklet needs processorOptions { ring, state }';
  const o = options as { ring?: unknown; state?: unknown };
  if (!(o.ring instanceof SharedArrayBuffer)) return 'capture processorOptions.ring must be a SharedArrayBuffer from createCaptureBuffers()';
  if (!(o.state instanceof SharedArrayBuffer)) return 'capture processorOptions.state must be a SharedArrayBuffer from createCaptureBuffers()';
  const slots = (o.ring.byteLength - 8) / 4;
  if (!Number.isInteger(slots) || slots - 1 < MIN_CAPACITY) return `capture ring buffer has an invalid size (${o.ring.byteLength} bytes)`;
  if (o.state.byteLength < CAPTURE_STATE_BYTES) return `capture state buffer too small (${o.state.byteLength} < ${CAPTURE_STATE_BYTES} bytes)`;
  return null;
}

/** A consumer-owned copy of the capture state. Allocate once, refill with CaptureStateReader.read. */
export class CaptureStateSnapshot {
  /** Even sequence number of this copy; 0 means never read. */
  seq = 0;
  /** The AudioContext's sample rate; 0 until the worklet started. */
  sampleRate = 0;
  /** Audio frame just after the newest sample in the ring (exclusive end). */
  endFrame = 0;
  /** Samples ever pushed into the ring (dropped ones excluded): the stream position after the newest. */
  totalWritten = 0;
  /** Audio frame at the end of the newest process() call, written or not (liveness of the clock). */
  clockFrame = 0;
  /** Samples dropped because the ring was full. */
  droppedSamples = 0;
  /** Stream position where the newest drop happened; samples before it may be timed late. */
  lastDropPosition = 0;
  /** process() blocks that dropped samples because the ring was full. */
  overruns = 0;
  /** process() blocks that pushed at least one sample. */
  blocksWritten = 0;
  /** Blocks whose input held NaN or Infinity (replaced by 0). */
  nonFiniteBlocks = 0;
  running = false;
  /** Input channels of the newest block; 0 when nothing is connected. */
  channels = 0;
}

/** Producer side of the state block. Only the worklet writes; every method is allocation-free. */
export class CaptureStateWriter {
  private readonly ints: Int32Array;
  private readonly doubles: Float64Array;

  constructor(state: SharedArrayBuffer, sampleRate: number) {
    if (state.byteLength < CAPTURE_STATE_BYTES) throw new RangeError(`capture state buffer too small (${state.byteLength} < ${CAPTURE_STATE_BYTES} bytes)`);
    if (!(sampleRate > 0) || !Number.isFinite(sampleRate)) throw new RangeError(`capture sample rate must be positive, got ${String(sampleRate)}`);
    this.ints = new Int32Array(state, 0, I_SLOTS);
    this.doubles = new Float64Array(state, D_BYTE_OFFSET, D_SLOTS);
    this.begin();
    this.doubles[D_SAMPLE_RATE] = sampleRate;
    this.ints[I_RUNNING] = 1;
    this.end();
  }

  /**
   * Publish one process() block ending at frame `endFrame` (currentFrame + frames). The block's
   * first `samplesWritten` samples went into the ring and its last `dropped` did not. Wakes
   * consumers waiting on STATE_SEQ_INDEX.
   */
  publishBlock(endFrame: number, samplesWritten: number, dropped: number, channels: number, nonFinite = false): void {
    const d = this.doubles;
    const i = this.ints;
    this.begin();
    d[D_CLOCK_FRAME] = endFrame;
    if (samplesWritten > 0) {
      // Dropped samples are the block's tail, so the newest written sample ends `dropped` early.
      d[D_END_FRAME] = endFrame - dropped;
      d[D_TOTAL_WRITTEN] = d[D_TOTAL_WRITTEN] + samplesWritten;
      i[I_BLOCKS_WRITTEN] = (i[I_BLOCKS_WRITTEN] + 1) | 0;
    }
    if (dropped > 0) {
      d[D_DROPPED] = d[D_DROPPED] + dropped;
      d[D_LAST_DROP_POSITION] = d[D_TOTAL_WRITTEN];
      i[I_OVERRUN_BLOCKS] = (i[I_OVERRUN_BLOCKS] + 1) | 0;
    }
    if (nonFinite) i[I_NONFINITE_BLOCKS] = (i[I_NONFINITE_BLOCKS] + 1) | 0;
    i[I_CHANNELS] = channels;
    this.end();
    // Atomics.wait only wakes on notify, not on a changed value: without this a waiting consumer sleeps to its timeout.
    // A consumer that asked for a wake position is woken once the stream reaches it, not on every block.
    if (Atomics.load(i, I_WAKE_MODE) === 0 || (((d[D_TOTAL_WRITTEN] | 0) - Atomics.load(i, I_WAKE_AT)) | 0) >= 0) Atomics.notify(i, I_SEQ);
  }

  setRunning(running: boolean): void {
    this.begin();
    this.ints[I_RUNNING] = running ? 1 : 0;
    this.end();
    Atomics.notify(this.ints, I_SEQ);
  }

  private begin(): void {
    Atomics.add(this.ints, I_SEQ, 1); // odd: write in progress
  }

  private end(): void {
    Atomics.add(this.ints, I_SEQ, 1); // even: consistent
  }
}

/** Consumer side of the state block (analysis worker, UI meters). Allocation-free reads. */
export class CaptureStateReader {
  private readonly ints: Int32Array;
  private readonly doubles: Float64Array;
  /** Reads that met the writer mid-update and retried (diagnostic). */
  retries = 0;

  constructor(state: SharedArrayBuffer) {
    if (state.byteLength < CAPTURE_STATE_BYTES) throw new RangeError(`capture state buffer too small (${state.byteLength} < ${CAPTURE_STATE_BYTES} bytes)`);
    this.ints = new Int32Array(state, 0, I_SLOTS);
    this.doubles = new Float64Array(state, D_BYTE_OFFSET, D_SLOTS);
  }

  /** Sequence number now in the block (cheap; no copy). Odd while the worklet is writing. */
  sequence(): number {
    return Atomics.load(this.ints, I_SEQ);
  }

  /**
   * Copy the newest consistent state into `out`. True when `out` changed; false when nothing new
   * was published or the writer stayed busy for every try (`out` then keeps its consistent copy).
   */
  read(out: CaptureStateSnapshot, maxTries = 8): boolean {
    const i = this.ints;
    const d = this.doubles;
    for (let attempt = 0; attempt < maxTries; attempt++) {
      const s1 = Atomics.load(i, I_SEQ);
      if ((s1 & 1) === 1) {
        this.retries++;
        continue;
      }
      if (s1 === out.seq) return false;
      const sampleRate = d[D_SAMPLE_RATE];
      const endFrame = d[D_END_FRAME];
      const totalWritten = d[D_TOTAL_WRITTEN];
      const clockFrame = d[D_CLOCK_FRAME];
      const dropped = d[D_DROPPED];
      const lastDrop = d[D_LAST_DROP_POSITION];
      const overrunBlocks = i[I_OVERRUN_BLOCKS];
      const blocksWritten = i[I_BLOCKS_WRITTEN];
      const nonFinite = i[I_NONFINITE_BLOCKS];
      const running = i[I_RUNNING];
      const channels = i[I_CHANNELS];
      if (Atomics.load(i, I_SEQ) !== s1) {
        this.retries++;
        continue;
      }
      out.seq = s1;
      out.sampleRate = sampleRate;
      out.endFrame = endFrame;
      out.totalWritten = totalWritten;
      out.clockFrame = clockFrame;
      out.droppedSamples = dropped;
      out.lastDropPosition = lastDrop;
      out.overruns = overrunBlocks;
      out.blocksWritten = blocksWritten;
      out.nonFiniteBlocks = nonFinite;
      out.running = running === 1;
      out.channels = channels;
      return true;
    }
    return false;
  }

  /**
   * Copy the newest state into `out`, waiting (at most `timeoutMs`, in slices of a millisecond)
   * until it covers stream `position`, i.e. `out.totalWritten > position`. The worklet pushes a
   * block before it publishes that block's clock, so a consumer can pop samples the state does
   * not describe yet; stamping them with the older state is early by any block dropped in between.
   * True when `out` covers `position`. Blocks the calling thread: workers and Node only.
   */
  readCovering(out: CaptureStateSnapshot, position: number, timeoutMs = 20): boolean {
    this.read(out); // false when nothing newer or mid-update: `out` then keeps the newest consistent state
    if (out.totalWritten > position) return true;
    // The limit is in time, not in attempts: a writer preempted mid-update makes reads fail at
    // once, and counting those as waits gave up within microseconds on a loaded machine.
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const seq = Atomics.load(this.ints, I_SEQ);
      this.read(out);
      if (out.totalWritten > position) return true;
      if (performance.now() >= deadline) return false;
      Atomics.wait(this.ints, I_SEQ, seq, 1); // until the next publish, or a millisecond
    }
  }
}

/** The fields audioTimeOfSample needs (a CaptureStateSnapshot has them). */
export interface CaptureClock {
  readonly endFrame: number;
  readonly totalWritten: number;
  readonly sampleRate: number;
}

/**
 * AudioContext time of the sample at 0-based stream `position` (the consumer's running count of
 * samples popped before it). A consumer that has popped `totalRead` samples stamps its newest one
 * with `audioTimeOfSample(totalRead - 1, state)`. Exact for positions at or after
 * `lastDropPosition`; -1 before the worklet published a clock.
 */
export function audioTimeOfSample(position: number, state: CaptureClock): Seconds {
  if (!(state.sampleRate > 0)) return -1;
  return (state.endFrame - (state.totalWritten - position)) / state.sampleRate;
}

/**
 * The worklet's per-block work, free of Web Audio so Node tests run it: downmix every input
 * channel to mono (average), replace non-finite samples by 0, push into the ring (what fits),
 * publish the clock. Allocation-free after construction.
 */
export class CaptureProcessorCore {
  private readonly ring: RingBuffer;
  private readonly writer: CaptureStateWriter;
  private readonly scratch: Float32Array;

  /** `maxBlockFrames` sizes the scratch; longer blocks are handled in scratch-sized chunks. */
  constructor(buffers: CaptureBuffers, sampleRate: number, maxBlockFrames: number = RENDER_QUANTUM_FRAMES) {
    const problem = validateCaptureBuffers(buffers);
    if (problem !== null) throw new TypeError(problem);
    if (!Number.isInteger(maxBlockFrames) || maxBlockFrames < 1) throw new RangeError(`maxBlockFrames must be a positive integer, got ${String(maxBlockFrames)}`);
    this.ring = openCaptureRing(buffers.ring);
    this.writer = new CaptureStateWriter(buffers.state, sampleRate);
    this.scratch = new Float32Array(maxBlockFrames);
  }

  /**
   * Capture one block of `frames` frames starting at audio frame `currentFrame`. `channels`
   * holds one array per input channel (empty when nothing is connected: the clock still moves).
   * Returns the samples pushed; the rest of the block, if any, was dropped and counted.
   */
  processBlock(channels: ArrayLike<Float32Array>, frames: number, currentFrame: number): number {
    const n = channels.length;
    const endFrame = currentFrame + frames;
    if (n === 0 || frames <= 0) {
      this.writer.publishBlock(endFrame, 0, 0, n, false);
      return 0;
    }
    const scratch = this.scratch;
    const gain = 1 / n;
    let written = 0;
    let nonFinite = false;
    for (let off = 0; off < frames; off += scratch.length) {
      const len = frames - off < scratch.length ? frames - off : scratch.length;
      const first = channels[0];
      for (let k = 0; k < len; k++) scratch[k] = first[off + k];
      for (let c = 1; c < n; c++) {
        const ch = channels[c];
        for (let k = 0; k < len; k++) scratch[k] += ch[off + k];
      }
      for (let k = 0; k < len; k++) {
        const s = scratch[k] * gain;
        // NaN and ±Infinity fail x - x === 0; one bad sample would poison every spectrum after it.
        if (s - s === 0) scratch[k] = s;
        else {
          scratch[k] = 0;
          nonFinite = true;
        }
      }
      const pushed = this.ring.push(scratch, len);
      written += pushed;
      // Once the ring is full the rest of the block is dropped, so written samples stay a prefix.
      if (pushed < len) break;
    }
    this.writer.publishBlock(endFrame, written, frames - written, n, nonFinite);
    return written;
  }

  /** Mark the capture stopped (consumers see `running === false`). */
  stop(): void {
    this.writer.setRunning(false);
  }
}

/**
 * Consumer side: ask to be woken (Atomics.notify on STATE_SEQ_INDEX) only once `position`
 * samples have been written, e.g. the end of the next full hop. Set it before reading the
 * sequence you wait on, so no wake-up is missed. Allocation-free.
 */
export function requestWakeAt(state: Int32Array, position: number): void {
  Atomics.store(state, I_WAKE_AT, position | 0);
  Atomics.store(state, I_WAKE_MODE, 1);
}
