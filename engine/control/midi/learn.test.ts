import { describe, expect, it } from 'vitest';
import { ParamBank } from '../../params/bank.ts';
import { defineParams } from '../../params/define.ts';
import { MidiLearn } from './learn.ts';
import { MidiMapper } from './mapping.ts';
import { MidiParser } from './parser.ts';
import { controlLabel, findProfile, PROFILES } from './profiles/index.ts';

function learner(port = '') {
  const learn = new MidiLearn();
  const learned: unknown[] = [];
  const parser = new MidiParser((e) => {
    const m = learn.offer(e, port);
    if (m) learned.push(m);
  });
  const send = (...bytes: number[]) => parser.feed(new Uint8Array(bytes), 0);
  return { learn, learned, send };
}

describe('MIDI learn', () => {
  it('the next control that really moves becomes the mapping; clock and jitter do not', () => {
    const { learn, learned, send } = learner();
    learn.arm('/scene/t/speed');
    send(0xf8, 0xf8, 0xfe); // clock and active sensing
    send(0xb0, 20, 64, 20, 63, 20, 64); // a pot flickering by one step
    send(0x80, 60, 0); // a note-off
    expect(learned).toEqual([]);
    expect(learn.state).toBe('armed');
    send(0xb1, 50, 10, 0xf8, 50, 11, 50, 13); // knob on channel 2 turned (clock inside)
    expect(learned).toEqual([{ control: { kind: 'cc', channel: 1, number: 50 }, param: '/scene/t/speed', mode: 'absolute' }]);
    expect(learn.state).toBe('idle');
    send(0xb1, 51, 0, 51, 100); // learn is over: nothing more
    expect(learned.length).toBe(1);
  });

  it('a 14-bit fader is learned as one 14-bit control, not as its halves', () => {
    const { learn, learned, send } = learner();
    learn.arm('/scene/t/speed');
    send(0xb0, 3, 10, 0xb0, 35, 90, 0xb0, 3, 10, 0xb0, 35, 120, 0xb0, 3, 11, 0xb0, 35, 20, 0xb0, 3, 13, 0xb0, 35, 0);
    expect(learned).toEqual([{ control: { kind: 'cc14', channel: 0, number: 3 }, param: '/scene/t/speed', mode: 'absolute' }]);
  });

  it('an NRPN knob is learned as the NRPN, not as CC 99/98/6/38', () => {
    const { learn, learned, send } = learner();
    learn.arm('/scene/t/speed');
    send(0xb0, 99, 1, 98, 2, 6, 10, 38, 0, 6, 11, 38, 0, 6, 13, 38, 0);
    expect(learned).toEqual([{ control: { kind: 'nrpn', channel: 0, number: 130 }, param: '/scene/t/speed', mode: 'absolute' }]);
  });

  it('an unknown endless encoder (two’s complement) is recognised after a few steps', () => {
    const { learn, learned, send } = learner();
    learn.arm('/scene/t/speed');
    send(0xb0, 60, 1, 60, 1, 60, 1, 60, 1);
    expect(learned).toEqual([{ control: { kind: 'cc', channel: 0, number: 60 }, param: '/scene/t/speed', mode: 'relative-twos-complement' }]);
  });

  it('a pad learned for a boolean toggles; on a known device it gets the device’s LED values and name', () => {
    const { learn, learned, send } = learner('APC40 mkII');
    learn.arm('/scene/t/mirror', 'boolean');
    send(0x90, 0, 127);
    expect(learned).toEqual([
      { control: { kind: 'note', channel: 0, number: 0 }, param: '/scene/t/mirror', port: 'APC40 mkII', mode: 'toggle', onValue: 21, offValue: 0 },
    ]);
    expect(controlLabel({ kind: 'note', channel: 0, number: 0 }, 'APC40 mkII')).toBe('Pad 5,1');
    expect(controlLabel({ kind: 'cc', channel: 0, number: 50 }, 'Akai APC40 mkII MIDI 1')).toBe('Track knob 3');
    expect(controlLabel({ kind: 'cc', channel: 0, number: 50 }, 'Some synth')).toBe('CC 50 ch 1');
  });

  it('the APC40 cue knob is learned as a relative encoder from its profile', () => {
    const { learn, learned, send } = learner('APC40 mkII');
    learn.arm('/scene/t/speed');
    send(0xb0, 47, 1, 47, 1);
    expect(learned).toEqual([{ control: { kind: 'cc', channel: 0, number: 47 }, param: '/scene/t/speed', port: 'APC40 mkII', mode: 'relative-twos-complement', feedback: false }]);
  });

  it('cancel disarms; learning a control already mapped moves it to the new parameter', () => {
    const { learn, learned, send } = learner();
    learn.arm('/scene/t/speed');
    learn.cancel();
    send(0xb0, 1, 0, 1, 50);
    expect(learned).toEqual([]);
    const bank = new ParamBank();
    const ids = bank.register(defineParams('/scene/t', { speed: { type: 'number', min: 0, max: 1, default: 0 }, size: { type: 'number', min: 0, max: 1, default: 0 } }));
    const mapper = new MidiMapper(bank);
    mapper.setMapping({ control: { kind: 'cc', channel: 0, number: 1 }, param: '/scene/t/speed' });
    learn.arm('/scene/t/size');
    send(0xb0, 1, 0, 1, 50);
    mapper.setMapping(learned[0] as never);
    expect(mapper.mappings.map((m) => m.param)).toEqual(['/scene/t/size']);
    const p = new MidiParser((e) => mapper.handle(e));
    p.feed(new Uint8Array([0xb0, 1, 127]), 0);
    expect(bank.get(ids.size)).toBe(1);
    expect(bank.get(ids.speed)).toBe(0);
  });
});

describe('controller profiles', () => {
  it('each profile is found by its port name and names every control once', () => {
    expect(findProfile('Launch Control XL')?.id).toBe('novation-launch-control-xl');
    expect(findProfile('nanoKONTROL2 SLIDER/KNOB')?.id).toBe('korg-nanokontrol2');
    expect(findProfile('Midi Fighter Twister')?.id).toBe('djtt-midi-fighter-twister');
    expect(findProfile('APC40 mkII')?.id).toBe('akai-apc40-mk2');
    for (const p of PROFILES) {
      const keys = p.controls.map((c) => `${c.kind}/${c.channel}/${c.number}`);
      expect(new Set(keys).size, p.id).toBe(keys.length);
      for (const c of p.controls) {
        expect(c.channel).toBeGreaterThanOrEqual(0);
        expect(c.channel).toBeLessThan(16);
        expect(c.number).toBeLessThan(128);
      }
    }
    expect(controlLabel({ kind: 'cc', channel: 8, number: 79 }, 'Launch Control XL')).toBe('Fader 3');
    expect(controlLabel({ kind: 'cc', channel: 0, number: 18 }, 'nanoKONTROL2')).toBe('Knob 3');
    expect(controlLabel({ kind: 'cc', channel: 1, number: 2 }, 'Midi Fighter Twister')).toBe('Push 3');
  });
});
