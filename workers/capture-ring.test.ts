/**
 * The capture ring across real threads: a worker_threads producer (ring-producer.fixture.ts)
 * against a consumer on this thread, as the worklet and the analysis worker use it.
 */
import { describe, expect, it } from 'vitest';
import {
  audioTimeOfSample,
  CaptureStateReader,
  CaptureStateSnapshot,
  createCaptureBuffers,
  openCaptureRing,
} from './capture-shared.ts';
import type { CaptureJob, ChunksJob } from './ring-producer.fixture.ts';
import { nextMessage, seededRandom, seededSamples, spawnTsWorker } from '../engine/features/thread-test-kit.fixture.ts';

const FIXTURE = new URL('./ring-producer.fixture.ts', import.meta.url);
const SR = 48000;
const CANARY_SLACK = 1;

/** A pop target with a NaN canary before and after the region pop may write. */
class CanaryArray {
  readonly buf: Float32Array;
  constructor(readonly max: number) {
    this.buf = new Float32Array(max + 2 * CANARY_SLACK).fill(Number.NaN);
  }
  /** True when nothing outside [1, 1 + got) was written. */
  intact(got: number): boolean {
    return Number.isNaN(this.buf[0]) && Number.isNaN(this.buf[1 + got]) && Number.isNaN(this.buf[this.buf.length - 1]);
  }
  reset(got: number): void {
    this.buf.fill(Number.NaN, 1, 1 + got);
  }
}

describe('capture ring across threads', () => {
  it('delivers every sample once and in order with random chunk sizes on both sides', async () => {
    const total = 3_000_000;
    const ring = createCaptureBuffers(4096).ring;
    const job: ChunksJob = { mode: 'chunks', ring, seed: 0x6a09e667, total, maxChunk: 700 };
    const { worker, exit } = spawnTsWorker(FIXTURE, job);
    const done = nextMessage<{ type: string; sent: number; fullWaits: number }>(worker, (m) => m.type === 'done');

    const rb = openCaptureRing(ring);
    const expected = seededSamples(job.seed);
    const popSizes = seededRandom(0xbb67ae85);
    const target = new CanaryArray(1000);
    let received = 0;
    let mismatches = 0;
    let firstMismatch = -1;
    let canaryHits = 0;
    let emptyPops = 0;
    const deadline = performance.now() + 20_000;
    while (received < total && performance.now() < deadline) {
      const want = 1 + Math.floor(popSizes() * target.max);
      const got = rb.pop(target.buf, want, CANARY_SLACK);
      if (got === 0) {
        emptyPops++;
        continue;
      }
      if (got > want || !target.intact(got)) canaryHits++;
      for (let k = 0; k < got; k++) {
        if (target.buf[1 + k] !== expected()) {
          mismatches++;
          if (firstMismatch < 0) firstMismatch = received + k;
        }
      }
      received += got;
      target.reset(got);
    }
    const { sent, fullWaits } = await done;
    expect(await exit).toBe(0);
    console.log(`ring threads: ${received} samples, producer found the ring full ${fullWaits} times, consumer found it empty ${emptyPops} times`);
    expect(received).toBe(total);
    expect(sent).toBe(total);
    expect(firstMismatch).toBe(-1);
    expect(mismatches).toBe(0);
    expect(canaryHits).toBe(0);
    expect(rb.availableRead()).toBe(0);
    // Both sides waited on the other at times: the wrap-around and full/empty edges were crossed.
    expect(fullWaits + emptyPops).toBeGreaterThan(0);
  });

  it('counts exactly what a stalled consumer lost and times what it kept', async () => {
    const buffers = createCaptureBuffers(1000);
    const startFrame = 4096;
    const blocks = 50;
    const job: CaptureJob = { mode: 'capture', buffers, sampleRate: SR, blocks, startFrame, gate: new SharedArrayBuffer(4), gateAfter: -1 };
    const { worker, exit } = spawnTsWorker(FIXTURE, job);
    // The consumer does nothing until the producer is done: a stall far longer than the ring.
    const { written } = await nextMessage<{ type: string; written: number }>(worker, (m) => m.type === 'done');
    expect(await exit).toBe(0);

    const s = new CaptureStateSnapshot();
    expect(new CaptureStateReader(buffers.state).read(s)).toBe(true);
    // 1000 = 7 whole blocks + 104 of the 8th; the 8th's tail and blocks 9..50 are dropped.
    expect(written).toBe(1000);
    expect(s.totalWritten).toBe(1000);
    expect(s.droppedSamples).toBe(blocks * 128 - 1000);
    expect(s.overruns).toBe(blocks - 7);
    expect(s.blocksWritten).toBe(8);
    expect(s.endFrame).toBe(startFrame + 1000);
    expect(s.clockFrame).toBe(startFrame + blocks * 128);
    expect(s.lastDropPosition).toBe(1000);
    expect(s.channels).toBe(2);

    const got = new Float32Array(1000);
    expect(openCaptureRing(buffers.ring).pop(got, 1000)).toBe(1000);
    for (let p = 0; p < 1000; p++) {
      expect(got[p]).toBe(startFrame + p);
      expect(audioTimeOfSample(p, s)).toBe((startFrame + p) / SR);
    }
  });

  it('recovers after an overrun and keeps order and accounting while both threads run', async () => {
    const buffers = createCaptureBuffers(2048);
    const startFrame = 4096;
    const blocks = 20_000;
    const gate = new SharedArrayBuffer(4);
    const job: CaptureJob = { mode: 'capture', buffers, sampleRate: SR, blocks, startFrame, gate, gateAfter: 40 };
    const { worker, exit } = spawnTsWorker(FIXTURE, job);
    await nextMessage(worker, (m: { type: string }) => m.type === 'gated');

    const rb = openCaptureRing(buffers.ring);
    const reader = new CaptureStateReader(buffers.state);
    const s = new CaptureStateSnapshot();
    reader.read(s);
    expect(s.totalWritten).toBe(2048);
    expect(s.overruns).toBe(40 - 16);
    const first = new Float32Array(2048);
    expect(rb.pop(first, 2048)).toBe(2048);
    for (let p = 0; p < 2048; p++) expect(first[p]).toBe(startFrame + p);

    // Phase 2: producer runs flat out while this thread pops with random sizes and checks.
    const done = nextMessage<{ type: string; written: number }>(worker, (m) => m.type === 'done');
    Atomics.store(new Int32Array(gate), 0, 1);
    Atomics.notify(new Int32Array(gate), 0);
    const finalClock = startFrame + blocks * 128;
    const sizes = seededRandom(7);
    const target = new CanaryArray(1500);
    let position = 2048;
    let prev = first[2047];
    let outOfOrder = 0;
    let mistimed = 0;
    let exact = 0;
    let canaryHits = 0;
    let gaps = 0;
    let uncovered = 0;
    const deadline = performance.now() + 20_000;
    for (;;) {
      const got = rb.pop(target.buf, 1 + Math.floor(sizes() * target.max), CANARY_SLACK);
      if (got === 0) {
        while (!reader.read(s) && reader.sequence() !== s.seq);
        if ((s.clockFrame === finalClock && rb.availableRead() === 0) || performance.now() > deadline) break;
        continue;
      }
      // A state that covers the samples just popped (the worklet pushes a block before it publishes its clock).
      if (!reader.readCovering(s, position + got - 1, 5000)) uncovered++;
      if (!target.intact(got)) canaryHits++;
      for (let k = 0; k < got; k++, position++) {
        const v = target.buf[1 + k];
        if (!(v > prev)) outOfOrder++;
        if (v !== prev + 1) gaps++;
        prev = v;
        // The clock may place a sample late (samples dropped after it) but never early.
        const estimate = s.endFrame - (s.totalWritten - position);
        if (estimate < v) mistimed++;
        if (position >= s.lastDropPosition) {
          if (estimate === v && audioTimeOfSample(position, s) === v / SR) exact++;
          else mistimed++;
        }
      }
      target.reset(got);
    }
    const { written } = await done;
    expect(await exit).toBe(0);
    reader.read(s);
    console.log(
      `capture overrun run: ${position} kept, ${s.droppedSamples} dropped in ${s.overruns} blocks, ${gaps} gaps, ${exact} samples timed after the newest drop`,
    );
    expect(canaryHits).toBe(0);
    expect(uncovered).toBe(0);
    expect(outOfOrder).toBe(0);
    expect(mistimed).toBe(0);
    expect(position).toBe(written);
    expect(s.totalWritten).toBe(written);
    expect(s.totalWritten + s.droppedSamples).toBe(blocks * 128);
    expect(s.clockFrame).toBe(finalClock);
    expect(position).toBeGreaterThan(2048);
    expect(gaps).toBeGreaterThan(0);
    expect(s.overruns).toBeGreaterThan(24);
  });
});
