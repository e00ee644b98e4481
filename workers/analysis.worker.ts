/**
 * Analysis worker: pops hops from the capture ring, runs the essentia.js analyser and
 * publishes every hop on the feature bus. comlink carries only set-up, configuration and
 * stats; samples and features move through SharedArrayBuffers.
 */
import * as Comlink from 'comlink';
import { RingBuffer } from 'ringbuf.js';
import { FeatureBusWriter } from '../engine/features/bus.ts';
import { FEATURE_COUNT } from '../engine/features/layout.ts';
import { Analyzer } from './analysis/analyzer.ts';
import { DEFAULT_ANALYZER_CONFIG, type AnalyzerConfig } from './analysis/contract.ts';
import { loadEssentiaWeb } from './analysis/load-essentia-web.ts';
import type { EssentiaFacade } from './analysis/essentia-facade.ts';
import { CaptureStateReader, CaptureStateSnapshot, audioTimeOfSample, requestWakeAt, STATE_SEQ_INDEX } from './capture-shared.ts';

export interface AnalysisInit {
  ring: SharedArrayBuffer;
  state: SharedArrayBuffer;
  bus: SharedArrayBuffer;
  sampleRate: number;
  frameSize?: number;
  hopSize?: number;
}

export interface AnalysisStats {
  running: boolean;
  sampleRate: number;
  frameSize: number;
  hopSize: number;
  hops: number;
  /** Hops skipped to catch up after the worker fell behind. */
  skippedHops: number;
  overruns: number;
  costMedianMs: number;
  costP99Ms: number;
  costMaxMs: number;
  /** Samples waiting in the ring (backlog). */
  backlog: number;
  essentiaLoadMs: number;
  lastError: string | null;
}

const COST_WINDOW = 512;
/** Beyond this backlog the worker skips ahead: the frame loop wants fresh features, not old ones. */
const MAX_BACKLOG_SECONDS = 0.25;

let essentia: EssentiaFacade | null = null;
let essentiaLoadMs = 0;
const essentiaReady: Promise<EssentiaFacade> = (async () => {
  const t0 = performance.now();
  const e = await loadEssentiaWeb();
  essentiaLoadMs = performance.now() - t0;
  essentia = e;
  return e;
})();

let analyzer: Analyzer | null = null;
let ring: RingBuffer | null = null;
let stateReader: CaptureStateReader | null = null;
let stateInts: Int32Array | null = null;
const capture = new CaptureStateSnapshot();
let writer: FeatureBusWriter | null = null;
let busSab: SharedArrayBuffer | null = null;
let hopBuf = new Float32Array(DEFAULT_ANALYZER_CONFIG.hopSize);
const features = new Float32Array(FEATURE_COUNT);
const costs = new Float64Array(COST_WINDOW);
const costScratch = new Float64Array(COST_WINDOW);
let costIndex = 0;
let hops = 0;
let skippedHops = 0;
let totalRead = 0;
let running = false;
let generation = 0;
let lastError: string | null = null;
let config: AnalyzerConfig = { sampleRate: 48000, ...DEFAULT_ANALYZER_CONFIG };

function drainOnce(): void {
  if (!ring || !analyzer || !writer || !stateReader) return;
  const hop = config.hopSize;
  let available = ring.availableRead();
  const maxBacklog = Math.max(hop, Math.floor(MAX_BACKLOG_SECONDS * config.sampleRate));
  let skipped = false;
  while (available - hop > maxBacklog) {
    // Drop whole hops from the front so the newest audio is analysed next.
    ring.pop(hopBuf, hop);
    totalRead += hop;
    available -= hop;
    skippedHops++;
    skipped = true;
  }
  // Spliced audio would read as a jump in flux and a false onset: start the history afresh.
  if (skipped) analyzer.reset();
  while (available >= hop) {
    ring.pop(hopBuf, hop);
    totalRead += hop;
    available -= hop;
    stateReader.read(capture);
    const endTime = audioTimeOfSample(totalRead - 1, capture);
    const t0 = performance.now();
    const onset = analyzer.processHop(hopBuf, endTime, features);
    const t1 = performance.now();
    const cost = t1 - t0;
    costs[costIndex] = cost;
    costIndex = (costIndex + 1) % COST_WINDOW;
    hops++;
    writer.publish(features, endTime, onset, analyzer.lastOnsetTime, cost, performance.timeOrigin + t1, capture.overruns);
  }
}

async function loop(myGeneration: number): Promise<void> {
  const waitAsync = (Atomics as unknown as { waitAsync?: (a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: Promise<string> | string } }).waitAsync;
  while (running && myGeneration === generation) {
    try {
      drainOnce();
    } catch (err) {
      lastError = `analysis failed on a hop: ${err instanceof Error ? err.message : String(err)}`;
      analyzer?.reset();
    }
    const ints = stateInts!;
    // Ask to be woken when the next full hop is in the ring, then read the sequence to wait on.
    requestWakeAt(ints, totalRead + config.hopSize);
    const seq = Atomics.load(ints, STATE_SEQ_INDEX);
    // Sleep until the capture side publishes another block (or 50 ms, to notice silence/stop).
    if (waitAsync) {
      const r = waitAsync(ints, STATE_SEQ_INDEX, seq, 50);
      if (r.async) await r.value;
    } else {
      await new Promise((res) => setTimeout(res, 3));
    }
  }
}

function percentile(src: Float64Array, n: number, q: number): number {
  if (n === 0) return 0;
  costScratch.set(src.subarray(0, n));
  const view = costScratch.subarray(0, n);
  view.sort();
  return view[Math.min(n - 1, Math.floor(q * (n - 1)))];
}

const api = {
  /** Resolves once essentia.js is loaded: call early so the WASM compiles while the page builds. */
  async warmUp(): Promise<number> {
    await essentiaReady;
    return essentiaLoadMs;
  },

  async init(init: AnalysisInit): Promise<AnalysisStats> {
    const e = await essentiaReady;
    generation++;
    running = false;
    analyzer?.dispose();
    config = {
      sampleRate: init.sampleRate,
      frameSize: init.frameSize ?? DEFAULT_ANALYZER_CONFIG.frameSize,
      hopSize: init.hopSize ?? DEFAULT_ANALYZER_CONFIG.hopSize,
    };
    analyzer = new Analyzer(e, config);
    ring = new RingBuffer(init.ring, Float32Array);
    hopBuf = new Float32Array(config.hopSize);
    stateReader = new CaptureStateReader(init.state);
    stateInts = new Int32Array(init.state);
    // Audio captured before this init is stale: drop it so the first hop is fresh.
    let stale = ring.availableRead();
    while (stale > 0) {
      const got = ring.pop(hopBuf, Math.min(stale, hopBuf.length));
      if (got === 0) break;
      stale -= got;
    }
    // The worklet pushes before it publishes, so pair the ring's fill with an unchanged state.
    for (let attempt = 0; attempt < 100; attempt++) {
      stateReader.read(capture);
      const available = ring.availableRead();
      const seqAfter = Atomics.load(stateInts, STATE_SEQ_INDEX);
      totalRead = capture.totalWritten - available;
      if (seqAfter === capture.seq) break;
    }
    busSab = init.bus;
    writer = new FeatureBusWriter(init.bus, config.sampleRate, config.hopSize, config.frameSize);
    costs.fill(0);
    costIndex = 0;
    hops = 0;
    skippedHops = 0;
    lastError = null;
    running = true;
    void loop(generation);
    return api.stats();
  },

  /** Change frame or hop size; the analyser restarts with empty history. */
  async configure(next: { frameSize?: number; hopSize?: number }): Promise<AnalysisStats> {
    if (!analyzer || !essentia) throw new Error('analysis not initialised');
    const frameSize = next.frameSize ?? config.frameSize;
    const hopSize = next.hopSize ?? config.hopSize;
    const nextConfig = { ...config, frameSize, hopSize };
    // Build the new analyser first (it validates the sizes): a refusal leaves the running one untouched.
    const nextAnalyzer = new Analyzer(essentia, nextConfig);
    const old = analyzer;
    config = nextConfig;
    analyzer = nextAnalyzer;
    hopBuf = new Float32Array(hopSize);
    if (busSab) writer = new FeatureBusWriter(busSab, config.sampleRate, config.hopSize, config.frameSize);
    old.dispose();
    return api.stats();
  },

  stop(): void {
    running = false;
    generation++;
  },

  stats(): AnalysisStats {
    const n = Math.min(hops, COST_WINDOW);
    if (stateReader) stateReader.read(capture);
    return {
      running,
      sampleRate: config.sampleRate,
      frameSize: config.frameSize,
      hopSize: config.hopSize,
      hops,
      skippedHops,
      overruns: capture.overruns,
      costMedianMs: percentile(costs, n, 0.5),
      costP99Ms: percentile(costs, n, 0.99),
      costMaxMs: percentile(costs, n, 1),
      backlog: ring ? ring.availableRead() : 0,
      essentiaLoadMs,
      lastError,
    };
  },
};

export type AnalysisApi = typeof api;

Comlink.expose(api);
