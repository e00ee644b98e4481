import { describe, expect, it } from 'vitest';
import {
  requestWakeAt,
  audioTimeOfSample,
  CAPTURE_STATE_BYTES,
  CaptureProcessorCore,
  CaptureStateReader,
  CaptureStateSnapshot,
  CaptureStateWriter,
  createCaptureBuffers,
  DEFAULT_CAPTURE_CAPACITY,
  openCaptureRing,
  STATE_SEQ_INDEX,
  validateCaptureBuffers,
} from './capture-shared.ts';

const SR = 48000;

function readState(state: SharedArrayBuffer): CaptureStateSnapshot {
  const out = new CaptureStateSnapshot();
  expect(new CaptureStateReader(state).read(out)).toBe(true);
  return out;
}

/** Pop everything in the ring. */
function drain(ring: SharedArrayBuffer): Float32Array {
  const rb = openCaptureRing(ring);
  const out = new Float32Array(rb.availableRead());
  expect(rb.pop(out, out.length)).toBe(out.length);
  return out;
}

function ramp(start: number, n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (start + i) * scale;
  return a;
}

describe('createCaptureBuffers / validateCaptureBuffers', () => {
  it('makes a ring that holds exactly the requested samples and a state block', () => {
    const b = createCaptureBuffers(4096);
    expect(openCaptureRing(b.ring).capacity()).toBe(4096);
    expect(b.state.byteLength).toBe(CAPTURE_STATE_BYTES);
    expect(validateCaptureBuffers(b)).toBeNull();
    // The default holds over a second at 192 kHz.
    expect(DEFAULT_CAPTURE_CAPACITY / 192000).toBeGreaterThan(1);
  });

  it('rejects bad capacities and bad options with a message naming the problem', () => {
    for (const bad of [0, 100, 1.5, Number.NaN, 1 << 30]) expect(() => createCaptureBuffers(bad)).toThrow(/capacity/);
    expect(validateCaptureBuffers(undefined)).toMatch(/processorOptions/);
    expect(validateCaptureBuffers({})).toMatch(/ring must be a SharedArrayBuffer/);
    expect(validateCaptureBuffers({ ring: new ArrayBuffer(4104), state: new SharedArrayBuffer(CAPTURE_STATE_BYTES) })).toMatch(/ring must be/);
    const good = createCaptureBuffers(256);
    expect(validateCaptureBuffers({ ring: good.ring, state: new SharedArrayBuffer(8) })).toMatch(/state buffer too small/);
    expect(validateCaptureBuffers({ ring: new SharedArrayBuffer(64), state: good.state })).toMatch(/invalid size/);
    expect(() => new CaptureProcessorCore({ ring: good.ring, state: new SharedArrayBuffer(8) }, SR)).toThrow(/too small/);
    expect(() => new CaptureProcessorCore(good, 0)).toThrow(/sample rate/);
  });
});

describe('CaptureProcessorCore downmix', () => {
  it('passes mono through unchanged', () => {
    const b = createCaptureBuffers(1024);
    const core = new CaptureProcessorCore(b, SR);
    const x = ramp(-64, 128, 1 / 128);
    expect(core.processBlock([x], 128, 0)).toBe(128);
    expect(drain(b.ring)).toEqual(x);
  });

  it('averages stereo: identical channels keep their level, opposite channels cancel', () => {
    const b = createCaptureBuffers(1024);
    const core = new CaptureProcessorCore(b, SR);
    const x = ramp(0, 128, 1 / 200);
    const neg = x.map((v) => -v);
    core.processBlock([x, x], 128, 0);
    expect(drain(b.ring)).toEqual(x);
    core.processBlock([x, neg], 128, 128);
    expect(drain(b.ring)).toEqual(new Float32Array(128));
    const l = ramp(0, 128, 0.25);
    const r = ramp(100, 128, -0.5);
    core.processBlock([l, r], 128, 256);
    const got = drain(b.ring);
    for (let i = 0; i < 128; i++) expect(got[i]).toBeCloseTo((l[i] + r[i]) / 2, 6);
  });

  it('averages 8 channels', () => {
    const b = createCaptureBuffers(1024);
    const core = new CaptureProcessorCore(b, SR);
    const base = ramp(-10, 128, 0.01);
    const chans: Float32Array[] = [];
    for (let c = 0; c < 8; c++) chans.push(base.map((v) => v * (c + 1)));
    core.processBlock(chans, 128, 0);
    const got = drain(b.ring);
    expect(got.length).toBe(128);
    // mean of 1..8 is 4.5
    for (let i = 0; i < 128; i++) expect(got[i]).toBeCloseTo(base[i] * 4.5, 5);
    expect(readState(b.state).channels).toBe(8);
  });

  it('handles blocks longer than its scratch in order', () => {
    const b = createCaptureBuffers(1024);
    const core = new CaptureProcessorCore(b, SR, 128);
    const x = ramp(0, 300);
    expect(core.processBlock([x], 300, 0)).toBe(300);
    expect(drain(b.ring)).toEqual(x);
  });

  it('replaces NaN and Infinity by 0 and counts the block', () => {
    const b = createCaptureBuffers(1024);
    const core = new CaptureProcessorCore(b, SR);
    const l = ramp(1, 128, 0.001);
    const r = ramp(1, 128, 0.001);
    l[5] = Number.NaN;
    r[9] = Number.POSITIVE_INFINITY;
    core.processBlock([l, r], 128, 0);
    const got = drain(b.ring);
    expect(got[5]).toBe(0);
    expect(got[9]).toBe(0);
    expect(got[6]).toBeCloseTo(0.007, 6);
    for (const v of got) expect(Number.isFinite(v)).toBe(true);
    expect(readState(b.state).nonFiniteBlocks).toBe(1);
  });

  it('writes nothing with no input connected but keeps the clock moving', () => {
    const b = createCaptureBuffers(1024);
    const core = new CaptureProcessorCore(b, SR);
    core.processBlock([ramp(0, 128)], 128, 1000);
    expect(core.processBlock([], 128, 1128)).toBe(0);
    expect(core.processBlock([], 128, 1256)).toBe(0);
    const s = readState(b.state);
    expect(s.totalWritten).toBe(128);
    expect(s.endFrame).toBe(1128);
    expect(s.clockFrame).toBe(1384);
    expect(s.channels).toBe(0);
    expect(s.blocksWritten).toBe(1);
    expect(openCaptureRing(b.ring).availableRead()).toBe(128);
  });
});

describe('CaptureProcessorCore overruns and clock', () => {
  it('pushes what fits, drops the rest of the block and counts it', () => {
    const b = createCaptureBuffers(256);
    const core = new CaptureProcessorCore(b, SR);
    const f0 = 4800;
    expect(core.processBlock([ramp(f0, 128)], 128, f0)).toBe(128);
    expect(core.processBlock([ramp(f0 + 128, 128)], 128, f0 + 128)).toBe(128);
    // Ring full: the third block is dropped whole.
    expect(core.processBlock([ramp(f0 + 256, 128)], 128, f0 + 256)).toBe(0);
    let s = readState(b.state);
    expect(s.overruns).toBe(1);
    expect(s.droppedSamples).toBe(128);
    expect(s.totalWritten).toBe(256);
    expect(s.endFrame).toBe(f0 + 256); // newest sample in the ring is still block 2's last
    expect(s.clockFrame).toBe(f0 + 384);

    const rb = openCaptureRing(b.ring);
    const first = new Float32Array(100);
    rb.pop(first, 100);
    expect(first).toEqual(ramp(f0, 100));
    // 100 free: block 4 goes in partly, its tail of 28 is dropped.
    expect(core.processBlock([ramp(f0 + 384, 128)], 128, f0 + 384)).toBe(100);
    s = readState(b.state);
    expect(s.overruns).toBe(2);
    expect(s.droppedSamples).toBe(156);
    expect(s.totalWritten).toBe(356);
    expect(s.blocksWritten).toBe(3);
    expect(s.endFrame).toBe(f0 + 484);
    expect(s.lastDropPosition).toBe(356);

    const rest = drain(b.ring);
    expect(rest.length).toBe(256);
    expect(rest.subarray(0, 156)).toEqual(ramp(f0 + 100, 156));
    expect(rest.subarray(156)).toEqual(ramp(f0 + 384, 100));
    // Samples written since the newest drop are timed exactly...
    expect(audioTimeOfSample(256, s) * SR).toBeCloseTo(f0 + 384, 9);
    expect(audioTimeOfSample(355, s) * SR).toBeCloseTo(f0 + 483, 9);
    // ...older ones come out late by the samples dropped after them (block 3's 128 here).
    expect(audioTimeOfSample(255, s) * SR).toBeCloseTo(f0 + 255 + 128, 9);
  });

  it('stamps samples with AudioContext time from the frame counter', () => {
    const b = createCaptureBuffers(4096);
    const core = new CaptureProcessorCore(b, SR);
    const out = new CaptureStateSnapshot();
    const reader = new CaptureStateReader(b.state);
    expect(audioTimeOfSample(0, out)).toBe(-1); // no clock yet
    // The context had already run 1 s when capture started.
    for (let blk = 0; blk < 3; blk++) core.processBlock([ramp(0, 128)], 128, SR + blk * 128);
    reader.read(out);
    expect(out.sampleRate).toBe(SR);
    expect(out.endFrame).toBe(SR + 384);
    expect(audioTimeOfSample(0, out)).toBe(1);
    expect(audioTimeOfSample(383, out)).toBe((SR + 383) / SR);
    expect(audioTimeOfSample(128, out)).toBe((SR + 128) / SR);
    // More blocks later: earlier positions keep their times.
    core.processBlock([ramp(0, 128)], 128, SR + 384);
    reader.read(out);
    expect(audioTimeOfSample(0, out)).toBe(1);
    expect(audioTimeOfSample(511, out)).toBe((SR + 511) / SR);
  });

  it('a new core on the same buffers continues the stream positions', () => {
    const b = createCaptureBuffers(1024);
    new CaptureProcessorCore(b, SR).processBlock([ramp(0, 128)], 128, 0);
    const again = new CaptureProcessorCore(b, SR);
    again.processBlock([ramp(0, 128)], 128, 128);
    const s = readState(b.state);
    expect(s.totalWritten).toBe(256);
    expect(s.running).toBe(true);
    again.stop();
    expect(readState(b.state).running).toBe(false);
  });
});

describe('CaptureStateReader', () => {
  it('returns false when nothing new was published and keeps its copy', () => {
    const b = createCaptureBuffers(1024);
    const writer = new CaptureStateWriter(b.state, SR);
    const reader = new CaptureStateReader(b.state);
    const out = new CaptureStateSnapshot();
    writer.publishBlock(128, 128, 0, 2);
    expect(reader.read(out)).toBe(true);
    expect(reader.read(out)).toBe(false);
    expect(out.totalWritten).toBe(128);
    writer.publishBlock(256, 100, 28, 2);
    expect(reader.read(out)).toBe(true);
    expect(out.totalWritten).toBe(228);
    expect(out.endFrame).toBe(228);
    expect(out.droppedSamples).toBe(28);
  });

  it('wakes a consumer waiting on the sequence slot as soon as a block is published', async () => {
    const b = createCaptureBuffers(1024);
    const core = new CaptureProcessorCore(b, SR);
    const ints = new Int32Array(b.state);
    const seq = Atomics.load(ints, STATE_SEQ_INDEX);
    const waitAsync = (Atomics as unknown as { waitAsync: (a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: Promise<string> | string } }).waitAsync;
    const w = waitAsync(ints, STATE_SEQ_INDEX, seq, 5000);
    expect(w.async).toBe(true);
    const t0 = performance.now();
    setTimeout(() => core.processBlock([ramp(0, 128)], 128, 0), 10);
    expect(await w.value).toBe('ok'); // woken, not timed out
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(Atomics.load(ints, STATE_SEQ_INDEX)).toBe(seq + 2);
  });

  it('gives up on a writer stuck mid-update without touching its copy', () => {
    const b = createCaptureBuffers(1024);
    const writer = new CaptureStateWriter(b.state, SR);
    const reader = new CaptureStateReader(b.state);
    const out = new CaptureStateSnapshot();
    writer.publishBlock(128, 128, 0, 1);
    reader.read(out);
    const ints = new Int32Array(b.state, 0, 1);
    Atomics.add(ints, 0, 1); // writer preempted after begin()
    new Float64Array(b.state, 32, 2)[1] = 999; // half-written totalWritten
    expect(reader.read(out, 4)).toBe(false);
    expect(reader.retries).toBe(4);
    expect(out.totalWritten).toBe(128);
  });
});

describe('wake position', () => {
  it('wakes a waiting consumer only once the requested position is written, also across 2^32 wrap', async () => {
    for (const base of [0, 2 ** 32 - 256]) {
      const { state } = createCaptureBuffers(1 << 12);
      const writer = new CaptureStateWriter(state, 48000);
      const ints = new Int32Array(state);
      // Move the stream to `base` without waking anyone.
      requestWakeAt(ints, base + 1e6);
      if (base > 0) writer.publishBlock(base, base, 0, 1);
      requestWakeAt(ints, base + 512);
      const seq = Atomics.load(ints, STATE_SEQ_INDEX);
      const waited = (Atomics as any).waitAsync(ints, STATE_SEQ_INDEX, seq, 2000);
      let woke = false;
      waited.value.then((r: string) => {
        woke = r === 'ok';
      });
      for (let k = 1; k <= 3; k++) writer.publishBlock(base + 128 * k, 128, 0, 1);
      await new Promise((r) => setTimeout(r, 30));
      expect(woke, `no wake before 512 samples (base ${base})`).toBe(false);
      writer.publishBlock(base + 512, 128, 0, 1);
      await waited.value;
      expect(woke, `woken at 512 samples (base ${base})`).toBe(true);
    }
  });
});
