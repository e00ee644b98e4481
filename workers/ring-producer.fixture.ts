/**
 * Worker-thread producer for capture-ring.test.ts (run via spawnTsWorker, see
 * engine/features/thread-test-kit.fixture.ts). Two modes:
 * - 'chunks': push a seeded random sequence into the ring in random-sized chunks, waiting for
 *   room (never drops), so the consumer can check every sample arrives once and in order.
 * - 'capture': run the real CaptureProcessorCore on stereo blocks whose mono mix equals the
 *   block's audio frame index, as fast as it can (the ring overruns when the consumer lags).
 */
import { parentPort } from 'node:worker_threads';
import { CaptureProcessorCore, openCaptureRing, type CaptureBuffers } from './capture-shared.ts';
import { fixtureData, seededRandom, seededSamples } from '../engine/features/thread-test-kit.fixture.ts';

export interface ChunksJob {
  mode: 'chunks';
  ring: SharedArrayBuffer;
  seed: number;
  total: number;
  maxChunk: number;
}

export interface CaptureJob {
  mode: 'capture';
  buffers: CaptureBuffers;
  sampleRate: number;
  blocks: number;
  startFrame: number;
  /** Int32 slot 0: the producer waits for it to become 1 before each block after `gateAfter`. */
  gate: SharedArrayBuffer;
  gateAfter: number;
}

export type ProducerJob = ChunksJob | CaptureJob;

function runChunks(job: ChunksJob): void {
  const rb = openCaptureRing(job.ring);
  const next = seededSamples(job.seed);
  const sizes = seededRandom(job.seed ^ 0x5bd1e995); // chunk sizes: an independent stream
  const chunk = new Float32Array(job.maxChunk);
  let sent = 0;
  let fullWaits = 0;
  while (sent < job.total) {
    let len = 1 + Math.floor(sizes() * job.maxChunk);
    if (len > job.total - sent) len = job.total - sent;
    for (let k = 0; k < len; k++) chunk[k] = next();
    let done = 0;
    while (done < len) {
      const n = rb.push(chunk, len - done, done);
      if (n === 0) fullWaits++;
      done += n;
    }
    sent += len;
  }
  parentPort!.postMessage({ type: 'done', sent, fullWaits });
}

function runCapture(job: CaptureJob): void {
  const core = new CaptureProcessorCore(job.buffers, job.sampleRate);
  const gate = new Int32Array(job.gate);
  const left = new Float32Array(128);
  const right = new Float32Array(128);
  const stereo = [left, right];
  let written = 0;
  for (let b = 0; b < job.blocks; b++) {
    if (b === job.gateAfter) {
      parentPort!.postMessage({ type: 'gated', blocks: b, written });
      Atomics.wait(gate, 0, 0);
    }
    const frame = job.startFrame + b * 128;
    // Mono mix (L + R) / 2 is exactly the frame index: the consumer can tell which samples came.
    for (let k = 0; k < 128; k++) {
      left[k] = frame + k + 1;
      right[k] = frame + k - 1;
    }
    written += core.processBlock(stereo, 128, frame);
  }
  parentPort!.postMessage({ type: 'done', blocks: job.blocks, written });
}

const job = fixtureData<ProducerJob>();
if (job.mode === 'chunks') runChunks(job);
else runCapture(job);
