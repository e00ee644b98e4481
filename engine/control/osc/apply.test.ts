import { describe, expect, it } from 'vitest';
import { BeatClock } from '../../clock/index.ts';
import { bytesPerCall } from '../../params/test-alloc.ts';
import { Coalescer, EVENTS_PER_FLUSH } from './coalesce.ts';
import { OscApplier } from './apply.ts';
import { FRAME_CONTROL, RECORD_BYTES, RECORDS_HEADER } from './wire.ts';
import { makeFixture } from './test-fixture.ts';

function setup() {
  const f = makeFixture();
  const co = new Coalescer(f.space.entries.length);
  const buf = new ArrayBuffer(RECORDS_HEADER + co.capacity * RECORD_BYTES);
  const view = new DataView(buf);
  const applier = new OscApplier();
  applier.bind(f.space, f.bank);
  const clock = new BeatClock();
  const v = new Float64Array(3);
  const push = (address: string, values: number[], event = false) => {
    v.set(values);
    co.push(f.space.resolve(address), values.length, v, event);
  };
  /** Drain into a frame as the bridge does and hand it to the page's applier. */
  const deliver = () => {
    const n = co.drain(view, FRAME_CONTROL);
    applier.enqueue(new DataView(buf, 0, RECORDS_HEADER + n * RECORD_BYTES));
    return n;
  };
  return { ...f, co, applier, clock, push, deliver };
}

describe('OSC records applied on the frame tick', () => {
  it('native values, normalised values through the curve, colours, enums and triggers reach the bank', () => {
    const { bank, applier, clock, push, deliver } = setup();
    push('/scene/test-all/speed', [3]);
    push('/scene/test-all/cutoff/norm', [1]);
    push('/scene/test-all/tint', [0, 0.5, 1]);
    push('/scene/test-all/mode', [2]);
    push('/scene/test-all/flash', [1], true);
    expect(deliver()).toBe(5);
    expect(bank.getByPath('/scene/test-all/speed')).toBe(1); // not applied before the frame
    applier.applyQueued(bank, clock, 1, 1000);
    expect(bank.getByPath('/scene/test-all/speed')).toBe(3);
    expect(bank.getByPath('/scene/test-all/cutoff')).toBe(20000);
    expect(bank.getByPath('/scene/test-all/tint')).toEqual([0, 0.5, 1]);
    expect(bank.getByPath('/scene/test-all/mode')).toBe('grid');
    expect(bank.fireCount(bank.idOf('/scene/test-all/flash'))).toBe(1);
    expect(applier.applied).toBe(5);
  });

  it('out-of-range values are clamped by the bank, never thrown', () => {
    const { bank, applier, clock, push, deliver } = setup();
    push('/scene/test-all/speed', [99]);
    push('/scene/test-all/cutoff/norm', [-3]);
    deliver();
    applier.applyQueued(bank, clock, 1, 0);
    expect(bank.getByPath('/scene/test-all/speed')).toBe(4);
    expect(bank.getByPath('/scene/test-all/cutoff')).toBe(20);
  });

  it('tempo, phase and taps drive the beat clock; scene and keyframe blend are handed on', () => {
    const { sceneIds, bank, applier, clock, push, deliver } = setup();
    clock.update(0);
    push('/engine/bpm', [140]);
    deliver();
    applier.applyQueued(bank, clock, 0.5, 0);
    clock.update(0.5);
    expect(clock.bpm).toBeCloseTo(140, 5);

    const taps = setup();
    taps.clock.update(0);
    for (let i = 0; i < 5; i++) {
      taps.push('/engine/tap', [1], true);
      taps.deliver();
      taps.applier.applyQueued(taps.bank, taps.clock, 1 + i * 0.5, 0);
      taps.clock.update(1 + i * 0.5);
    }
    expect(taps.clock.bpm).toBeCloseTo(120, 0);

    let chosen = -1;
    applier.onScene = (i) => (chosen = i);
    push('/engine/scene', [sceneIds.length - 1]);
    push('/engine/keyframe/blend', [0.75]);
    deliver();
    applier.applyQueued(bank, clock, 1, 0);
    expect(chosen).toBe(sceneIds.length - 1);
    expect(applier.keyframeBlend).toBe(0.75);
    // the reserved address moves the keyframe crossfader
    expect(bank.getByPath('/keyframes/fader')).toBeCloseTo(0.75, 6);
  });

  it('a flood coalesces to the newest value per address and caps repeated events', () => {
    const { bank, co, applier, clock, push, deliver } = setup();
    for (let i = 0; i <= 10_000; i++) push('/scene/test-all/speed', [(i % 400) / 100]);
    for (let i = 0; i < 1000; i++) push('/scene/test-all/flash', [1], true);
    expect(deliver()).toBe(1 + EVENTS_PER_FLUSH);
    expect(co.coalesced).toBe(10_000);
    expect(co.dropped).toBe(1000 - EVENTS_PER_FLUSH);
    applier.applyQueued(bank, clock, 1, 0);
    expect(bank.getByPath('/scene/test-all/speed')).toBe(0);
  });

  it('malformed frames are counted, not applied', () => {
    const { bank, applier, clock } = setup();
    const bad = new DataView(new ArrayBuffer(RECORDS_HEADER + 5));
    bad.setUint8(0, FRAME_CONTROL);
    bad.setUint32(4, 3, true);
    expect(applier.enqueue(bad)).toBe(0);
    expect(applier.badFrames).toBe(1);
    applier.applyQueued(bank, clock, 1, 0);
    expect(applier.applied).toBe(0);
  });

  it('enqueueing and applying allocate nothing', () => {
    const { bank, space, applier, clock } = setup();
    const buf = new ArrayBuffer(RECORDS_HEADER + 2 * RECORD_BYTES);
    const view = new DataView(buf);
    const co = new Coalescer(space.entries.length);
    const full = new DataView(new ArrayBuffer(RECORDS_HEADER + co.capacity * RECORD_BYTES));
    const v = new Float64Array([1.5, 0, 0]);
    co.push(space.resolve('/scene/test-all/speed'), 1, v, false);
    co.push(space.resolve('/scene/test-all/cutoff/norm'), 1, v.fill(0.3), false);
    co.drain(full, FRAME_CONTROL);
    new Uint8Array(buf).set(new Uint8Array(full.buffer, 0, buf.byteLength));
    // constant times: a double computed here and passed to a call V8 does not inline would be
    // boxed by this caller, which is not what is measured
    const per = bytesPerCall(() => {
      applier.enqueue(view);
      applier.applyQueued(bank, clock, 1, 2);
    });
    expect(per).toBeLessThan(1);
  });
});

describe('preset commands', () => {
  it('hand the newest /engine/preset value and the sum of next/prev steps to the page, once per frame', () => {
    const s = setup();
    const got: number[] = [];
    const steps: number[] = [];
    s.applier.onPreset = (v) => got.push(v);
    s.applier.onPresetStep = (n) => steps.push(n);
    s.push('/engine/preset', [3]);
    s.push('/engine/preset/next', [1], true);
    s.push('/engine/preset/next', [1], true);
    s.push('/engine/preset/prev', [1], true);
    s.deliver();
    s.applier.applyQueued(s.bank, s.clock, 1, 0);
    expect(got).toEqual([3]);
    expect(steps).toEqual([1]);
    s.applier.applyQueued(s.bank, s.clock, 2, 16);
    expect(got).toEqual([3]);
    expect(steps).toEqual([1]);
  });
});
