import { describe, expect, it } from 'vitest';
import { FeatureBusReader, FeatureBusWriter, FeatureSnapshot, createFeatureBusBuffer } from '../engine/features/bus.ts';
import { Analyzer } from './analysis/analyzer.ts';
import { loadEssentiaNode } from './analysis/load-essentia-node.ts';
import { clickTrain } from './analysis/signals.ts';
import { CaptureProcessorCore, RENDER_QUANTUM_FRAMES, createCaptureBuffers, openCaptureRing } from './capture-shared.ts';
import { HopPump } from './hop-pump.ts';

const SR = 48000;
const essentia = loadEssentiaNode();

function rig() {
  const buffers = createCaptureBuffers(1 << 16);
  const core = new CaptureProcessorCore(buffers, SR);
  const analyzer = new Analyzer(essentia, { sampleRate: SR, frameSize: 2048, hopSize: 512 });
  const bus = createFeatureBusBuffer();
  const pump = new HopPump(openCaptureRing(buffers.ring), buffers.state, analyzer, new FeatureBusWriter(bus, SR, 512, 2048));
  return { core, pump, reader: new FeatureBusReader(bus) };
}

/** Feed `signal` as render quanta starting at context frame `frame0`; drain after each if asked. */
function feed(core: CaptureProcessorCore, signal: Float32Array, frame0: number, after?: () => void): void {
  const block = new Float32Array(RENDER_QUANTUM_FRAMES);
  for (let i = 0; i + RENDER_QUANTUM_FRAMES <= signal.length; i += RENDER_QUANTUM_FRAMES) {
    block.set(signal.subarray(i, i + RENDER_QUANTUM_FRAMES));
    core.processBlock([block], RENDER_QUANTUM_FRAMES, frame0 + i);
    after?.();
  }
}

describe('HopPump (the analysis worker’s drain path)', () => {
  it('publishes every hop stamped with the context time of its newest sample, and onsets at the clicks', () => {
    const { core, pump, reader } = rig();
    pump.start();
    // The context has been running 10 s when this source starts.
    const frame0 = 10 * SR;
    const clicks = [0.5, 1.1, 1.9];
    const onsets: number[] = [];
    const snap = new FeatureSnapshot();
    let lastCount = 0;
    const times: number[] = [];
    feed(core, clickTrain(clicks, 2.5, SR), frame0, () => {
      if (pump.drain() > 0 && reader.read(snap)) {
        times.push(snap.audioTime);
        if (snap.onsetCount !== lastCount) {
          lastCount = snap.onsetCount;
          onsets.push(snap.lastOnsetTime);
        }
      }
    });
    expect(pump.hops).toBe(Math.floor((2.5 * SR) / 512));
    expect(times[0]).toBeCloseTo((frame0 + 511) / SR, 9);
    expect(times[1] - times[0]).toBeCloseTo(512 / SR, 9);
    expect(onsets.map((t) => t - 10)).toHaveLength(clicks.length);
    onsets.forEach((t, i) => expect(Math.abs(t - 10 - clicks[i])).toBeLessThan(0.03));
  });

  it('drops stale audio on start, and skips ahead (history reset) when it falls behind', () => {
    const { core, pump, reader } = rig();
    feed(core, new Float32Array(SR), 0); // captured before the analysis started
    pump.start();
    expect(pump.drain()).toBe(0);
    // One second arrives while the consumer is stalled (the ring holds it): more than the 0.25 s it catches up on.
    feed(core, clickTrain([0.2], 1, SR), SR);
    const done = pump.drain();
    expect(pump.skippedHops).toBeGreaterThan(0);
    expect(done * 512).toBeLessThanOrEqual(0.25 * SR + 512);
    const snap = new FeatureSnapshot();
    expect(reader.read(snap)).toBe(true);
    // The newest published hop is the newest audio, not the backlog's head.
    const whole = Math.floor(SR / 512) * 512;
    expect(snap.audioTime).toBeCloseTo((SR + whole - 1) / SR, 9);
    // No false onset from the splice.
    expect(snap.onsetCount).toBe(0);
  });
});
