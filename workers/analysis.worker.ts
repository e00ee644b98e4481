/**
 * Analysis worker: pops hops from the capture ring, runs the essentia.js analyser and
 * publishes every hop on the feature bus. comlink carries only set-up, configuration and
 * stats; samples and features move through SharedArrayBuffers.
 */
import * as Comlink from 'comlink';
import { RingBuffer } from 'ringbuf.js';
import { FeatureBusWriter } from '../engine/features/bus.ts';
import { Analyzer } from './analysis/analyzer.ts';
import { DEFAULT_ANALYZER_CONFIG, type AnalyzerConfig } from './analysis/contract.ts';
import { loadEssentiaWeb } from './analysis/load-essentia-web.ts';
import type { EssentiaFacade } from './analysis/essentia-facade.ts';
import { CaptureStateReader, CaptureStateSnapshot, requestWakeAt, STATE_SEQ_INDEX } from './capture-shared.ts';
import { HopPump } from './hop-pump.ts';

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
let pump: HopPump | null = null;
let stateReader: CaptureStateReader | null = null;
let stateInts: Int32Array | null = null;
let busSab: SharedArrayBuffer | null = null;
let backlogRing: RingBuffer | null = null;
const capture = new CaptureStateSnapshot();
let running = false;
let generation = 0;
let lastError: string | null = null;
let config: AnalyzerConfig = { sampleRate: 48000, ...DEFAULT_ANALYZER_CONFIG };

async function loop(myGeneration: number): Promise<void> {
  const waitAsync = (Atomics as unknown as { waitAsync?: (a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: Promise<string> | string } }).waitAsync;
  while (running && myGeneration === generation && pump && stateInts) {
    try {
      pump.drain();
    } catch (err) {
      lastError = `analysis failed on a hop: ${err instanceof Error ? err.message : String(err)}`;
      analyzer?.reset();
    }
    const ints = stateInts;
    // Ask to be woken when the next full hop is in the ring, then read the sequence to wait on.
    requestWakeAt(ints, pump.nextHopPosition());
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
    busSab = init.bus;
    backlogRing = new RingBuffer(init.ring, Float32Array);
    stateReader = new CaptureStateReader(init.state);
    stateInts = new Int32Array(init.state);
    pump = new HopPump(backlogRing, init.state, analyzer, new FeatureBusWriter(init.bus, config.sampleRate, config.hopSize, config.frameSize));
    // Audio captured before this init is stale: the first hop must be fresh.
    pump.start();
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
    if (pump && busSab) pump.replace(analyzer, new FeatureBusWriter(busSab, config.sampleRate, config.hopSize, config.frameSize));
    old.dispose();
    return api.stats();
  },

  stop(): void {
    running = false;
    generation++;
  },

  stats(): AnalysisStats {
    if (stateReader) stateReader.read(capture);
    return {
      running,
      sampleRate: config.sampleRate,
      frameSize: config.frameSize,
      hopSize: config.hopSize,
      hops: pump?.hops ?? 0,
      skippedHops: pump?.skippedHops ?? 0,
      overruns: capture.overruns,
      costMedianMs: pump?.costQuantile(0.5) ?? 0,
      costP99Ms: pump?.costQuantile(0.99) ?? 0,
      costMaxMs: pump?.costQuantile(1) ?? 0,
      backlog: backlogRing ? backlogRing.availableRead() : 0,
      essentiaLoadMs,
      lastError,
    };
  },
};

export type AnalysisApi = typeof api;

Comlink.expose(api);
