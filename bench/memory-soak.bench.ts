/**
 * Memory soak: an hour of audio through the live analysis path in Node, as fast as it runs.
 * The demo track (looped) goes in 128-frame stereo blocks through the capture worklet's core
 * (downmix → sample ring → clock), is popped hop by hop as the analysis worker does, analysed,
 * and published on the feature bus, which a 60 fps reader polls. WASM heap (size and the
 * malloc top probe) and JS heap (after forced GC) are printed at the start, every
 * SOAK_REPORT_MINUTES of audio and at the end, with the growth and whether it stays within 1 MB.
 * Run: npx tsx bench/memory-soak.bench.ts   (env: SOAK_MINUTES=60, SOAK_REPORT_MINUTES=10)
 * Prints figures only; never passes or fails on time or memory.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FeatureBusReader, FeatureBusWriter, FeatureSnapshot, createFeatureBusBuffer } from '../engine/features/bus.ts';
import { renderDemoTrack } from '../scripts/demo-track.ts';
import { Analyzer } from '../workers/analysis/analyzer.ts';
import { DEFAULT_ANALYZER_CONFIG, type AnalyzerConfig } from '../workers/analysis/contract.ts';
import { loadEssentiaNode } from '../workers/analysis/load-essentia-node.ts';
import {
  CaptureProcessorCore, RENDER_QUANTUM_FRAMES, createCaptureBuffers, openCaptureRing,
} from '../workers/capture-shared.ts';
import { HopPump } from '../workers/hop-pump.ts';
import { formatTable, summarize } from './stats.ts';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number of minutes, got "${raw}"`);
  return v;
}

let MINUTES = 60;
let REPORT_MINUTES = 10;
try {
  MINUTES = envNumber('SOAK_MINUTES', MINUTES);
  REPORT_MINUTES = envNumber('SOAK_REPORT_MINUTES', REPORT_MINUTES);
} catch (e) {
  console.error(`memory soak: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
const SAMPLE_RATE = 48000;
const FRAME_RATE = 60;
const MB = 1 << 20;
const LIMIT_BYTES = MB;

let gcFn: (() => void) | null = null;
/** Full GC without --expose-gc on the command line (the flag is set at run time, gc taken from a fresh context). */
function forceGc(): void {
  if (gcFn === null) {
    setFlagsFromString('--expose_gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
  gcFn();
}

interface Checkpoint {
  label: string;
  audioMinutes: number;
  wallSeconds: number;
  hops: number;
  hopMedianMs: number;
  hopP99Ms: number;
  wasmHeap: number;
  heapTop: number;
  jsHeap: number;
  rss: number;
}

function main(): void {
  const track = renderDemoTrack(SAMPLE_RATE);
  const trackL = track.channels[0];
  const trackR = track.channels[1];
  const trackLength = trackL.length;

  const config: AnalyzerConfig = { sampleRate: SAMPLE_RATE, ...DEFAULT_ANALYZER_CONFIG };
  const hop = config.hopSize;
  const essentia = loadEssentiaNode();
  const analyzer = new Analyzer(essentia, config);

  // The live wiring: worklet core → ring/state → consumer → feature bus → frame-loop reader.
  const buffers = createCaptureBuffers();
  const core = new CaptureProcessorCore(buffers, SAMPLE_RATE);
  const ring = openCaptureRing(buffers.ring);
  const busBuffer = createFeatureBusBuffer();
  const pump = new HopPump(ring, buffers.state, analyzer, new FeatureBusWriter(busBuffer, SAMPLE_RATE, hop, config.frameSize));
  pump.start();
  const reader = new FeatureBusReader(busBuffer);
  const snapshot = new FeatureSnapshot();

  const blockL = new Float32Array(RENDER_QUANTUM_FRAMES);
  const blockR = new Float32Array(RENDER_QUANTUM_FRAMES);
  const block = [blockL, blockR];
  const totalSamples = Math.round(MINUTES * 60 * SAMPLE_RATE);
  const reportSamples = Math.round(REPORT_MINUTES * 60 * SAMPLE_RATE);
  const samplesPerFrame = SAMPLE_RATE / FRAME_RATE;
  const costs = new Float64Array(Math.ceil(reportSamples / hop) + 2);

  let trackPos = 0;
  let fed = 0;
  let costCount = 0;
  let onsets = 0;
  let nonFiniteHops = 0;
  let framesRead = 0;
  let nextFrameAt = samplesPerFrame;
  let nextReport = reportSamples;
  const t0 = performance.now();
  const checkpoints: Checkpoint[] = [];

  const checkpoint = (label: string): void => {
    const s = summarize(costs.subarray(0, costCount));
    costCount = 0;
    forceGc();
    checkpoints.push({
      label,
      audioMinutes: fed / SAMPLE_RATE / 60,
      wallSeconds: (performance.now() - t0) / 1000,
      hops: pump.hops,
      hopMedianMs: s.median,
      hopP99Ms: s.p99,
      wasmHeap: essentia.heapBytes(),
      heapTop: essentia.heapTopProbe(),
      jsHeap: process.memoryUsage().heapUsed,
      rss: process.memoryUsage().rss,
    });
  };

  checkpoint('start');
  while (fed < totalSamples) {
    // One render quantum of the looped track, as the worklet receives it.
    for (let k = 0; k < RENDER_QUANTUM_FRAMES; k++) {
      blockL[k] = trackL[trackPos];
      blockR[k] = trackR[trackPos];
      trackPos++;
      if (trackPos === trackLength) trackPos = 0;
    }
    core.processBlock(block, RENDER_QUANTUM_FRAMES, fed);
    fed += RENDER_QUANTUM_FRAMES;

    // The analysis worker's drain loop (the same HopPump the worker runs).
    if (pump.drain() > 0) {
      if (costCount < costs.length) costs[costCount++] = pump.lastCostMs;
      if (pump.lastOnset) onsets++;
      if (pump.features[0] !== pump.features[0]) nonFiniteHops++;
    }

    // The frame loop's read of the newest features, at 60 fps of audio time.
    if (fed >= nextFrameAt) {
      nextFrameAt += samplesPerFrame;
      if (reader.read(snapshot)) framesRead++;
    }

    if (fed >= nextReport && fed < totalSamples) {
      const at = nextReport / SAMPLE_RATE / 60;
      nextReport += reportSamples;
      checkpoint(`${Number.isInteger(at) ? at : at.toFixed(1)} min`);
    }
  }
  checkpoint('end');
  const capture = pump.capture;

  const kb = (b: number) => (b / 1024).toFixed(0);
  const mb = (b: number) => (b / MB).toFixed(2);
  const first = checkpoints[0];
  console.log(
    `memory soak: ${MINUTES} min of the demo track (${(trackLength / SAMPLE_RATE).toFixed(1)} s, looped), ${SAMPLE_RATE} Hz, frame ${config.frameSize}, hop ${hop}; ` +
      `capture core → ring → Analyzer → feature bus → 60 fps reader; node ${process.version}`,
  );
  console.log(
    formatTable(
      ['at', 'audio min', 'wall s', 'x realtime', 'hops', 'hop med ms', 'hop p99 ms', 'wasm heap MB', 'heap top +KB', 'js heap MB', 'rss MB'],
      checkpoints.map((c) => [
        c.label,
        c.audioMinutes.toFixed(1),
        c.wallSeconds.toFixed(1),
        c.wallSeconds > 0 ? (c.audioMinutes * 60 / c.wallSeconds).toFixed(1) : '-',
        String(c.hops),
        c.hops > 0 && Number.isFinite(c.hopMedianMs) ? c.hopMedianMs.toFixed(3) : '-',
        c.hops > 0 && Number.isFinite(c.hopP99Ms) ? c.hopP99Ms.toFixed(3) : '-',
        mb(c.wasmHeap),
        c.heapTop >= 0 ? kb(c.heapTop - first.heapTop) : 'n/a',
        mb(c.jsHeap),
        mb(c.rss),
      ]),
    ),
  );
  console.log('hop med/p99 cover the hops since the previous row; heap top = address of a fresh 1 MiB malloc (rises by whatever stayed allocated).');
  const growthLine = (from: Checkpoint, to: Checkpoint): string => {
    const wasm = to.wasmHeap - from.wasmHeap;
    const top = from.heapTop >= 0 && to.heapTop >= 0 ? to.heapTop - from.heapTop : 0;
    const js = to.jsHeap - from.jsHeap;
    const ok = wasm <= LIMIT_BYTES && top <= LIMIT_BYTES && js <= LIMIT_BYTES;
    return `growth ${from.label} → ${to.label}: wasm heap ${wasm >= 0 ? '+' : ''}${kb(wasm)} KB, heap top ${top >= 0 ? '+' : ''}${kb(top)} KB, js heap ${js >= 0 ? '+' : ''}${kb(js)} KB: ${ok ? 'within' : 'NOT within'} 1 MB`;
  };
  const last = checkpoints[checkpoints.length - 1];
  console.log(growthLine(first, last));
  if (checkpoints.length > 2) console.log(growthLine(checkpoints[1], last) + ' (after the first interval, JIT and caches warm)');
  console.log(
    `hops ${pump.hops}, onsets ${onsets}, non-finite hops ${nonFiniteHops}, slow-feature errors ${analyzer.slowFeatureErrors}, ring overruns ${capture.overruns}, dropped samples ${capture.droppedSamples}, frames read ${framesRead}`,
  );
  analyzer.dispose();
  essentia.dispose();
}

main();
