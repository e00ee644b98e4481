import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT } from '../../features/layout.ts';
import { ParamBank } from '../../params/bank.ts';
import { defineParams } from '../../params/define.ts';
import { ModulationMatrix, externalSourceIds } from '../../modulation/index.ts';
import { EngineTick } from '../../tick.ts';
import { MidiRouter } from './router.ts';

function setup() {
  const bank = new ParamBank();
  const ids = bank.register(defineParams('/scene/m', { speed: { type: 'number', min: 0, max: 10, default: 5 } }));
  const matrix = new ModulationMatrix(bank);
  const router = new MidiRouter(bank, null);
  router.setModulation(matrix);
  const slot = (name: string) => matrix.external[matrix.externalSlot(name)];
  return { bank, ids, matrix, router, slot };
}

describe('MIDI controls as modulation sources', () => {
  it('CC, 14-bit CC, notes, pitch bend and pressure write 0..1 slots named with 1-based channels', () => {
    const { router, slot, matrix } = setup();
    router.feed('in', new Uint8Array([0xb0, 74, 127, 0xb3, 10, 0]), 0);
    router.feed('in', new Uint8Array([0xb0, 1, 64, 0xb0, 33, 0]), 0); // 14-bit pair CC 1/33: 8192
    router.feed('in', new Uint8Array([0x99, 36, 127, 0x99, 38, 64, 0x89, 38, 0]), 0); // pads on channel 10
    router.feed('in', new Uint8Array([0xe1, 0x7f, 0x7f, 0xd2, 127]), 0);
    expect(slot('midi:1:cc:74')).toBe(0); // nothing before the frame drains the queue
    router.drain();
    expect(slot('midi:1:cc:74')).toBe(1);
    expect(slot('midi:4:cc:10')).toBe(0);
    expect(slot('midi:1:cc:1')).toBeCloseTo(8192 / 16383, 6); // the pair's full resolution
    expect(slot('midi:10:note:36')).toBe(1);
    expect(slot('midi:10:note:38')).toBe(0); // released: the gate falls
    expect(slot('midi:2:bend')).toBe(1);
    expect(slot('midi:3:pressure')).toBe(1);
    const ids = externalSourceIds(matrix);
    expect(ids.slice(0, 4)).toEqual(['ext:midi:1:cc:74', 'ext:midi:4:cc:10', 'ext:midi:1:cc:1', 'ext:midi:1:cc:33']);
    expect(ids).toContain('ext:midi:10:note:38');
    expect(router.modulation.seen).toHaveLength(ids.length);
  });

  it('a route works whether it is made before or after the control first moves', () => {
    const { bank, ids, matrix, router } = setup();
    const inputs = { onset: 0, bandOnsets: new Float32Array(3), beat: 0, beatPhase: 0, barPhase: 0, beatCount: 0, beatsPerBar: 4 };
    const features = new Float32Array(FEATURE_COUNT);
    // Route first, control later.
    expect(matrix.add({ source: 'ext:midi:1:cc:74', target: '/scene/m/speed', amount: 0.5 }).ok).toBe(true);
    router.feed('in', new Uint8Array([0xb0, 74, 127]), 0);
    router.drain();
    matrix.evaluate(1 / 60, features, features, inputs);
    expect(bank.getOutput(ids.speed)).toBeCloseTo(10, 6); // 0.5 + 0.5 of the range
    // Control first (CC 20 on channel 2), route later.
    router.feed('in', new Uint8Array([0xb1, 20, 0]), 0);
    router.drain();
    matrix.setRoutes([{ source: 'ext:midi:2:cc:20', target: '/scene/m/speed', amount: -0.5 }]);
    router.feed('in', new Uint8Array([0xb1, 20, 127]), 0);
    router.drain();
    matrix.evaluate(1 / 60, features, features, inputs);
    expect(bank.getOutput(ids.speed)).toBeCloseTo(0, 6);
    expect(bank.get(ids.speed)).toBe(5); // the performer's value is untouched
  });

  it('mapped controls still drive their parameter, and a learn still completes, while the slot follows', () => {
    const { bank, ids, router, slot } = setup();
    router.learn.arm('/scene/m/speed');
    router.feed('in', new Uint8Array([0xb0, 21, 10, 21, 30]), 0); // learn wants a move, not one value
    router.drain();
    expect(router.mapper.count).toBe(1);
    expect(slot('midi:1:cc:21')).toBeCloseTo(30 / 127, 6);
    router.feed('in', new Uint8Array([0xb0, 21, 127]), 0);
    router.drain();
    expect(bank.get(ids.speed)).toBe(10);
    expect(slot('midi:1:cc:21')).toBe(1);
  });

  it('in the engine tick: a route from ext:midi:1:cc:74 moves the parameter output frame by frame', () => {
    const bank = new ParamBank();
    const ids = bank.register(defineParams('/scene/m', { speed: { type: 'number', min: 0, max: 10, default: 0 } }));
    const tick = new EngineTick(null, bank);
    const router = new MidiRouter(bank, tick.clock);
    router.setModulation(tick.modulation);
    expect(tick.modulation!.add({ source: 'ext:midi:1:cc:74', target: '/scene/m/speed', amount: 1 }).ok).toBe(true);
    tick.tick(0, 0, 10, 10);
    expect(bank.getOutput(ids.speed)).toBe(0);
    router.feed('in', new Uint8Array([0xb0, 74, 127]), 0);
    router.drain();
    tick.tick(1 / 60, 1 / 60, 10, 10);
    expect(bank.getOutput(ids.speed)).toBeCloseTo(10, 6);
    router.feed('in', new Uint8Array([0xb0, 74, 0]), 0);
    router.drain();
    tick.tick(2 / 60, 2 / 60, 10, 10);
    expect(bank.getOutput(ids.speed)).toBe(0);
  });

  it('a new matrix keeps the controls already seen listed, and slots follow the new one', () => {
    const { bank, router } = setup();
    router.feed('in', new Uint8Array([0xb0, 7, 100]), 0);
    router.drain();
    const next = new ModulationMatrix(bank);
    router.setModulation(next);
    expect(next.externalNames()).toEqual(['midi:1:cc:7']);
    router.feed('in', new Uint8Array([0xb0, 7, 127]), 0);
    router.drain();
    expect(next.external[next.externalSlot('midi:1:cc:7')]).toBe(1);
    expect(router.modulation.seen).toEqual(['midi:1:cc:7']);
  });
});
