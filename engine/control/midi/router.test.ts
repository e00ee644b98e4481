import { describe, expect, it } from 'vitest';
import { BeatClock, ClockSource } from '../../clock/index.ts';
import { ParamBank } from '../../params/bank.ts';
import { defineParams } from '../../params/define.ts';
import { MidiRouter } from './router.ts';

function setup() {
  const bank = new ParamBank();
  const ids = bank.register(defineParams('/scene/t', { speed: { type: 'number', min: 0, max: 10, default: 5 } }));
  const clock = new BeatClock();
  const router = new MidiRouter(bank, clock);
  return { bank, ids, clock, router };
}

describe('MIDI router (what Web MIDI and the bridge feed)', () => {
  it('MIDI clock at 24 ppqn, 120 BPM with ±1 ms jitter, leads the beat clock at ~120 BPM', () => {
    const { clock, router } = setup();
    let seed = 7;
    const jitter = () => (((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5) * 0.002;
    const period = 60 / 120 / 24;
    router.feed('usb-1', new Uint8Array([0xfa]), 10);
    // Clock bytes arrive one per packet, sometimes inside a CC burst from the same device.
    for (let k = 0; k < 24 * 8; k++) {
      const t = 10 + k * period + jitter();
      if (k % 10 === 5) router.feed('usb-1', new Uint8Array([0xb0, 7, 0xf8, 64]), t);
      else router.feed('usb-1', new Uint8Array([0xf8]), t);
      if (k % 8 === 0) {
        router.drain();
        clock.update(t);
      }
    }
    clock.update(10 + 24 * 8 * period);
    expect(clock.leader).toBe(ClockSource.Midi);
    expect(clock.bpm).toBeGreaterThan(119.5);
    expect(clock.bpm).toBeLessThan(120.5);
  });

  it('CC messages wait for the frame’s drain; learn completes there and the mapping then applies', () => {
    const { bank, ids, router } = setup();
    const changes: number[] = [];
    router.onMappingsChanged = (m) => changes.push(m.length);
    router.learn.arm('/scene/t/speed');
    router.feed('in-1', new Uint8Array([0xb0, 21, 10, 21, 30]), 1);
    expect(router.mapper.count).toBe(0);
    router.drain();
    expect(router.mapper.mappings).toEqual([{ control: { kind: 'cc', channel: 0, number: 21 }, param: '/scene/t/speed', port: 'in-1', mode: 'absolute' }]);
    expect(changes).toEqual([1]);
    router.feed('in-1', new Uint8Array([0xb0, 21, 127]), 2);
    expect(bank.get(ids.speed)).toBe(5);
    router.drain();
    expect(bank.get(ids.speed)).toBe(10);
  });
});
