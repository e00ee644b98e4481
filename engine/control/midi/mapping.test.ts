import { describe, expect, it } from 'vitest';
import { ParamBank } from '../../params/bank.ts';
import { defineParams } from '../../params/define.ts';
import { MidiFeedback } from './feedback.ts';
import { MidiMapper, relativeSteps, validateMappings, type MidiMapping } from './mapping.ts';
import { MidiParser } from './parser.ts';
import { MidiEventQueue } from './queue.ts';

const decls = defineParams('/scene/t', {
  speed: { type: 'number', min: 0, max: 10, default: 5 },
  cutoff: { type: 'number', min: 20, max: 20000, default: 1000, curve: 'exp' },
  mirror: { type: 'boolean', default: false },
  flash: { type: 'trigger' },
  count: { type: 'number', min: 1, max: 9, default: 3, step: 1 },
});

function rig(mappings: MidiMapping[]) {
  const bank = new ParamBank();
  const ids = bank.register(decls);
  const mapper = new MidiMapper(bank);
  const problems = mapper.setMappings({ version: 1, mappings });
  expect(problems).toEqual([]);
  const parser = new MidiParser((e) => mapper.handle(e));
  const send = (...bytes: number[]) => parser.feed(new Uint8Array(bytes), 0);
  return { bank, ids, mapper, parser, send };
}

describe('MIDI mappings drive parameters', () => {
  it('absolute CC: the knob position sets the value over the mapped part of the range, inverted', () => {
    const { bank, ids, send } = rig([{ control: { kind: 'cc', channel: 0, number: 21 }, param: '/scene/t/speed', min: 0.2, max: 0.6, invert: true }]);
    send(0xb0, 21, 0);
    expect(bank.get(ids.speed)).toBeCloseTo(6, 5); // inverted: knob at 0 → top of the 0.2..0.6 window
    send(0xb0, 21, 127);
    expect(bank.get(ids.speed)).toBeCloseTo(2, 5);
    send(0xb1, 21, 64); // other channel: not this mapping
    expect(bank.get(ids.speed)).toBeCloseTo(2, 5);
  });

  it('a mapping curve shapes the knob before the parameter’s own curve', () => {
    const { bank, ids, send } = rig([{ control: { kind: 'cc', channel: 0, number: 1 }, param: '/scene/t/speed', curve: 'exp' }]);
    send(0xb0, 1, 64);
    expect(bank.get(ids.speed)).toBeLessThan(2); // exp: half travel is far below half range
    expect(bank.get(ids.speed)).toBeGreaterThan(0);
  });

  it('14-bit CC pairs and NRPN give fine resolution', () => {
    const { bank, ids, send } = rig([
      { control: { kind: 'cc14', channel: 0, number: 1 }, param: '/scene/t/speed' },
      { control: { kind: 'nrpn', channel: 2, number: 300 }, param: '/scene/t/cutoff', mode: 'absolute' },
    ]);
    send(0xb0, 1, 64, 0xb0, 33, 1); // (64 << 7 | 1) / 16383
    expect(bank.get(ids.speed)).toBeCloseTo((10 * 8193) / 16383, 5);
    send(0xb2, 99, 2, 98, 44, 6, 127, 38, 127); // NRPN 300 = 2*128+44 to the top
    expect(bank.get(ids.cutoff)).toBeCloseTo(20000, 0);
    const before = bank.getNormalized(ids.cutoff);
    send(0xb2, 97, 0); // decrement: one step down
    expect(bank.getNormalized(ids.cutoff)).toBeCloseTo(before - 1 / 128, 5);
  });

  it('relative encoders: two’s complement, binary offset and sign-magnitude sequences', () => {
    expect([1, 3, 127, 125, 64].map((v) => relativeSteps('relative-twos-complement', v))).toEqual([1, 3, -1, -3, -64]);
    expect([65, 67, 63, 61].map((v) => relativeSteps('relative-binary-offset', v))).toEqual([1, 3, -1, -3]);
    expect([1, 3, 65, 67].map((v) => relativeSteps('relative-sign-magnitude', v))).toEqual([1, 3, -1, -3]);
    const { bank, ids, send } = rig([
      { control: { kind: 'cc', channel: 0, number: 47 }, param: '/scene/t/speed', mode: 'relative-twos-complement', step: 0.01 },
      { control: { kind: 'cc', channel: 0, number: 48 }, param: '/scene/t/count', mode: 'relative-binary-offset', step: 0.125 },
    ]);
    // An encoder turned right 10 clicks then left 3, as the APC40 cue knob sends them (running status).
    send(0xb0, 47, 1, 47, 1, 47, 2, 47, 1, 47, 3, 47, 1, 47, 1, 47, 127, 47, 127, 47, 127);
    expect(bank.get(ids.speed)).toBeCloseTo(5 + 0.1 * (10 - 3), 5);
    // Someone else sets the value: the encoder continues from there, not from its own memory.
    bank.set(ids.speed, 1);
    send(0xb0, 47, 1);
    expect(bank.get(ids.speed)).toBeCloseTo(1.1, 5);
    // Stepped parameter: each 1/8 step is one count; stops at the end.
    send(0xb0, 48, 65, 48, 65);
    expect(bank.get(ids.count)).toBe(5);
    for (let i = 0; i < 20; i++) send(0xb0, 48, 70);
    expect(bank.get(ids.count)).toBe(9);
  });

  it('soft takeover: the knob is ignored until it crosses the current value, then follows', () => {
    const { bank, ids, mapper, send } = rig([{ control: { kind: 'cc', channel: 0, number: 7 }, param: '/scene/t/speed', takeover: 'pickup' }]);
    bank.set(ids.speed, 5); // value at half; the physical fader sits low
    send(0xb0, 7, 10, 7, 20, 7, 40);
    expect(bank.get(ids.speed)).toBe(5);
    expect(mapper.heldByPickup).toBe(3);
    send(0xb0, 7, 70); // crossed 63.5 between 40 and 70: picked up
    expect(bank.get(ids.speed)).toBeCloseTo((70 / 127) * 10, 5);
    send(0xb0, 7, 30);
    expect(bank.get(ids.speed)).toBeCloseTo((30 / 127) * 10, 5);
    // A preset or OSC moves the value: the fader must pick it up again (no jump back).
    bank.set(ids.speed, 9);
    send(0xb0, 7, 31);
    expect(bank.get(ids.speed)).toBe(9);
    send(0xb0, 7, 127);
    expect(bank.get(ids.speed)).toBe(10);
  });

  it('jump takeover follows at once', () => {
    const { bank, ids, send } = rig([{ control: { kind: 'cc', channel: 0, number: 7 }, param: '/scene/t/speed' }]);
    send(0xb0, 7, 0);
    expect(bank.get(ids.speed)).toBe(0);
  });

  it('notes as gate, toggle, trigger and velocity', () => {
    const { bank, ids, send } = rig([
      { control: { kind: 'note', channel: 9, number: 36 }, param: '/scene/t/speed', mode: 'gate' },
      { control: { kind: 'note', channel: 9, number: 37 }, param: '/scene/t/mirror', mode: 'toggle' },
      { control: { kind: 'note', channel: 9, number: 38 }, param: '/scene/t/flash', mode: 'trigger' },
      { control: { kind: 'note', channel: 9, number: 39 }, param: '/scene/t/cutoff', mode: 'velocity' },
    ]);
    send(0x99, 36, 100);
    expect(bank.get(ids.speed)).toBe(10);
    send(0x89, 36, 0);
    expect(bank.get(ids.speed)).toBe(0);
    send(0x99, 37, 127, 37, 0); // press, release (running status note-on vel 0)
    expect(bank.get(ids.mirror)).toBe(1);
    send(0x99, 37, 127, 37, 0);
    expect(bank.get(ids.mirror)).toBe(0);
    send(0x99, 38, 90, 38, 0, 38, 90);
    expect(bank.fireCount(ids.flash)).toBe(2);
    send(0x99, 39, 127);
    expect(bank.get(ids.cutoff)).toBeCloseTo(20000, 0);
    send(0x89, 39, 0);
    expect(bank.get(ids.cutoff)).toBeCloseTo(20000, 0); // release keeps the velocity's value
  });

  it('pitch bend as a 14-bit fader', () => {
    const { bank, ids, send } = rig([{ control: { kind: 'pitchbend', channel: 0, number: 0 }, param: '/scene/t/speed' }]);
    send(0xe0, 0x7f, 0x7f);
    expect(bank.get(ids.speed)).toBe(10);
  });

  it('port-specific mappings win over any-port ones; other ports fall back to any-port', () => {
    const bank = new ParamBank();
    const ids = bank.register(decls);
    const mapper = new MidiMapper(bank);
    mapper.setMappings([
      { control: { kind: 'cc', channel: 0, number: 1 }, param: '/scene/t/speed' },
      { control: { kind: 'cc', channel: 0, number: 1 }, param: '/scene/t/count', port: 'nanoKONTROL2' },
    ]);
    const a = new MidiParser((e) => mapper.handle(e), { port: mapper.portSlotOf('nanoKONTROL2') });
    const b = new MidiParser((e) => mapper.handle(e), { port: mapper.portSlotOf('Other') });
    a.feed(new Uint8Array([0xb0, 1, 127]), 0);
    expect(bank.get(ids.count)).toBe(9);
    expect(bank.get(ids.speed)).toBe(5);
    b.feed(new Uint8Array([0xb0, 1, 0]), 0);
    expect(bank.get(ids.speed)).toBe(0);
  });

  it('mappings for parameters that appear later start working when they register', () => {
    const bank = new ParamBank();
    const mapper = new MidiMapper(bank);
    mapper.setMappings([{ control: { kind: 'cc', channel: 0, number: 1 }, param: '/scene/t/speed' }]);
    const p = new MidiParser((e) => mapper.handle(e));
    p.feed(new Uint8Array([0xb0, 1, 127]), 0); // nothing registered: ignored, no throw
    const ids = bank.register(decls);
    p.feed(new Uint8Array([0xb0, 1, 127]), 0);
    expect(bank.get(ids.speed)).toBe(10);
  });

  it('events queued by the input callback are applied when the frame drains them, oldest first', () => {
    const { bank, ids, mapper } = rig([{ control: { kind: 'cc', channel: 0, number: 7 }, param: '/scene/t/speed' }]);
    const q = new MidiEventQueue(4);
    const p = new MidiParser((e) => q.push(e));
    p.feed(new Uint8Array([0xb0, 7, 1, 7, 2, 7, 3, 7, 4, 7, 127]), 0);
    expect(bank.get(ids.speed)).toBe(5); // nothing applied until the drain
    expect(q.overruns).toBe(1); // the oldest was dropped; the newest value survives
    expect(q.drain((e) => mapper.handle(e))).toBe(4);
    expect(bank.get(ids.speed)).toBe(10);
  });
});

describe('the mapper writes exactly what bank.setNormalized would', () => {
  it('for every curve, stepped numbers, booleans and enums, at every 7-bit position', () => {
    const all = defineParams('/scene/c', {
      lin: { type: 'number', min: -2, max: 3, default: 0 },
      exp: { type: 'number', min: 20, max: 20000, default: 1000, curve: 'exp' },
      log: { type: 'number', min: 0, max: 10, default: 5, curve: 'log' },
      s: { type: 'number', min: -1, max: 1, default: 0, curve: 's-curve' },
      stepped: { type: 'number', min: 1, max: 9, default: 3, step: 1 },
      flag: { type: 'boolean', default: false },
      mode: { type: 'enum', options: ['a', 'b', 'c', 'd'], default: 'a' },
    });
    const viaMidi = new ParamBank();
    const ids = viaMidi.register(all);
    const viaBank = new ParamBank();
    viaBank.register(all);
    const mapper = new MidiMapper(viaMidi);
    const names = Object.keys(ids) as (keyof typeof ids)[];
    mapper.setMappings(names.map((n, k) => ({ control: { kind: 'cc', channel: 0, number: k }, param: `/scene/c/${n}` })));
    const p = new MidiParser((e) => mapper.handle(e));
    for (let v = 0; v < 128; v++) {
      names.forEach((n, k) => {
        p.feed(new Uint8Array([0xb0, k, v]), 0);
        viaBank.setNormalized(ids[n], v / 127);
        expect(viaMidi.get(ids[n]), `${n} at ${v}`).toBe(viaBank.get(ids[n]));
        expect(viaMidi.getNormalized(ids[n])).toBeCloseTo(viaBank.getNormalized(ids[n]), 12);
      });
    }
  });
});

describe('mapping JSON', () => {
  it('round-trips through JSON and reports bad fields without throwing', () => {
    const { mapper } = rig([{ control: { kind: 'cc', channel: 3, number: 50 }, param: '/scene/t/speed', takeover: 'pickup', curve: 's-curve', invert: true, port: 'Launch Control XL' }]);
    const json = JSON.parse(JSON.stringify(mapper.toJSON()));
    expect(validateMappings(json)).toEqual({ mappings: mapper.mappings, problems: [] });
    const r = validateMappings({
      version: 1,
      mappings: [
        { control: { kind: 'cc', channel: 16, number: 1 }, param: '/a' },
        { control: { kind: 'knob', channel: 0, number: 1 }, param: '/a' },
        { control: { kind: 'cc', channel: 0, number: 1 }, param: 'speed' },
        { control: { kind: 'cc', channel: 0, number: 2 }, param: '/a', curve: 'wobbly', min: 2, takeover: 'maybe', mode: 'spin' },
        'nonsense',
      ],
    });
    expect(r.mappings).toEqual([{ control: { kind: 'cc', channel: 0, number: 2 }, param: '/a' }]);
    expect(r.problems.join('\n')).toMatch(/mapping 0: control.channel 16/);
    expect(r.problems.join('\n')).toMatch(/mapping 1: control.kind "knob"/);
    expect(r.problems.join('\n')).toMatch(/mapping 2: param "speed"/);
    expect(r.problems.join('\n')).toMatch(/mapping 3: curve "wobbly"/);
    expect(r.problems.join('\n')).toMatch(/mapping 3: min 2/);
    expect(r.problems.join('\n')).toMatch(/mapping 3: takeover "maybe"/);
    expect(r.problems.join('\n')).toMatch(/mapping 3: mode "spin"/);
    expect(r.problems.join('\n')).toMatch(/mapping 4: not an object/);
    expect(validateMappings('{').problems[0]).toMatch(/expected/);
  });

  it('one control drives one parameter: mapping it again replaces the old mapping', () => {
    const { mapper } = rig([{ control: { kind: 'cc', channel: 0, number: 1 }, param: '/scene/t/speed' }]);
    mapper.setMapping({ control: { kind: 'cc', channel: 0, number: 1 }, param: '/scene/t/count' });
    expect(mapper.mappings.map((m) => m.param)).toEqual(['/scene/t/count']);
    mapper.setMapping({ control: { kind: 'cc', channel: 0, number: 2 }, param: '/scene/t/count' });
    expect(mapper.mappings.map((m) => m.control.number)).toEqual([2]);
  });
});

describe('feedback out', () => {
  it('sends only changes, rate-limited, never echoes the controller’s own move, and sends the final value', () => {
    const bank = new ParamBank();
    const ids = bank.register(decls);
    const mapper = new MidiMapper(bank);
    const port = 'APC40 mkII';
    mapper.setMappings([
      { control: { kind: 'cc', channel: 0, number: 48 }, param: '/scene/t/speed', port },
      { control: { kind: 'note', channel: 0, number: 32 }, param: '/scene/t/mirror', port, mode: 'toggle', onValue: 21, offValue: 0 },
    ]);
    const slot = mapper.portSlotOf(port);
    const fb = new MidiFeedback(mapper, { minIntervalMs: 30 });
    const out = new Uint8Array(64);
    const take = (now: number) => [...out.subarray(0, fb.collect(slot, now, out))];
    expect(take(0)).toEqual([0xb0, 48, 64, 0x90, 32, 0]); // initial state: ring at 5/10, pad off
    expect(take(100)).toEqual([]); // nothing changed
    bank.set(ids.speed, 10);
    bank.set(ids.mirror, 1);
    expect(take(110)).toEqual([0xb0, 48, 127, 0x90, 32, 21]);
    bank.set(ids.speed, 0);
    expect(take(120)).toEqual([]); // within 30 ms of the last message
    bank.set(ids.speed, 2);
    expect(take(145)).toEqual([0xb0, 48, Math.round(0.2 * 127)]); // the newest value, once the interval passed
    // The performer turns the knob: nothing is echoed back.
    const p = new MidiParser((e) => mapper.handle(e), { port: slot });
    p.feed(new Uint8Array([0xb0, 48, 100]), 0);
    expect(take(300)).toEqual([]);
    expect(take(400)).toEqual([]);
  });
});
