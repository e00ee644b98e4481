/**
 * The consumer side of the live analysis path, free of worker plumbing: pops whole hops from
 * the capture ring, stamps each with the audio-clock time of its newest sample, analyses it
 * and publishes it on the feature bus. The analysis worker drives it on wake-ups; tests and
 * the memory soak drive it directly, so all three run the same code. `drain` allocates nothing.
 */
import type { RingBuffer } from 'ringbuf.js';
import type { FeatureBusWriter } from '../engine/features/bus.ts';
import { FEATURE_COUNT } from '../engine/features/layout.ts';
import { RecentValues } from '../engine/recent-values.ts';
import type { HopAnalyzer } from './analysis/contract.ts';
import { CaptureStateReader, CaptureStateSnapshot, STATE_SEQ_INDEX, audioTimeOfSample } from './capture-shared.ts';

/** Hop costs kept for the median and p99 the engine status shows. */
export const COST_WINDOW = 512;
/** Beyond this backlog the pump skips ahead: the frame loop wants fresh features, not old ones. */
export const MAX_BACKLOG_SECONDS = 0.25;

export class HopPump {
  readonly features = new Float32Array(FEATURE_COUNT);
  readonly capture = new CaptureStateSnapshot();
  /** Stream position of the next sample to pop (samples popped since the stream began). */
  totalRead = 0;
  hops = 0;
  /** Hops dropped to catch up after falling behind. */
  skippedHops = 0;
  /** Cost of the newest hop (ms) and whether it held an onset. */
  lastCostMs = 0;
  lastOnset = false;
  private readonly costs = new RecentValues(COST_WINDOW);
  private readonly stateReader: CaptureStateReader;
  private readonly stateInts: Int32Array;
  private hopBuf: Float32Array;

  constructor(
    private readonly ring: RingBuffer,
    state: SharedArrayBuffer,
    private analyzer: HopAnalyzer,
    private writer: FeatureBusWriter,
  ) {
    this.stateReader = new CaptureStateReader(state);
    this.stateInts = new Int32Array(state);
    this.hopBuf = new Float32Array(analyzer.config.hopSize);
  }

  /** Swap in a reconfigured analyser and its bus writer (sizes may change). Set-up time only. */
  replace(analyzer: HopAnalyzer, writer: FeatureBusWriter): void {
    this.analyzer = analyzer;
    this.writer = writer;
    if (this.hopBuf.length !== analyzer.config.hopSize) this.hopBuf = new Float32Array(analyzer.config.hopSize);
  }

  /**
   * Drop what the ring holds (audio from before this start) and align the stream position with
   * the capture clock. The worklet pushes before it publishes, so the ring's fill is paired with
   * an unchanged state sequence.
   */
  start(): void {
    let stale = this.ring.availableRead();
    while (stale > 0) {
      const got = this.ring.pop(this.hopBuf, Math.min(stale, this.hopBuf.length));
      if (got === 0) break;
      stale -= got;
    }
    for (let attempt = 0; attempt < 100; attempt++) {
      this.stateReader.read(this.capture);
      const available = this.ring.availableRead();
      const seqAfter = Atomics.load(this.stateInts, STATE_SEQ_INDEX);
      this.totalRead = this.capture.totalWritten - available;
      if (seqAfter === this.capture.seq) break;
    }
    this.hops = 0;
    this.skippedHops = 0;
    this.costs.clear();
  }

  /** Analyse and publish every whole hop waiting in the ring. Returns the hops analysed. */
  drain(): number {
    const ring = this.ring;
    const analyzer = this.analyzer;
    const hop = analyzer.config.hopSize;
    const hopBuf = this.hopBuf;
    let available = ring.availableRead();
    const maxBacklog = Math.max(hop, Math.floor(MAX_BACKLOG_SECONDS * analyzer.config.sampleRate));
    let skipped = false;
    while (available - hop > maxBacklog) {
      // Drop whole hops from the front so the newest audio is analysed next.
      ring.pop(hopBuf, hop);
      this.totalRead += hop;
      available -= hop;
      this.skippedHops++;
      skipped = true;
    }
    // Spliced audio would read as a jump in flux and a false onset: start the history afresh.
    if (skipped) analyzer.reset();
    let done = 0;
    while (available >= hop) {
      ring.pop(hopBuf, hop);
      this.totalRead += hop;
      available -= hop;
      this.stateReader.readCovering(this.capture, this.totalRead - 1);
      const endTime = audioTimeOfSample(this.totalRead - 1, this.capture);
      const t0 = performance.now();
      const onset = analyzer.processHop(hopBuf, endTime, this.features);
      const t1 = performance.now();
      const cost = t1 - t0;
      this.costs.push(cost);
      this.lastCostMs = cost;
      this.lastOnset = onset;
      this.hops++;
      done++;
      this.writer.publish(this.features, endTime, onset, analyzer.lastOnsetTime, cost, performance.timeOrigin + t1, this.capture.overruns);
    }
    return done;
  }

  /** Stream position at which the next whole hop is in the ring (to ask the worklet for a wake-up). */
  nextHopPosition(): number {
    return this.totalRead + this.analyzer.config.hopSize;
  }

  /** Quantile `q` (0..1) of the recent hop costs, in ms (sorts a copy: for status, not per hop). */
  costQuantile(q: number): number {
    return this.costs.quantile(q);
  }

}
