import { describe, expect, it } from 'vitest';
import { bytesPerCall } from '../../params/test-alloc.ts';
import { BeatClock } from '../../clock/index.ts';
import { FEATURE_COUNT } from '../../features/layout.ts';
import { ModulationMatrix, externalSourceIds } from '../../modulation/index.ts';
import { OscApplier } from './apply.ts';
import { Coalescer } from './coalesce.ts';
import { MAX_OSC_EXT, OscExtNames, extNameOf } from './ext.ts';
import { FRAME_CONTROL, RECORD_BYTES, RECORDS_HEADER } from './wire.ts';
import { makeFixture } from './test-fixture.ts';

/** The bridge's half (numbering, coalescing) and the page's half (applier, matrix), as they meet over the socket. */
function setup() {
  const f = makeFixture();
  const names = new OscExtNames();
  const co = new Coalescer(f.space.entries.length + MAX_OSC_EXT);
  const buf = new ArrayBuffer(RECORDS_HEADER + co.capacity * RECORD_BYTES);
  const applier = new OscApplier();
  applier.bind(f.space, f.bank);
  const matrix = new ModulationMatrix(f.bank);
  applier.setModulation(matrix);
  const clock = new BeatClock();
  const v = new Float64Array(3);
  /** `/ext/...` arriving at the bridge: numbered (and announced when new), then coalesced. */
  const send = (address: string, value: number, announce = true) => {
    const k = names.resolve(address);
    if (k < 0) return k;
    if (names.isNew(k) && announce) applier.bindExt(k, names.names[k]);
    v[0] = value;
    co.push(f.space.entries.length + k, 1, v, false);
    return k;
  };
  const frame = () => {
    const n = co.drain(new DataView(buf), FRAME_CONTROL);
    applier.enqueue(new DataView(buf, 0, RECORDS_HEADER + n * RECORD_BYTES));
    applier.applyQueued(f.bank, clock, 0, 0);
  };
  const slot = (name: string) => matrix.external[matrix.externalSlot(name)];
  return { ...f, names, applier, matrix, send, frame, slot };
}

describe('OSC /ext/<name> as modulation sources', () => {
  it('sets the named slot on the frame tick, newest value per frame', () => {
    const { send, frame, slot, applier, matrix } = setup();
    expect(send('/ext/touchosc/fader1', 0.2)).toBe(0);
    expect(send('/ext/touchosc/fader1', 0.7)).toBe(0);
    expect(send('/ext/xy', 0.1)).toBe(1);
    expect(slot('touchosc/fader1')).toBe(0); // not before the frame
    frame();
    expect(slot('touchosc/fader1')).toBeCloseTo(0.7, 6);
    expect(slot('xy')).toBeCloseTo(0.1, 6);
    expect(applier.applied).toBe(2);
    expect(externalSourceIds(matrix)).toEqual(['ext:touchosc/fader1', 'ext:xy']);
    expect(applier.extNameList).toEqual(['touchosc/fader1', 'xy']);
  });

  it('a route from ext:<name> moves the parameter output, whichever came first', () => {
    const { send, frame, bank, matrix } = setup();
    const inputs = { onset: 0, bandOnsets: new Float32Array(3), beat: 0, beatPhase: 0, barPhase: 0, beatCount: 0, beatsPerBar: 4 };
    const features = new Float32Array(FEATURE_COUNT);
    const id = bank.idOf('/scene/test-all/speed'); // 0..4, default 1
    send('/ext/knob', 1);
    frame();
    expect(matrix.add({ source: 'ext:knob', target: '/scene/test-all/speed', amount: 0.5 }).ok).toBe(true);
    expect(matrix.add({ source: 'ext:later', target: '/scene/test-all/speed', amount: -0.25 }).ok).toBe(true);
    matrix.evaluate(1 / 60, features, features, inputs);
    expect(bank.getOutput(id)).toBeCloseTo(3, 6); // 0.25 + 0.5 of the range
    send('/ext/later', 1);
    frame();
    matrix.evaluate(1 / 60, features, features, inputs);
    expect(bank.getOutput(id)).toBeCloseTo(2, 6);
  });

  it('records for slots never announced, and unusable names, are dropped and counted; the rest still applies', () => {
    const { send, frame, slot, applier } = setup();
    send('/ext/silent', 0.5, false);
    send('/ext/ok', 0.5);
    frame();
    expect(applier.dropped).toBe(1);
    expect(slot('ok')).toBe(0.5);
    expect(applier.bindExt(MAX_OSC_EXT, 'x')).toBe(false);
    expect(applier.bindExt(0, 'has space')).toBe(false);
    expect(applier.bindExt('0', 'x')).toBe(false);
    expect(extNameOf('/ext/')).toBeNull();
    expect(extNameOf('/ext/' + 'a'.repeat(65))).toBeNull();
    expect(extNameOf('/scene/x')).toBeNull();
  });

  it('numbers at most MAX_OSC_EXT names; a flood of new names cannot grow the matrix without bound', () => {
    const names = new OscExtNames();
    for (let i = 0; i < MAX_OSC_EXT; i++) expect(names.resolve(`/ext/n${i}`)).toBe(i);
    expect(names.resolve('/ext/one-too-many')).toBe(-1);
    expect(names.resolve('/ext/n3')).toBe(3);
    expect(names.isNew(3)).toBe(false);
  });

  it('applying /ext/ records on the frame tick allocates nothing', () => {
    const { send, applier, bank, matrix, space } = setup();
    send('/ext/a', 0.25);
    send('/ext/b', 0.5);
    // the frame the bridge would send: two ext records, built once
    const base = space.entries.length;
    const frameCo = new Coalescer(base + MAX_OSC_EXT);
    const full = new DataView(new ArrayBuffer(RECORDS_HEADER + frameCo.capacity * RECORD_BYTES));
    const v = new Float64Array([0.75, 0, 0]);
    frameCo.push(base, 1, v, false);
    frameCo.push(base + 1, 1, v, false);
    const n = frameCo.drain(full, FRAME_CONTROL);
    const view = new DataView(full.buffer, 0, RECORDS_HEADER + n * RECORD_BYTES);
    const clock = new BeatClock();
    const per = bytesPerCall(() => {
      applier.enqueue(view);
      applier.applyQueued(bank, clock, 1, 2);
    });
    expect(matrix.external[matrix.externalSlot('b')]).toBe(0.75);
    expect(per).toBeLessThan(1);
  });
});
