import { describe, expect, it } from 'vitest';
import { ParamBank } from '../../params/bank.ts';
import { defineParams } from '../../params/define.ts';
import { bytesPerCall } from '../../params/test-alloc.ts';
import { MidiMapper } from './mapping.ts';
import { MidiEventType, MidiParser } from './parser.ts';
import { MidiEventQueue } from './queue.ts';
import { MidiRouter } from './router.ts';
import { BeatClock } from '../../clock/index.ts';
import { ModulationMatrix } from '../../modulation/index.ts';

// In a file of its own: V8's type feedback is per process (see engine/params/bank-alloc.test.ts).
describe('MIDI hot path allocates nothing', () => {
  it('parsing bytes, queueing events and applying mappings', () => {
    const bank = new ParamBank();
    bank.register(
      defineParams('/scene/a', {
        speed: { type: 'number', min: 0, max: 10, default: 5 },
        cutoff: { type: 'number', min: 20, max: 20000, default: 1000, curve: 'exp' },
        mirror: { type: 'boolean', default: false },
      }),
    );
    const mapper = new MidiMapper(bank);
    mapper.setMappings([
      { control: { kind: 'cc', channel: 0, number: 7 }, param: '/scene/a/speed', takeover: 'pickup' },
      { control: { kind: 'cc14', channel: 0, number: 1 }, param: '/scene/a/cutoff' },
      { control: { kind: 'note', channel: 0, number: 36 }, param: '/scene/a/mirror', mode: 'toggle' },
      { control: { kind: 'cc', channel: 0, number: 47 }, param: '/scene/a/speed', mode: 'relative-twos-complement' },
    ]);
    const queue = new MidiEventQueue(256);
    const counts = new Float64Array(32);
    const parser = new MidiParser((e) => {
      counts[e.type]++;
      queue.push(e);
    });
    // A realistic mix: running-status fader, 14-bit pairs, pads, clock, SysEx, encoder, junk.
    const stream = new Uint8Array([
      0xb0, 7, 10, 7, 90, 7, 30, 0xf8, 0xb0, 1, 64, 0xb0, 33, 5, 0x90, 36, 0xf8, 127, 36, 0, 0xf0, 0x7e, 0x00, 0x06,
      0x01, 0xf7, 0xb0, 47, 1, 47, 127, 3, 0xe0, 0, 64, 0xf2, 1, 2, 0xb3, 99, 1, 98, 2, 6, 40,
    ]);
    const apply = (e: { type: number }) => mapper.handle(e as never);
    const perByte = bytesPerCall((i) => {
      parser.byte(stream[i % stream.length], i);
      if ((i & 31) === 0) queue.drain(apply);
    });
    console.log('MIDI bytes per parsed byte (parse + queue + map):', perByte.toFixed(3));
    expect(counts[MidiEventType.ControlChange14]).toBeGreaterThan(0);
    expect(counts[MidiEventType.Nrpn]).toBeGreaterThan(0);
    expect(perByte).toBeLessThan(1);
  });

  it('the router path the page uses: feed packets (clock to the beat clock, the rest queued) and drain per frame', () => {
    const bank = new ParamBank();
    bank.register(defineParams('/scene/b', { speed: { type: 'number', min: 0, max: 10, default: 5 } }));
    const router = new MidiRouter(bank, new BeatClock());
    router.setMappings([{ control: { kind: 'cc', channel: 0, number: 7 }, param: '/scene/b/speed', takeover: 'pickup' }]);
    const data = new Uint8Array([0xfa, 0xb0, 7, 10, 0xb0, 7, 90, 0xf8, 0x90, 36, 127, 0xf8, 0xb0, 7, 40]);
    const starts = [0, 1, 4, 7, 8, 11, 12];
    const lengths = [1, 3, 3, 1, 3, 1, 3];
    router.feed('port', data, 0, 0, 1); // the port is registered once, outside the measurement
    const perPacket = bytesPerCall((i) => {
      const k = 1 + (i % 6);
      router.feed('port', data, i, starts[k], lengths[k]);
      if ((i & 7) === 0) router.drain();
    });
    console.log('MIDI bytes per packet (router feed + drain):', perPacket.toFixed(3));
    expect(router.mapper.applied).toBeGreaterThan(0);
    expect(perPacket).toBeLessThan(1);
  });

  it('with modulation slots active: every CC, note, bend and pressure also writes its slot', () => {
    const bank = new ParamBank();
    bank.register(defineParams('/scene/c', { speed: { type: 'number', min: 0, max: 10, default: 5 } }));
    const matrix = new ModulationMatrix(bank);
    const router = new MidiRouter(bank, new BeatClock());
    router.setModulation(matrix);
    router.setMappings([{ control: { kind: 'cc', channel: 0, number: 7 }, param: '/scene/c/speed' }]);
    expect(matrix.add({ source: 'ext:midi:1:cc:74', target: '/scene/c/speed', amount: 0.5 }).ok).toBe(true);
    // CC 74 and 7, a 14-bit pair (CC 1/33), pads on and off, pitch bend, channel pressure.
    const data = new Uint8Array([0xb0, 74, 10, 0xb0, 7, 90, 0xb0, 1, 64, 0xb0, 33, 5, 0x90, 36, 127, 0x80, 36, 0, 0xe0, 0, 64, 0xd0, 99]);
    const starts = [0, 3, 6, 9, 12, 15, 18, 21];
    const lengths = [3, 3, 3, 3, 3, 3, 3, 2];
    for (let k = 0; k < starts.length; k++) router.feed('port', data, 0, starts[k], lengths[k]); // slots registered once, outside the measurement
    router.drain();
    const slots = matrix.externalNames().length;
    const perPacket = bytesPerCall((i) => {
      const k = i % starts.length;
      data[2] = i & 127; // the knob moves
      router.feed('port', data, i, starts[k], lengths[k]);
      if ((i & 7) === 0) router.drain();
    });
    console.log('MIDI bytes per packet with modulation slots (router feed + drain):', perPacket.toFixed(3));
    expect(matrix.externalNames().length).toBe(slots);
    expect(slots).toBeGreaterThanOrEqual(7);
    expect(matrix.external[matrix.externalSlot('midi:1:bend')]).toBeCloseTo(8192 / 16383, 6);
    expect(perPacket).toBeLessThan(1);
  });
});
